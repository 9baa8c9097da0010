//! wand-sim: the simulation that wand's programs act on.
//!
//! A Rapier tabletop with a UR5e-size arm, a gripper (suction), blocks and bowls, a
//! raycast camera and deterministic stepping. It knows nothing of Python, language
//! models or rendering windows; primitives call into [`World`] and read ground truth
//! through [`query`]. Frames follow REP-103: x forward, y left, z up, meters, radians.
//!
//! Start reading at [`World`]; a scene file becomes a world through [`scene`].

pub mod arm; // ArmSpec: a serial chain of revolute joints (the UR5e, the bench's 7-DOF arm)
pub mod bench; // the benchmark scenes of ../shared/bench, timed on wand's world
pub mod camera; // raycast RGB, depth and segmentation images
pub mod error; // SimError, MotionError
pub mod fpu; // flush-to-zero for the stepping thread
pub mod gripper; // the Gripper seam: suction, parallel-jaw fingers, and a fake for tests
pub mod guard; // safety limits as wrappers around the arm's motions: joint limits, workspace box
pub mod kinematics; // forward kinematics, Jacobian, damped-least-squares IK (nalgebra)
pub mod manipulation; // pick and place built from guarded motions
pub mod motion; // joint-space trajectories with speed and acceleration limits
pub mod objects; // blocks, bowls, colors
pub mod playback; // Playback: one clock over a recording's attempts, speed, seeking; the line at a moment
pub mod query; // ground-truth queries: poses, boxes, contacts, is_on, is_inside
pub mod recording; // Recording: frames over time and events, per attempt (the --record file)
pub mod replay; // Replay: pictures of a recording posed from its frames (never stepped), GIFs
pub mod robot; // the arm in the rapier world: motors, suction, motion execution
pub mod scene; // scene files (TOML) and their seeded randomization
pub mod sight; // perception from the camera: segmented depth → noisy points → pose and box estimates
pub mod snapshot; // serializable state: poses, joints, held object, time
pub mod world; // World: rapier sets, table, objects, robot, stepping

pub use error::{MotionError, SimError};
pub use objects::{Color, Kind, ObjectSpec};
pub use recording::Recording;
pub use scene::Scene;
pub use snapshot::Snapshot;
pub use world::World;

/// rapier's math module (glam types: `Vec2`, `Vec3`, `Pose`, …).
pub use rapier3d::math as rapier_math;
/// Math types used across the crate (glam, as rapier uses them).
pub use rapier3d::math::{Pose, Rotation, Vector as Vec3};

/// The fixed physics step, 1/240 s, as in the benchmark peers.
pub const DEFAULT_DT_S: f32 = 1.0 / 240.0;
