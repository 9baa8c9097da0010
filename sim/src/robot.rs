//! The arm in the rapier world: links joined by impulse joints with acceleration-based
//! position motors, a [`Gripper`] on the last link, and motions that step the world
//! until they end.

use crate::arm::ArmSpec;
use crate::error::{MotionError, SimError};
use crate::gripper::{Gripper, GripperKind, Miss, Suction, Tool};
use crate::guard::{self, Guard, Plan};
use crate::kinematics::{self, ToolAim};
use crate::motion::Trajectory;
use crate::world::{Owner, World};
use crate::{Pose, Rotation, Vec3};
use nalgebra::{Isometry3, Translation3, Vector3};
use rapier3d::prelude::*;

/// Collision group of every robot part: robot parts skip each other.
const ROBOT_GROUP: Group = Group::GROUP_1;

/// The arm as built in a world.
#[derive(Debug)]
pub struct Robot {
    pub spec: ArmSpec,
    pub base: RigidBodyHandle,
    /// Link bodies 1..=n (index 0 is link 1).
    pub links: Vec<RigidBodyHandle>,
    pub joints: Vec<ImpulseJointHandle>,
    /// Joint frames on the parent and child bodies (for measuring angles).
    joint_frames: Vec<(Pose, Pose)>,
    /// The angles the motors are holding.
    target_rad: Vec<f64>,
    /// The tool on the last link (suction unless a world says otherwise).
    gripper: Box<dyn Gripper>,
    held: Option<Held>,
    /// The safety limits every motion is checked against before it runs.
    guards: Vec<Box<dyn Guard>>,
}

/// What the arm keeps about a held object for its safety stops (the gripper keeps how).
#[derive(Debug, Clone)]
struct Held {
    object: usize,
    /// What the object rested on when grasped. Lifting an object out of a resting
    /// overlap pushes hard for a few steps; those contacts are not collisions.
    resting_on: Vec<ColliderHandle>,
    /// What lay inside the held bowl when it was grasped: carried with it, so its
    /// touching the bowl is neither a collision nor a guarded motion's first contact.
    carried: Vec<ColliderHandle>,
    /// Height of the object's bottom when grasped.
    grasp_bottom_z: f32,
}

pub(crate) fn iso_to_pose(iso: &Isometry3<f64>) -> Pose {
    let t = iso.translation.vector;
    let r = iso.rotation;
    Pose::from_parts(
        Vec3::new(t.x as f32, t.y as f32, t.z as f32),
        Rotation::from_xyzw(r.i as f32, r.j as f32, r.k as f32, r.w as f32).normalize(),
    )
}

fn to_vec3(v: &Vector3<f64>) -> Vec3 {
    Vec3::new(v.x as f32, v.y as f32, v.z as f32)
}

