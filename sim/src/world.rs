//! [`World`]: the rapier world with a table, objects and (optionally) the robot.
//!
//! Stepping is deterministic: the same world built the same way and stepped the same
//! number of times with the same commands ends in bitwise-identical state.

use crate::arm::ArmSpec;
use crate::error::SimError;
use crate::objects::{self, FRICTION, Object, ObjectSpec};
use crate::recording::Frame;
use crate::robot::Robot;
use crate::{DEFAULT_DT_S, Pose, Vec3};
use rapier3d::prelude::*;

/// Physics settings of a world. Defaults: dt 1/240 s, gravity −9.81 m/s², 4 solver
/// iterations, stiffer contacts than rapier's defaults, sleeping allowed for objects.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldConfig {
    pub dt_s: f32,
    pub gravity_z: f32,
    pub solver_iterations: usize,
    /// Let resting objects sleep (much faster; the benchmark peers keep it off).
    pub sleeping: bool,
    /// Rapier's length unit: it scales the allowed penetration, the speculative contact
    /// margin and the contact-recycling distance. Rapier assumes 1 m; 4 cm blocks need
    /// 0.1 m, or a bowl can rest 4 mm deep in the table.
    pub length_unit_m: f32,
    /// Natural frequency of contacts between moving bodies (twice this against the
    /// table). Rapier's 30 Hz lets a 5-block tower compress by 6 mm; 120 Hz holds it.
    pub contact_frequency_hz: f32,
    /// Center and half extents of the table box; its top face is z = 0.
    pub table_center_m: [f32; 2],
    pub table_half_extents_m: [f32; 2],
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            dt_s: DEFAULT_DT_S,
            gravity_z: -9.81,
            solver_iterations: 4,
            sleeping: true,
            length_unit_m: 0.1,
            contact_frequency_hz: 120.0,
            table_center_m: [0.5, 0.0],
            table_half_extents_m: [0.4, 0.4],
        }
    }
}

/// Table thickness; its top face is the plane z = 0.
pub const TABLE_THICKNESS_M: f32 = 0.05;

/// Who a collider belongs to, stored in the collider's user data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Table,
    /// The robot's base (link 0) or link i (1-based, as joints are).
    Robot(usize),
    /// Index into [`World::objects`].
    Object(usize),
    Unknown,
}

const TAG_TABLE: u128 = 1;
const TAG_ROBOT: u128 = 2 << 32;
const TAG_OBJECT: u128 = 3 << 32;

impl Owner {
    pub(crate) fn encode(self) -> u128 {
        match self {
            Owner::Table => TAG_TABLE,
            Owner::Robot(link) => TAG_ROBOT | link as u128,
            Owner::Object(i) => TAG_OBJECT | i as u128,
            Owner::Unknown => 0,
        }
    }

    /// Who owns a collider, from its `user_data`.
    pub fn decode(data: u128) -> Owner {
        let index = (data & 0xffff_ffff) as usize;
        match data & !0xffff_ffff {
            TAG_ROBOT => Owner::Robot(index),
            TAG_OBJECT => Owner::Object(index),
            0 if data == TAG_TABLE => Owner::Table,
            _ => Owner::Unknown,
        }
    }
}

/// The simulated tabletop.
pub struct World {
    pub(crate) physics: PhysicsWorld,
    pub(crate) config: WorldConfig,
    pub(crate) objects: Vec<Object>,
    pub(crate) robot: Option<Robot>,
    steps: u64,
    physics_time: std::time::Duration,
    /// Frames kept every this many steps, when recording.
    frame_every_steps: Option<u64>,
    frames: Vec<Frame>,
    /// Also handed each frame as it is kept (a live viewer), when set.
    frame_sink: Option<FrameSink>,
}

/// Where a world hands each kept frame as it is kept (see [`World::on_frame`]).
pub type FrameSink = Box<dyn FnMut(&Frame) + Send>;

