//! The parallel-jaw gripper: two fingers on prismatic joints under the last link,
//! sized like a Robotiq 2F-85's, driven by force-limited rapier motors.
//!
//! Nothing is attached when it grasps: the fingers close at a steady speed until the
//! object stops them, the motors then press with at most [`GRIP_FORCE_N`], and the
//! object is held only by the contacts' friction (it keeps its weight). What it holds is
//! decided from the fingers' contacts and the measured opening: an object both fingers
//! touch, with room between them; fingers closed fully hold nothing.

use super::{Gripper, GripperKind, Miss, Tool};
use crate::world::Owner;
use crate::{Pose, Rotation, Vec3};
use rapier3d::prelude::*;

/// Widest opening between the finger pads, m (a Robotiq 2F-85's stroke).
pub const MAX_OPENING_M: f32 = 0.085;
/// Grip force limit of each finger, N (a 2F-85 grips with 20–235 N; rapier's soft
/// contacts between light bodies give way under more). The grasp planner presses with
/// less where that holds better (`manipulation/fingers.rs`).
pub const GRIP_FORCE_N: f32 = 15.0;
/// A finger pad's thickness (along the closing axis), m.
pub const PAD_THICKNESS_M: f32 = 0.008;
/// A finger's width across the closing axis (its pad touches along a line), m.
pub const PAD_WIDTH_M: f32 = PAD_THICKNESS_M;
/// A finger pad's length (along the tool), from the tool tip up, m.
pub const PAD_LENGTH_M: f32 = 0.038;
/// How wide a finger's pad looks across the closing axis, m (a 2F-85's fingertip; the
/// contacts inside it are `PAD_WIDTH_M`).
const PAD_LOOK_WIDTH_M: f32 = 0.022;
/// How far above the pads' tops the palm's look starts, and how tall it is, m.
const PALM_LOOK_CLEARANCE_M: f32 = 0.002;
const PALM_LOOK_HEIGHT_M: f32 = 0.03;
/// How far apart a pad's two contacts are along it, m: both touch a 4 cm block's face
/// (held with the tips 6 mm above its bottom) below its top edge.
const PAD_CONTACT_SPREAD_M: f32 = 0.026;
/// Closing speed of each finger, m/s (a 2F-85 closes at 20–150 mm/s).
const CLOSING_SPEED_MPS: f32 = 0.1;
/// Solver iterations the gripper's island gets on top of the world's.
const EXTRA_SOLVER_ITERATIONS: usize = 8;
/// Each finger's mass, kg.
const FINGER_MASS_KG: f32 = 0.2;
/// Pad friction (rubber); rapier averages it with the object's 0.8.
const PAD_FRICTION: f32 = 1.2;
/// Gap between the top of the pads and the end of the tool's rod above them, m.
const PALM_GAP_M: f32 = 0.01;
/// An opening narrower than this holds nothing: the fingers closed on air, m.
const CLOSED_WIDTH_M: f32 = 0.003;
/// The fingers count as still once the opening changes less than this per step, m.
const STILL_PER_STEP_M: f32 = 2e-5;
/// … for this many steps in a row.
const STILL_STEPS: u32 = 4;
/// Position motor gains when opening to a width: N/m and N·s/m.
const OPEN_STIFFNESS: f32 = 4000.0;
const OPEN_DAMPING: f32 = 40.0;
/// Velocity motor gain while closing, N·s/m.
const CLOSE_DAMPING: f32 = 2000.0;
/// Once both fingers touch, each is driven this far past where it touched, m: a
/// position spring, so the fingers stay centered on the object (as a real gripper's
/// linkage keeps them) and press with the grip force.
const SQUEEZE_M: f32 = 0.003;
/// The squeezing spring's damping, N·s/m.
const SQUEEZE_DAMPING: f32 = 50.0;

/// One finger: its body, the collider that touches (the pad's contacts) and its joint.
#[derive(Debug, Clone, Copy)]
struct Finger {
    body: RigidBodyHandle,
    collider: ColliderHandle,
    joint: MultibodyJointHandle,
}