impl Robot {
    /// Builds the arm's bodies, colliders and joints in its home configuration.
    pub(crate) fn build(physics: &mut PhysicsWorld, spec: ArmSpec) -> Robot {
        let groups = InteractionGroups::new(
            ROBOT_GROUP,
            Group::ALL.difference(ROBOT_GROUP),
            InteractionTestMode::And,
        );
        let (base, _) = physics.insert(
            RigidBodyBuilder::fixed(),
            ColliderBuilder::cylinder(0.045, 0.075)
                .rotation(Vec3::X * std::f32::consts::FRAC_PI_2)
                .translation(Vec3::Z * 0.045)
                .collision_groups(groups)
                .user_data(Owner::Robot(0).encode()),
        );
        let frames = kinematics::link_frames(&spec, &spec.home_rad);
        let mut links = Vec::new();
        let mut joints = Vec::new();
        let mut joint_frames = Vec::new();
        let mut parent = base;
        for (i, ((joint, link), frame)) in
            spec.joints.iter().zip(&spec.links).zip(&frames).enumerate()
        {
            let (body, _) = physics.insert(
                RigidBodyBuilder::dynamic()
                    .pose(iso_to_pose(frame))
                    .can_sleep(false)
                    // The controller compensates the links' weight exactly, as a real
                    // arm's does; without it impulse joints in a chain sag by ~2 mm.
                    .gravity_scale(0.0),
                ColliderBuilder::capsule_from_endpoints(
                    to_vec3(&link.capsule_a.coords),
                    to_vec3(&link.capsule_b.coords),
                    link.radius_m as f32,
                )
                .mass(link.mass_kg as f32)
                .collision_groups(groups)
                .user_data(Owner::Robot(i + 1).encode()),
            );
            // The joint's free axis is rapier's local X: turn X onto the joint axis.
            let arc = Rotation::from_rotation_arc(Vec3::X, to_vec3(&joint.axis.normalize()));
            let frame1 = iso_to_pose(&joint.origin) * Pose::from_rotation(arc);
            let frame2 = Pose::from_rotation(arc);
            let home = spec.home_rad[i] as f32;
            let data = GenericJointBuilder::new(JointAxesMask::LOCKED_REVOLUTE_AXES)
                .local_frame1(frame1)
                .local_frame2(frame2)
                .contacts_enabled(false)
                .motor_model(
                    JointAxis::AngX,
                    if spec.motor_force_based {
                        MotorModel::ForceBased
                    } else {
                        MotorModel::AccelerationBased
                    },
                )
                .set_motor(
                    JointAxis::AngX,
                    home,
                    0.0,
                    spec.motor_stiffness as f32,
                    spec.motor_damping as f32,
                )
                .motor_max_force(JointAxis::AngX, joint.max_torque_nm as f32)
                .build();
            joints.push(physics.insert_impulse_joint(parent, body, data));
            joint_frames.push((frame1, frame2));
            links.push(body);
            parent = body;
        }
        let target_rad = spec.home_rad.clone();
        Robot {
            spec,
            base,
            links,
            joints,
            joint_frames,
            target_rad,
            gripper: Box::new(Suction::default()),
            held: None,
            guards: guard::default_guards(),
        }
    }

    /// The angles the motors hold now.
    pub fn target_rad(&self) -> &[f64] {
        &self.target_rad
    }

    /// Index of the held object, if any.
    pub fn held_object(&self) -> Option<usize> {
        self.held.as_ref().map(|h| h.object)
    }

    /// The colliders of what lay inside the held bowl when it was grasped.
    pub(crate) fn carried(&self) -> &[ColliderHandle] {
        self.held.as_ref().map_or(&[], |h| h.carried.as_slice())
    }

    /// The gripper on the last link.
    pub fn gripper(&self) -> &dyn Gripper {
        self.gripper.as_ref()
    }

    /// Every body of the robot, as recordings list them: the base, the links, then the
    /// gripper's own moving parts (the fingers).
    pub fn parts(&self) -> impl Iterator<Item = RigidBodyHandle> + '_ {
        std::iter::once(self.base)
            .chain(self.links.iter().copied())
            .chain(self.gripper.bodies())
    }
}

/// How a motion runs.
#[derive(Debug, Clone, PartialEq)]
pub struct MotionOptions {
    /// Fraction of each joint's maximum speed and acceleration.
    pub speed_scale: f64,
    /// Top tool speed of straight-line moves, m/s.
    pub tool_speed_mps: f64,
    /// Contact force on the arm or the held object that stops the motion, N. Rapier's
    /// contacts are soft, so a rigid push registers tens of newtons, not hundreds.
    pub force_limit_n: f32,
    /// Stop (successfully) as soon as the tool or the held object touches something.
    pub stop_on_contact: bool,
    /// How long the arm may take to settle after the trajectory ends, s.
    pub settle_timeout_s: f64,
}

impl MotionOptions {
    /// A slow descent that stops (successfully) at the first touch: for coming down
    /// onto something without pressing on it.
    pub fn guarded() -> MotionOptions {
        MotionOptions {
            stop_on_contact: true,
            tool_speed_mps: 0.1,
            ..MotionOptions::default()
        }
    }
}

