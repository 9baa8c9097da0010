//! Errors of the simulation. Their messages reach a language model through the
//! primitives, so each says what happened, to what, and what would work instead.

use thiserror::Error;

/// Something went wrong building or querying a world.
#[derive(Debug, Error)]
pub enum SimError {
    /// An object name that the world does not have.
    #[error("unknown object '{name}'; known objects: {known}")]
    UnknownObject { name: String, known: String },
    /// A scene file could not be read, or a scene name is unknown.
    #[error("{0}")]
    Scene(String),
    /// A scene or task file is malformed; says where (1-based line and column) and what.
    #[error("{file}:{line}:{column}: {message}")]
    SceneParse {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// A query that does not make sense for the objects named.
    #[error("{0}")]
    InvalidQuery(String),
    /// A motion failed.
    #[error(transparent)]
    Motion(#[from] MotionError),
    /// Suction found nothing (or something else) to hold.
    #[error("could not grasp the {name}: under the suction cup was {under}")]
    GraspFailed { name: String, under: String },
    /// The fingers closed on nothing (or something else) where the object should be.
    #[error("could not grasp the {name}: {what}")]
    FingersMissed { name: String, what: String },
    /// The fingers lost their hold (the object's weight or a bump beat the friction).
    #[error(
        "the {name} slipped out of the fingers while {during}; it lies where it fell: pick it again"
    )]
    Slipped { name: String, during: String },
    /// An object wider than the fingers open.
    #[error("the {name} is {width_cm:.0} cm wide; the fingers open {opening_cm:.1} cm: {hint}")]
    TooWide {
        name: String,
        width_cm: f32,
        opening_cm: f32,
        hint: String,
    },
    /// A pick while something is held.
    #[error("already holding the {held}; place or release it before picking the {wanted}")]
    AlreadyHolding { held: String, wanted: String },
    /// A gripper change while something is held.
    #[error("the gripper holds the {held}; release it before changing the gripper")]
    HandNotEmpty { held: String },
    /// A place with nothing held.
    #[error("the gripper holds nothing; pick an object first")]
    NotHolding,
    /// The scene asks for something impossible (e.g. more objects than fit).
    #[error("scene '{scene}': {reason}")]
    InvalidScene { scene: String, reason: String },
}

/// Why a motion of the arm did not finish where it was asked to.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum MotionError {
    /// Inverse kinematics found no joint configuration for the target.
    #[error(
        "target [{x:.3}, {y:.3}, {z:.3}] is out of reach: {distance_m:.3} m from the shoulder, the arm reaches {reach_m:.3} m{hint}",
        x = target[0], y = target[1], z = target[2]
    )]
    Unreachable {
        target: [f32; 3],
        distance_m: f32,
        reach_m: f32,
        hint: String,
    },
    /// The tool tip would leave the workspace box.
    #[error(
        "the motion would take the tool tip to [{x:.3}, {y:.3}, {z:.3}], outside the workspace ({limit}); keep targets within x {xmin:.2}..{xmax:.2}, y {ymin:.2}..{ymax:.2}, z {zmin:.3}..{zmax:.2} m",
        x = at[0], y = at[1], z = at[2], xmin = min[0], xmax = max[0], ymin = min[1], ymax = max[1], zmin = min[2], zmax = max[2]
    )]
    OutsideWorkspace {
        at: [f32; 3],
        limit: String,
        min: [f32; 3],
        max: [f32; 3],
    },
    /// A joint would pass its limit.
    #[error(
        "joint {joint} ({name}) would reach {angle_deg:.1}°, past its limit of {lo_deg:.0}°..{hi_deg:.0}°; try a target closer to the robot or with another yaw"
    )]
    JointLimit {
        joint: usize,
        name: String,
        angle_deg: f32,
        lo_deg: f32,
        hi_deg: f32,
    },
    /// The arm or what it holds pushed on something harder than the safety limit.
    #[error(
        "safety stop: the {part} pressed on the {other} with {force_n:.0} N (limit {limit_n:.0} N) at [{x:.3}, {y:.3}, {z:.3}]; approach from above or stop higher",
        x = at[0], y = at[1], z = at[2]
    )]
    CollisionForce {
        part: String,
        other: String,
        force_n: f32,
        limit_n: f32,
        at: [f32; 3],
    },
    /// The arm did not reach the target in time (blocked, or overloaded).
    #[error(
        "the tool tip stopped {error_m:.3} m from the target [{x:.3}, {y:.3}, {z:.3}] after {waited_s:.1} s; something may be in the way",
        x = target[0], y = target[1], z = target[2]
    )]
    DidNotArrive {
        target: [f32; 3],
        error_m: f32,
        waited_s: f32,
    },
    /// The simulated-time budget of the episode ran out during the motion.
    #[error("simulated time limit of {limit_s:.0} s reached")]
    SimTimeLimit { limit_s: f32 },
}