impl World {
    /// An empty table.
    pub fn new(config: WorldConfig) -> World {
        crate::fpu::set_flush_to_zero();
        let mut physics = PhysicsWorld::new();
        physics.gravity = Vec3::new(0.0, 0.0, config.gravity_z);
        physics.integration_parameters.dt = config.dt_s;
        physics.integration_parameters.num_solver_iterations = config.solver_iterations;
        physics.integration_parameters.length_unit = config.length_unit_m;
        let contacts = &mut physics.integration_parameters;
        contacts.contact_softness.natural_frequency = config.contact_frequency_hz;
        // Contacts with the fixed table get twice the stiffness, as in rapier's defaults.
        contacts.static_contact_softness.natural_frequency = 2.0 * config.contact_frequency_hz;
        let [cx, cy] = config.table_center_m;
        let [hx, hy] = config.table_half_extents_m;
        physics.insert(
            RigidBodyBuilder::fixed().translation(Vec3::new(cx, cy, -TABLE_THICKNESS_M / 2.0)),
            ColliderBuilder::cuboid(hx, hy, TABLE_THICKNESS_M / 2.0)
                .friction(FRICTION)
                .user_data(Owner::Table.encode()),
        );
        World {
            physics,
            config,
            objects: Vec::new(),
            robot: None,
            steps: 0,
            physics_time: std::time::Duration::ZERO,
            frame_every_steps: None,
            frames: Vec::new(),
            frame_sink: None,
        }
    }

    /// Adds an object named after its color and kind ("red block"); the name must be
    /// new to the world. Returns the object's index.
    pub fn add_object(&mut self, spec: &ObjectSpec) -> Result<usize, SimError> {
        self.add_named_object(spec.name(), spec)
    }

    /// Adds an object under a given name (the benchmark scenes have 200 red cubes).
    pub fn add_named_object(&mut self, name: String, spec: &ObjectSpec) -> Result<usize, SimError> {
        if self.objects.iter().any(|o| o.name == name) {
            return Err(SimError::InvalidScene {
                scene: "world".into(),
                reason: format!(
                    "two objects are named '{name}'; each color may be used once per kind"
                ),
            });
        }
        let index = self.objects.len();
        let bottom = match spec.pos_m.as_slice() {
            [x, y] => Vec3::new(*x, *y, 0.0),
            [x, y, z] => Vec3::new(*x, *y, *z),
            other => {
                return Err(SimError::InvalidScene {
                    scene: "world".into(),
                    reason: format!(
                        "{name}: pos_m needs 2 or 3 numbers ([x, y] or [x, y, z]), got {}",
                        other.len()
                    ),
                });
            }
        };
        let body =
            objects::body_builder(spec.kind, bottom, spec.yaw_rad).can_sleep(self.config.sleeping);
        let (body, collider) = self.physics.insert(
            body,
            objects::collider_builder(spec.kind, Owner::Object(index).encode()),
        );
        self.objects.push(Object {
            name,
            kind: spec.kind,
            color: spec.color,
            size_m: spec.kind.size_m(),
            mass_kg: spec.kind.mass_kg(),
            body,
            collider,
        });
        Ok(index)
    }

    /// Adds an arm with its base at the origin, in its home configuration.
    pub fn add_robot(&mut self, spec: ArmSpec) {
        let robot = Robot::build(&mut self.physics, spec);
        self.robot = Some(robot);
    }

    /// Advances the simulation by one fixed step.
    pub fn step(&mut self) {
        crate::fpu::set_flush_to_zero();
        let start = std::time::Instant::now();
        self.physics
            .step_with_events(&crate::objects::BowlContacts, &());
        self.physics_time += start.elapsed();
        self.steps += 1;
        if let Some(every) = self.frame_every_steps
            && self.steps.is_multiple_of(every)
        {
            self.keep(Frame::capture(self));
        }
    }