/// A trajectory through `waypoints` within the arm's joint limits, scaled by `options`.
fn timed(
    spec: &ArmSpec,
    waypoints: Vec<Vec<f64>>,
    options: &MotionOptions,
    max_s_speed: Option<f64>,
) -> Trajectory {
    let scaled = |limit: fn(&crate::arm::JointSpec) -> f64| -> Vec<f64> {
        spec.joints
            .iter()
            .map(|j| limit(j) * options.speed_scale)
            .collect()
    };
    let max_speed = scaled(|j| j.max_speed_rad_s);
    let max_accel = scaled(|j| j.max_accel_rad_s2);
    Trajectory::new(waypoints, &max_speed, &max_accel, max_s_speed)
}

impl Default for MotionOptions {
    fn default() -> Self {
        MotionOptions {
            speed_scale: 0.5,
            tool_speed_mps: 0.3,
            force_limit_n: 30.0,
            stop_on_contact: false,
            settle_timeout_s: 2.0,
        }
    }
}

/// How a motion that ended without error ended.
#[derive(Debug, Clone, PartialEq)]
pub struct MotionOutcome {
    /// What the tool or held object touched, when `stop_on_contact` stopped the motion.
    pub touched: Option<Owner>,
    /// Simulated seconds the motion took.
    pub duration_s: f64,
}

/// A straight-line tool path is split into waypoints this far apart.
const LINEAR_STEP_M: f64 = 0.005;
/// … and at most this much turn of the tool between them, rad (a line that only turns
/// the tool, as a `move_to` to where it is at another yaw, is still many small steps).
const LINEAR_STEP_RAD: f64 = 0.05;
/// A motion has arrived when the tool tip is this close to its target…
const ARRIVAL_TOLERANCE_M: f64 = 0.001;
/// … and every joint turns slower than this.
const SETTLED_SPEED_RAD_S: f32 = 0.02;
/// After a guarded stop the arm returns to its commanded pose this long before the
/// contact (1.5 mm at 0.1 m/s) …
const CONTACT_BACKOFF_S: f64 = 0.015;
/// … and is given this many steps to get there.
const SETTLE_STEPS: usize = 12;
/// A held object is clear of what it rested on once its bottom is this much higher.
const LIFTED_CLEAR_M: f32 = 0.01;
/// A contact force over the limit for this many consecutive steps stops a motion.
const FORCE_LIMIT_STEPS: u32 = 3;
/// A contact pushing harder than this counts as touching, N.
const TOUCH_FORCE_N: f32 = 0.01;
/// Longest a gripper's fingers may take to close or open, s.
const GRIPPER_TIMEOUT_S: f64 = 1.5;
pub use crate::gripper::SUCTION_RANGE_M;

impl World {
    fn robot_ref(&self) -> &Robot {
        self.robot.as_ref().expect("this world has no robot")
    }

    /// Measured joint angles, radians. A revolute joint's pose only tells its angle
    /// modulo 2π; the arm tracks its motor targets closely, so the representative
    /// nearest the target is the true one (joints may turn ±360° as on a UR5e).
    pub fn joint_angles(&self) -> Vec<f64> {
        use std::f64::consts::{PI, TAU};
        let robot = self.robot_ref();
        let bodies = &self.physics.bodies;
        let mut parent = robot.base;
        robot
            .links
            .iter()
            .zip(&robot.joint_frames)
            .zip(&robot.target_rad)
            .map(|((&link, (f1, f2)), &target)| {
                let r1 = bodies[parent].rotation() * f1.rotation;
                let r2 = bodies[link].rotation() * f2.rotation;
                parent = link;
                let rel = r1.inverse() * r2;
                let raw = 2.0 * (rel.x as f64).atan2(rel.w as f64);
                target + (raw - target + PI).rem_euclid(TAU) - PI
            })
            .collect()
    }

    /// Measured tool-tip pose.
    pub fn tool_pose(&self) -> Pose {
        let robot = self.robot_ref();
        let last = *robot.links.last().expect("links");
        self.physics.bodies[last].position() * iso_to_pose(&robot.spec.tool)
    }

    /// Where the tool was last commanded to point (the measured pose sags a little
    /// under a load).
    pub fn tool_aim(&self) -> ToolAim {
        let robot = self.robot_ref();
        ToolAim::of(&kinematics::tool_pose(&robot.spec, &robot.target_rad).rotation)
    }