/// The two-finger gripper. Built empty; [`Gripper::mount`] makes its fingers.
#[derive(Debug, Default)]
pub struct ParallelJaw {
    fingers: Vec<Finger>,
    /// The rod's shape before the fingers were mounted (restored by `unmount`).
    rod: Option<(ColliderHandle, SharedShape)>,
    /// The palm's look on the tool link (removed by `unmount`).
    palm: Option<ColliderHandle>,
    held: Option<usize>,
    /// The opening before the last close: where `release` opens back to.
    opened_m: f32,
    last_opening_m: f32,
    still_steps: u32,
    /// The motors' force limit (`GRIP_FORCE_N` unless set).
    grip_force_n: Option<f32>,
    /// The force the grasp planner asked for what it closes on next, if any (capped
    /// by the limit).
    grasp_force_n: Option<f32>,
    /// Closing at speed, not yet touching on both sides.
    closing: bool,
}

impl ParallelJaw {
    /// The colliders each finger touches, with the solver's impulse on each pair.
    fn touched(&self, physics: &PhysicsWorld, finger: &Finger) -> Vec<(Owner, f32)> {
        physics
            .narrow_phase
            .contact_pairs_with(finger.collider)
            .filter(|pair| pair.has_any_active_contact())
            .map(|pair| {
                let other = if pair.collider1 == finger.collider {
                    pair.collider2
                } else {
                    pair.collider1
                };
                let owner = physics
                    .colliders
                    .get(other)
                    .map_or(Owner::Unknown, |c| Owner::decode(c.user_data));
                (owner, pair.total_impulse_magnitude())
            })
            .filter(|(owner, _)| !matches!(owner, Owner::Robot(_)))
            .collect()
    }

    /// The object both fingers press on (the one pressed hardest), if any.
    fn pinched(&self, physics: &PhysicsWorld) -> Option<usize> {
        let [a, b] = self.fingers.as_slice() else {
            return None;
        };
        let (on_a, on_b) = (self.touched(physics, a), self.touched(physics, b));
        let mut best: Option<(usize, f32)> = None;
        for (owner, impulse_a) in &on_a {
            let Owner::Object(index) = owner else {
                continue;
            };
            let Some((_, impulse_b)) = on_b.iter().find(|(o, _)| o == owner) else {
                continue;
            };
            let impulse = impulse_a + impulse_b;
            if best.is_none_or(|(_, b)| impulse > b) {
                best = Some((*index, impulse));
            }
        }
        best.map(|(index, _)| index)
    }

    /// What the fingers press with: the planner's choice for this grasp, at most the limit.
    fn force_n(&self) -> f32 {
        let limit = self.grip_force_n.unwrap_or(GRIP_FORCE_N);
        self.grasp_force_n.map_or(limit, |f| f.min(limit))
    }

    fn drive(&mut self, physics: &mut PhysicsWorld, motor: impl Fn(&mut GenericJoint)) {
        let force = self.force_n();
        for finger in &self.fingers {
            if let Some((multibody, id)) = physics.multibody_joints.get_mut(finger.joint)
                && let Some(link) = multibody.link_mut(id)
            {
                motor(&mut link.joint.data);
                link.joint
                    .data
                    .set_motor_max_force(JointAxis::LinX, 2.0 * force);
            }
            if let Some(body) = physics.bodies.get_mut(finger.body) {
                body.wake_up(true);
            }
        }
        self.still_steps = 0;
    }
}