    fn keep(&mut self, frame: Frame) {
        if let Some(sink) = &mut self.frame_sink {
            sink(&frame);
        }
        self.frames.push(frame);
    }

    /// Hands every frame kept from now on to `sink` too, as it is kept (a live viewer
    /// watching the run). Call before [`World::record_frames`] to get its first frame.
    pub fn on_frame(&mut self, sink: FrameSink) {
        self.frame_sink = Some(sink);
    }

    /// Starts keeping a [`Frame`] about `frame_hz` times a second of simulated time
    /// (and one now), for a recording; [`World::take_frames`] hands them over.
    pub fn record_frames(&mut self, frame_hz: f64) {
        let every = (1.0 / (frame_hz * self.config.dt_s as f64))
            .round()
            .max(1.0) as u64;
        self.frame_every_steps = Some(every);
        self.keep(Frame::capture(self));
    }

    /// The frames kept since [`World::record_frames`], and one of the state now (so a
    /// recording ends where the world did).
    pub fn take_frames(&mut self) -> Vec<Frame> {
        if self.frame_every_steps.is_some() {
            let now = Frame::capture(self);
            if self.frames.last().map(|f| f.t) != Some(now.t) {
                self.keep(now);
            }
        }
        std::mem::take(&mut self.frames)
    }

    /// Poses every object and robot link as `frame` says, without stepping: replays
    /// draw a world this way, so they never depend on physics.
    pub fn show(&mut self, frame: &Frame) {
        let mut bodies: Vec<(RigidBodyHandle, &[f32; 7])> = self
            .objects
            .iter()
            .map(|o| o.body)
            .zip(&frame.objects)
            .collect();
        if let Some(robot) = &self.robot {
            bodies.extend(robot.parts().zip(&frame.links));
        }
        for (handle, p) in bodies {
            let pose = Pose::from_parts(
                Vec3::new(p[0], p[1], p[2]),
                crate::Rotation::from_xyzw(p[3], p[4], p[5], p[6]).normalize(),
            );
            let body = &mut self.physics.bodies[handle];
            body.set_position(pose, false);
            for &c in body.colliders() {
                let collider = &mut self.physics.colliders[c];
                let local = collider.position_wrt_parent().copied().unwrap_or_default();
                collider.set_position(pose * local);
            }
        }
    }

    /// Wall-clock time spent inside rapier's step so far: the rest of an episode's time
    /// is wand's own (IK, trajectories, queries, the program).
    pub fn physics_time(&self) -> std::time::Duration {
        self.physics_time
    }

    /// Simulated time since the world was built, seconds.
    pub fn time_s(&self) -> f64 {
        self.steps as f64 * self.config.dt_s as f64
    }

    /// Number of steps taken.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// The physics settings.
    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    /// The objects, in the order they were added.
    pub fn objects(&self) -> &[Object] {
        &self.objects
    }

    /// The robot, if the world has one.
    pub fn robot(&self) -> Option<&Robot> {
        self.robot.as_ref()
    }

    /// Pose of a rigid body (for the benchmarks and tests).
    pub fn body_pose(&self, body: RigidBodyHandle) -> Pose {
        *self.physics.bodies[body].position()
    }

    /// Who owns a collider.
    pub fn owner(&self, collider: ColliderHandle) -> Owner {
        self.physics
            .colliders
            .get(collider)
            .map_or(Owner::Unknown, |c| Owner::decode(c.user_data))
    }

    /// The rapier state, read-only (camera and queries use it).
    pub fn physics(&self) -> &PhysicsWorld {
        &self.physics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_round_trips_through_user_data() {
        for owner in [
            Owner::Table,
            Owner::Robot(0),
            Owner::Robot(6),
            Owner::Object(0),
            Owner::Object(41),
        ] {
            assert_eq!(Owner::decode(owner.encode()), owner);
        }
        assert_eq!(Owner::decode(0), Owner::Unknown);
    }
}