    /// Measured tool-tip position.
    pub fn tool_position(&self) -> Vec3 {
        self.tool_pose().translation
    }

    /// Name of the object the suction tool holds.
    pub fn held(&self) -> Option<&str> {
        let index = self.robot.as_ref()?.held_object()?;
        Some(&self.objects[index].name)
    }

    /// Sets the joint motors' targets: angles `q` (rad) and speeds `q_dot` (rad/s).
    /// Motions call this every step; the benchmark drives its arm with it.
    pub fn command_joints(&mut self, q: &[f64], q_dot: &[f64]) {
        let robot = self.robot.as_mut().expect("this world has no robot");
        let (kp, kd) = (
            robot.spec.motor_stiffness as f32,
            robot.spec.motor_damping as f32,
        );
        for ((handle, &angle), &speed) in robot.joints.iter().zip(q).zip(q_dot) {
            // Rapier's motor reads its target as sin(angle / 2): an angle past ±π reads
            // as its mirror image (−3.6 rad as −2.7), so it gets the same turn in (−π, π].
            let angle = angle - std::f64::consts::TAU * (angle / std::f64::consts::TAU).round();
            if let Some(joint) = self.physics.impulse_joints.get_mut(*handle, false) {
                joint
                    .data
                    .set_motor(JointAxis::AngX, angle as f32, speed as f32, kp, kd);
            }
        }
        robot.target_rad = q.to_vec();
    }

    /// Moves the tool tip to `position`, aimed by `aim` (a bare yaw, in radians, points
    /// it straight down turned by that much; see [`ToolAim`]). `linear` moves the tip
    /// along a straight line; otherwise joints interpolate.
    pub fn move_tool(
        &mut self,
        position: [f32; 3],
        aim: impl Into<ToolAim>,
        linear: bool,
        options: &MotionOptions,
    ) -> Result<MotionOutcome, MotionError> {
        let goal = Vector3::new(position[0] as f64, position[1] as f64, position[2] as f64);
        for guard in &self.robot_ref().guards {
            guard.check_goal(goal)?;
        }
        let spec = self.robot_ref().spec.clone();
        let start_q = self.robot_ref().target_rad.clone();
        let waypoints = plan_tool(&spec, &start_q, position, aim.into(), linear)?;
        // A line is run at the tool speed: the fraction of it per second.
        let length = (goal - kinematics::tool_pose(&spec, &start_q).translation.vector).norm();
        let s_speed = (linear && length > 1e-9).then(|| options.tool_speed_mps / length);
        self.check_guards(&Plan {
            spec: &spec,
            waypoints: &waypoints,
            linear,
        })?;
        let trajectory = timed(&spec, waypoints, options, s_speed);
        self.run_trajectory(&trajectory, goal, options)
    }

    /// Whether the tool, aimed by `aim`, can make these moves one after another from
    /// where it is commanded now: each a position and whether it goes along a line.
    pub fn reaches(&self, moves: &[([f32; 3], bool)], aim: ToolAim) -> bool {
        let spec = &self.robot_ref().spec;
        let mut q = self.robot_ref().target_rad.clone();
        for &(position, linear) in moves {
            match plan_tool(spec, &q, position, aim, linear) {
                Ok(mut path) => q = path.pop().expect("a plan ends somewhere"),
                Err(_) => return false,
            }
        }
        true
    }

    /// Moves the joints to `q` (radians) along a joint-space trajectory.
    pub fn move_joints(
        &mut self,
        q: &[f64],
        options: &MotionOptions,
    ) -> Result<MotionOutcome, MotionError> {
        let spec = self.robot_ref().spec.clone();
        let start_q = self.robot_ref().target_rad.clone();
        let waypoints = vec![start_q, q.to_vec()];
        self.check_guards(&Plan {
            spec: &spec,
            waypoints: &waypoints,
            linear: false,
        })?;
        let goal = kinematics::tool_pose(&spec, q).translation.vector;
        for guard in &self.robot_ref().guards {
            guard.check_goal(goal)?;
        }
        let trajectory = timed(&spec, waypoints, options, None);
        self.run_trajectory(&trajectory, goal, options)
    }