impl Gripper for ParallelJaw {
    fn name(&self) -> &'static str {
        "fingers"
    }

    fn kind(&self) -> GripperKind {
        GripperKind::Parallel
    }

    fn mount(&mut self, tool: &mut Tool<'_>) {
        let physics = &mut *tool.physics;
        let link_pose = *physics.bodies[tool.link].position();
        let tip_in_link = link_pose.inv_mul(&tool.tip);
        // The rod ends above the pads: the gripper's body. Its rounded end stops
        // `PALM_GAP_M` above the pads' tops.
        let rod = physics.bodies[tool.link].colliders()[0];
        let (groups, owner) = {
            let collider = &physics.colliders[rod];
            (collider.collision_groups(), collider.user_data)
        };
        if let Some(capsule) = physics.colliders[rod].shape().as_capsule() {
            let original = physics.colliders[rod].shared_shape().clone();
            let out_of_tool = tip_in_link.rotation * Vec3::Z;
            let end = tip_in_link.translation
                - out_of_tool * (PAD_LENGTH_M + PALM_GAP_M + capsule.radius);
            let shape = SharedShape::capsule(capsule.segment.a, end, capsule.radius);
            physics.colliders[rod].set_shape(shape);
            self.rod = Some((rod, original));
        }
        let travel = MAX_OPENING_M / 2.0;
        for side in [1.0f32, -1.0] {
            // In the tool frame: the pad's center when fully open, and the closing axis.
            let open_at = Vec3::new(
                0.0,
                side * (travel + PAD_THICKNESS_M / 2.0),
                -PAD_LENGTH_M / 2.0,
            );
            let closing = Rotation::from_rotation_arc(Vec3::X, -side * Vec3::Y);
            let in_link = tip_in_link * Pose::from_translation(open_at);
            let (body, collider) = physics.insert(
                RigidBodyBuilder::dynamic()
                    .pose(link_pose * in_link)
                    .gravity_scale(0.0)
                    .can_sleep(false)
                    // An object squeezed between two fingers needs a converged solve,
                    // or it creeps round in the grip; only this island pays for it.
                    .additional_solver_iterations(EXTRA_SOLVER_ITERATIONS),
                pad_builder()
                    .mass(FINGER_MASS_KG)
                    .friction(PAD_FRICTION)
                    .collision_groups(groups)
                    .user_data(owner),
            );
            let pad = SharedShape::cuboid(
                PAD_LOOK_WIDTH_M / 2.0,
                PAD_THICKNESS_M / 2.0,
                PAD_LENGTH_M / 2.0,
            );
            physics.insert_collider(look(pad, owner), Some(body));
            let joint = GenericJointBuilder::new(JointAxesMask::LOCKED_PRISMATIC_AXES)
                .local_frame1(in_link * Pose::from_rotation(closing))
                .local_frame2(Pose::from_rotation(closing))
                .contacts_enabled(false)
                .limits(JointAxis::LinX, [0.0, travel])
                .motor_model(JointAxis::LinX, MotorModel::ForceBased)
                .motor_position(JointAxis::LinX, 0.0, OPEN_STIFFNESS, OPEN_DAMPING)
                .motor_max_force(JointAxis::LinX, GRIP_FORCE_N)
                .build();
            // A multibody joint (reduced coordinates) keeps the finger exactly on its
            // axis; an impulse joint's give let squeezed objects twist out.
            let joint = physics
                .insert_multibody_joint(tool.link, body, joint)
                .expect("a finger joint makes no kinematic loop");
            self.fingers.push(Finger {
                body,
                collider,
                joint,
            });
        }
        // The palm the fingers slide in: from just above the pads' tops up round the
        // rod's end.
        let palm = SharedShape::cuboid(
            PAD_LOOK_WIDTH_M / 2.0,
            travel + PAD_THICKNESS_M,
            PALM_LOOK_HEIGHT_M / 2.0,
        );
        let palm_at = Vec3::new(
            0.0,
            0.0,
            -(PAD_LENGTH_M + PALM_LOOK_CLEARANCE_M + PALM_LOOK_HEIGHT_M / 2.0),
        );
        let in_link = tip_in_link * Pose::from_translation(palm_at);
        self.palm =
            Some(physics.insert_collider(look(palm, owner).position(in_link), Some(tool.link)));
        self.opened_m = MAX_OPENING_M;
        self.last_opening_m = MAX_OPENING_M;
    }

    fn unmount(&mut self, physics: &mut PhysicsWorld) {
        for finger in self.fingers.drain(..) {
            physics.remove_body(finger.body);
        }
        if let Some(palm) = self.palm.take() {
            physics.remove_collider(palm);
        }
        if let Some((rod, shape)) = self.rod.take() {
            physics.colliders[rod].set_shape(shape);
        }
    }

    fn close(&mut self, tool: &mut Tool<'_>) {
        self.opened_m = self.opening_m(tool.physics).unwrap_or(MAX_OPENING_M);
        self.closing = true;
        self.drive(tool.physics, |joint| {
            joint.set_motor_velocity(JointAxis::LinX, CLOSING_SPEED_MPS, CLOSE_DAMPING);
        });
    }

    fn set_opening(&mut self, tool: &mut Tool<'_>, width_m: f32) {
        self.closing = false;
        let travel = ((MAX_OPENING_M - width_m.clamp(0.0, MAX_OPENING_M)) / 2.0).max(0.0);
        self.drive(tool.physics, |joint| {
            joint.set_motor(JointAxis::LinX, travel, 0.0, OPEN_STIFFNESS, OPEN_DAMPING);
        });
    }

    fn set_grip_force(&mut self, tool: &mut Tool<'_>, force_n: f32) {
        self.grip_force_n = Some(force_n);
        self.drive(tool.physics, |_| {});
    }

    fn set_grasp_force(&mut self, tool: &mut Tool<'_>, force_n: f32) {
        self.grasp_force_n = Some(force_n);
        self.drive(tool.physics, |_| {});
    }

    fn is_moving(&mut self, tool: &mut Tool<'_>) -> bool {
        let opening = self.opening_m(tool.physics).unwrap_or(0.0);
        if (opening - self.last_opening_m).abs() < STILL_PER_STEP_M {
            self.still_steps += 1;
        } else {
            self.still_steps = 0;
        }
        self.last_opening_m = opening;
        let both_touch = self
            .fingers
            .iter()
            .all(|f| !self.touched(tool.physics, f).is_empty());
        if self.closing && (both_touch || self.still_steps >= STILL_STEPS) {
            // Squeeze: both fingers to the same travel, past where they touched.
            self.closing = false;
            let force = self.force_n();
            let travel = ((MAX_OPENING_M - opening) / 2.0 + SQUEEZE_M).min(MAX_OPENING_M / 2.0);
            self.drive(tool.physics, |joint| {
                joint.set_motor(
                    JointAxis::LinX,
                    travel,
                    0.0,
                    force / SQUEEZE_M,
                    SQUEEZE_DAMPING,
                );
            });
            return true;
        }
        self.still_steps < STILL_STEPS
    }

    fn grasp(&mut self, tool: &mut Tool<'_>) -> Result<usize, Miss> {
        if let Some(index) = self.held {
            return Ok(index);
        }
        let opening = self.opening_m(tool.physics).unwrap_or(0.0);
        if let Some(index) = self.pinched(tool.physics)
            && opening > CLOSED_WIDTH_M
        {
            self.held = Some(index);
            return Ok(index);
        }
        // What a finger came down on or pressed against, when it is not an object.
        let other = self
            .fingers
            .iter()
            .flat_map(|f| self.touched(tool.physics, f))
            .map(|(owner, _)| owner)
            .find(|owner| !matches!(owner, Owner::Object(_)));
        Err(other.map_or(Miss::Nothing, Miss::NotAnObject))
    }

    fn release(&mut self, tool: &mut Tool<'_>) -> Option<usize> {
        let held = self.held.take();
        let width = self.opened_m;
        self.set_opening(tool, width);
        held
    }

    fn still_holds(&self, tool: &Tool<'_>, index: usize) -> bool {
        self.opening_m(tool.physics).unwrap_or(0.0) > CLOSED_WIDTH_M
            && self.pinched(tool.physics) == Some(index)
    }

    fn bodies(&self) -> Vec<RigidBodyHandle> {
        self.fingers.iter().map(|f| f.body).collect()
    }

    fn opening_m(&self, physics: &PhysicsWorld) -> Option<f32> {
        let [a, b] = self.fingers.as_slice() else {
            return None;
        };
        let (pa, pb) = (
            physics.bodies[a.body].translation(),
            physics.bodies[b.body].translation(),
        );
        Some(((pa - pb).length() - PAD_THICKNESS_M).max(0.0))
    }

    fn max_opening_m(&self) -> Option<f32> {
        Some(MAX_OPENING_M)
    }

    fn push_half_width_m(&self) -> f32 {
        PAD_WIDTH_M / 2.0
    }
}

/// A part that is only seen (by the camera, in the viewer and replays): it has no mass
/// and touches nothing.
fn look(shape: SharedShape, owner: u128) -> ColliderBuilder {
    ColliderBuilder::new(shape)
        .density(0.0)
        .collision_groups(InteractionGroups::none())
        .user_data(owner)
}

/// A finger pad: two rounded contacts, at its top and its bottom. A block squeezed
/// between two single contacts (a round pad on a face) turns freely about the line
/// between them, and swung down in the grip as the arm moved; with two contacts a pad's
/// length apart, friction holds it square. A flat pad's four coplanar contact points
/// leave the solver free to share the squeeze unevenly, which twisted blocks out.
fn pad_builder() -> ColliderBuilder {
    let reach = PAD_CONTACT_SPREAD_M / 2.0;
    let ball = || SharedShape::ball(PAD_THICKNESS_M / 2.0);
    ColliderBuilder::compound(vec![
        (Pose::from_translation(Vec3::new(0.0, 0.0, reach)), ball()),
        (Pose::from_translation(Vec3::new(0.0, 0.0, -reach)), ball()),
    ])
}