    /// Runs the arm's guards over a planned motion: the first refusal is the error.
    fn check_guards(&self, plan: &Plan<'_>) -> Result<(), MotionError> {
        self.robot_ref()
            .guards
            .iter()
            .try_for_each(|guard| guard.check_path(plan))
    }

    /// Puts `guard` around the arm's motions, after the ones it has (joint limits and
    /// the workspace box by default).
    pub fn add_guard(&mut self, guard: Box<dyn Guard>) {
        self.robot
            .as_mut()
            .expect("this world has no robot")
            .guards
            .push(guard);
    }

    /// Holds the arm where it is for `seconds` of simulated time.
    pub fn wait(&mut self, seconds: f64) {
        let steps = (seconds / self.config.dt_s as f64).round() as u64;
        let hold = self.robot.as_ref().map(|r| r.target_rad.clone());
        for _ in 0..steps {
            if let Some(q) = &hold {
                self.command_joints(q, &vec![0.0; q.len()]);
            }
            self.step();
        }
    }

    fn run_trajectory(
        &mut self,
        trajectory: &Trajectory,
        goal: Vector3<f64>,
        options: &MotionOptions,
    ) -> Result<MotionOutcome, MotionError> {
        let dt = self.config.dt_s as f64;
        let start_s = self.time_s();
        let duration = trajectory.duration_s();
        let mut steps = 0u64;
        // Consecutive steps with a contact force over the limit: resolving a resting
        // overlap kicks for a step or two; a real collision keeps pushing.
        let mut steps_over_limit = 0;
        loop {
            steps += 1;
            let t = steps as f64 * dt;
            let (q, q_dot) = trajectory.sample(t);
            self.command_joints(&q, &q_dot);
            self.step();
            self.forget_separated_resting_contacts();
            if let Some(hit) = self.strongest_contact() {
                steps_over_limit = if hit.force_n > options.force_limit_n {
                    steps_over_limit + 1
                } else {
                    0
                };
                if steps_over_limit >= FORCE_LIMIT_STEPS {
                    self.hold_here();
                    return Err(MotionError::CollisionForce {
                        part: self.describe(hit.part),
                        other: self.describe(hit.other),
                        force_n: hit.force_n,
                        limit_n: options.force_limit_n,
                        at: hit.at,
                    });
                }
                if options.stop_on_contact && hit.touching {
                    // Back off to where the trajectory was a moment ago: holding the
                    // pose of first contact would keep the stiff arm pressing on it.
                    let (back, _) = trajectory.sample((t - CONTACT_BACKOFF_S).max(0.0));
                    self.command_joints(&back, &vec![0.0; back.len()]);
                    for _ in 0..SETTLE_STEPS {
                        self.step();
                    }
                    return Ok(MotionOutcome {
                        touched: Some(hit.other),
                        duration_s: self.time_s() - start_s,
                    });
                }
            }
            if t >= duration {
                let tip = self.tool_position();
                let error = (Vector3::new(tip.x as f64, tip.y as f64, tip.z as f64) - goal).norm();
                if error < ARRIVAL_TOLERANCE_M && self.arm_is_still() {
                    return Ok(MotionOutcome {
                        touched: None,
                        duration_s: self.time_s() - start_s,
                    });
                }
                if t > duration + options.settle_timeout_s {
                    return Err(MotionError::DidNotArrive {
                        target: [goal.x as f32, goal.y as f32, goal.z as f32],
                        error_m: error as f32,
                        waited_s: (self.time_s() - start_s) as f32,
                    });
                }
            }
        }
    }

    /// Forgets the held object's grasp-time resting contacts once it has been lifted
    /// clear of them: touching that surface again (setting it back down) is real.
    fn forget_separated_resting_contacts(&mut self) {
        let Some(held) = self.robot.as_ref().and_then(|r| r.held.as_ref()) else {
            return;
        };
        if held.resting_on.is_empty() {
            return;
        }
        let collider = self.objects[held.object].collider;
        let bottom = self.physics.colliders[collider].compute_aabb().mins.z;
        if bottom > held.grasp_bottom_z + LIFTED_CLEAR_M
            && let Some(held) = self.robot.as_mut().and_then(|r| r.held.as_mut())
        {
            held.resting_on.clear();
        }
    }

    fn arm_is_still(&self) -> bool {
        let robot = self.robot_ref();
        robot
            .links
            .iter()
            .all(|&l| self.physics.bodies[l].angvel().length() < SETTLED_SPEED_RAD_S)
    }

    /// Makes the motors hold the measured configuration (after a stop).
    fn hold_here(&mut self) {
        let q = self.joint_angles();
        let zeros = vec![0.0; q.len()];
        self.command_joints(&q, &zeros);
    }

    fn describe(&self, owner: Owner) -> String {
        match owner {
            Owner::Table => "table".into(),
            Owner::Robot(0) => "robot base".into(),
            Owner::Robot(i) => match self.robot.as_ref().map(|r| r.spec.dof()) {
                Some(n) if i == n => match self.gripper_kind() {
                    GripperKind::Suction => "suction tool".into(),
                    _ => self.robot_ref().gripper.name().into(),
                },
                _ => format!("arm link {i}"),
            },
            Owner::Object(i) => self.objects[i].name.clone(),
            Owner::Unknown => "unknown body".into(),
        }
    }

    /// The strongest contact between a robot part (or the held object) and anything
    /// else, after the last step.
    fn strongest_contact(&self) -> Option<Contact> {
        let robot = self.robot_ref();
        let held = robot.held_object().map(|i| self.objects[i].body);
        let dt = self.config.dt_s;
        let mut best: Option<Contact> = None;
        let parts = robot
            .links
            .iter()
            .copied()
            .chain(robot.gripper.bodies())
            .chain(held);
        for body in parts {
            for &collider in self.physics.bodies[body].colliders() {
                for pair in self.physics.narrow_phase.contact_pairs_with(collider) {
                    let other = if pair.collider1 == collider {
                        pair.collider2
                    } else {
                        pair.collider1
                    };
                    let other_owner = self.owner(other);
                    if matches!(other_owner, Owner::Robot(_))
                        || Some(other_owner) == robot.held_object().map(Owner::Object)
                        || robot.held.as_ref().is_some_and(|h| {
                            Some(body) == held
                                && (h.resting_on.contains(&other) || h.carried.contains(&other))
                        })
                    {
                        continue;
                    }
                    // Manifold points are recycled between steps (their distances go
                    // stale); the solver's impulse says whether the bodies push.
                    let force_n = pair.total_impulse_magnitude() / dt;
                    let touching = force_n > TOUCH_FORCE_N;
                    if !touching {
                        continue;
                    }
                    let at = pair
                        .find_deepest_contact()
                        .map(|(m, c)| {
                            let pose = self.physics.colliders[pair.collider1].position();
                            let _ = m;
                            let p = pose * c.local_p1;
                            [p.x, p.y, p.z]
                        })
                        .unwrap_or([0.0; 3]);
                    if best.as_ref().is_none_or(|b| force_n > b.force_n) {
                        best = Some(Contact {
                            part: self.owner(collider),
                            other: other_owner,
                            force_n,
                            touching,
                            at,
                        });
                    }
                }
            }
        }
        best
    }

    /// Puts `gripper` on the arm in place of the one it has; the hand must be empty.
    pub fn set_gripper(&mut self, mut gripper: Box<dyn Gripper>) -> Result<(), SimError> {
        if let Some(held) = self.held() {
            return Err(SimError::HandNotEmpty {
                held: held.to_string(),
            });
        }
        let robot = self.robot.as_mut().expect("this world has no robot");
        // `gripper` is the old one after the swap.
        std::mem::swap(&mut robot.gripper, &mut gripper);
        gripper.unmount(&mut self.physics);
        self.with_gripper(|new, tool| new.mount(tool));
        Ok(())
    }

    /// Which kind of gripper the arm has.
    pub fn gripper_kind(&self) -> GripperKind {
        self.robot_ref().gripper.kind()
    }

    /// Steps the world (the arm holding still) while the gripper's parts move, for at
    /// most `GRIPPER_TIMEOUT_S`.
    fn let_gripper_move(&mut self) {
        let limit = (GRIPPER_TIMEOUT_S / self.config.dt_s as f64).round() as u64;
        let hold = self.robot_ref().target_rad.clone();
        let zeros = vec![0.0; hold.len()];
        for _ in 0..limit {
            if !self.with_gripper(|gripper, tool| gripper.is_moving(tool)) {
                break;
            }
            self.command_joints(&hold, &zeros);
            self.step();
        }
    }

    /// Opens (or closes) the empty gripper's fingers to `width_m` and waits until they
    /// stop; nothing for a gripper without fingers.
    pub fn set_gripper_opening(&mut self, width_m: f32) {
        self.with_gripper(|gripper, tool| gripper.set_opening(tool, width_m));
        self.let_gripper_move();
    }

    /// Sets the gripper's grip force limit, N (nothing for suction).
    pub fn set_grip_force_n(&mut self, force_n: f32) {
        self.with_gripper(|gripper, tool| gripper.set_grip_force(tool, force_n));
    }

    /// Sets the force the gripper's next grasps press with, N, at most its limit
    /// (nothing for suction).
    pub fn set_grasp_force_n(&mut self, force_n: f32) {
        self.with_gripper(|gripper, tool| gripper.set_grasp_force(tool, force_n));
    }

    /// The measured opening between the fingers, m (`None` without fingers).
    pub fn gripper_opening_m(&self) -> Option<f32> {
        self.robot.as_ref()?.gripper.opening_m(&self.physics)
    }

    /// Checks that the gripper still holds what the arm thinks it holds. When it has
    /// slipped out (of the fingers), the hand is empty again and this returns its name.
    pub fn lost_grip(&mut self) -> Option<String> {
        let index = self.robot.as_ref()?.held.as_ref()?.object;
        if self.with_gripper(|gripper, tool| gripper.still_holds(tool, index)) {
            return None;
        }
        self.with_gripper(|gripper, tool| gripper.release(tool));
        self.robot.as_mut()?.held = None;
        self.let_gripper_move();
        Some(self.objects[index].name.clone())
    }

    /// Runs `f` with the gripper and what it can reach.
    fn with_gripper<T>(&mut self, f: impl FnOnce(&mut dyn Gripper, &mut Tool<'_>) -> T) -> T {
        let tip = self.tool_pose();
        let robot = self.robot.as_mut().expect("this world has no robot");
        let link = *robot.links.last().expect("links");
        let object_bodies: Vec<RigidBodyHandle> = self.objects.iter().map(|o| o.body).collect();
        let mut tool = Tool {
            physics: &mut self.physics,
            link,
            tip,
            object_bodies: &object_bodies,
        };
        f(robot.gripper.as_mut(), &mut tool)
    }

    /// Closes the gripper (for suction: turns it on) on what is at the tool. Returns the
    /// held object's name, or `None` (and what is at the tip) when nothing was taken.
    pub fn grasp(&mut self) -> Result<String, Option<String>> {
        if let Some(name) = self.held() {
            return Ok(name.to_string());
        }
        self.with_gripper(|gripper, tool| gripper.close(tool));
        self.let_gripper_move();
        let index = match self.with_gripper(|gripper, tool| gripper.grasp(tool)) {
            Ok(index) => index,
            Err(Miss::Nothing) => return Err(None),
            Err(Miss::NotAnObject(owner)) => return Err(Some(self.describe(owner))),
        };
        let object_collider = self.objects[index].collider;
        let grasp_bottom_z = self.physics.colliders[object_collider]
            .compute_aabb()
            .mins
            .z;
        let resting_on = self
            .physics
            .narrow_phase
            .contact_pairs_with(object_collider)
            .filter(|pair| pair.has_any_active_contact())
            .map(|pair| {
                if pair.collider1 == object_collider {
                    pair.collider2
                } else {
                    pair.collider1
                }
            })
            .collect();
        let carried = self.carried_by(index);
        let robot = self.robot.as_mut().expect("robot");
        robot.held = Some(Held {
            carried,
            resting_on,
            grasp_bottom_z,
            object: index,
        });
        Ok(self.objects[index].name.clone())
    }

    /// The colliders of the objects inside object `index` when it is a bowl.
    fn carried_by(&self, index: usize) -> Vec<ColliderHandle> {
        let container = &self.objects[index];
        if container.kind != crate::Kind::Bowl {
            return Vec::new();
        }
        self.objects
            .iter()
            .filter(|o| self.is_inside(&o.name, &container.name).unwrap_or(false))
            .map(|o| o.collider)
            .collect()
    }

    /// Opens the gripper (for suction: turns it off), letting go of what the tool holds.
    /// Returns its name.
    /// Fingers open back to where they were before they closed (or fully when empty).
    pub fn release(&mut self) -> Option<String> {
        if self.robot.as_ref()?.held.is_none() {
            let widest = self.robot_ref().gripper.max_opening_m();
            if let Some(width) = widest {
                self.set_gripper_opening(width);
            }
            return None;
        }
        let index = self.with_gripper(|gripper, tool| gripper.release(tool));
        self.robot.as_mut()?.held = None;
        self.let_gripper_move();
        Some(self.objects[index?].name.clone())
    }
}

#[derive(Debug, Clone)]
struct Contact {
    part: Owner,
    other: Owner,
    force_n: f32,
    touching: bool,
    at: [f32; 3],
}

/// The joint waypoints that take the tool from joint angles `start_q` to `position`
/// aimed by `aim`: along a straight line (`linear`, waypoints `LINEAR_STEP_M` and
/// `LINEAR_STEP_RAD` apart at most) or straight to the IK solution nearest `start_q`.
fn plan_tool(
    spec: &ArmSpec,
    start_q: &[f64],
    position: [f32; 3],
    aim: ToolAim,
    linear: bool,
) -> Result<Vec<Vec<f64>>, MotionError> {
    let goal = Vector3::new(position[0] as f64, position[1] as f64, position[2] as f64);
    let target = kinematics::tool_target(goal, aim);
    let unreachable = || {
        let shoulder = kinematics::shoulder_position(spec);
        let reach_m = (spec.joints[2].origin.translation.vector.norm()
            + spec.joints[3].origin.translation.vector.norm()
            + spec.tool_length_m) as f32;
        let distance_m = (goal - shoulder).norm() as f32;
        let hint = if distance_m < reach_m {
            "; it is too close to the base or the tool cannot point down there".to_string()
        } else {
            String::new()
        };
        MotionError::Unreachable {
            target: position,
            distance_m,
            reach_m,
            hint,
        }
    };
    if !linear {
        let q = kinematics::solve_ik_near(spec, &target, start_q).ok_or_else(unreachable)?;
        return Ok(vec![start_q.to_vec(), q]);
    }
    let start = kinematics::tool_pose(spec, start_q);
    let length = (goal - start.translation.vector).norm();
    let turn = start.rotation.angle_to(&target.rotation);
    let n = ((length / LINEAR_STEP_M).max(turn / LINEAR_STEP_RAD).ceil() as usize).max(1);
    let mut path = vec![start_q.to_vec()];
    for k in 1..=n {
        let frac = k as f64 / n as f64;
        let point = start.translation.vector.lerp(&goal, frac);
        let rotation = start.rotation.slerp(&target.rotation, frac);
        let pose = Isometry3::from_parts(Translation3::from(point), rotation);
        let prev = path.last().expect("non-empty");
        let q = kinematics::solve_ik(spec, &pose, prev).ok_or_else(unreachable)?;
        // A jump between neighbouring waypoints means a singularity or a branch
        // change: the tool would not follow the line.
        if q.iter().zip(prev).any(|(a, b)| (a - b).abs() > 0.3) {
            return Err(unreachable());
        }
        path.push(q);
    }
    Ok(path)
}
