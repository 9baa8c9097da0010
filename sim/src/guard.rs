//! Safety limits as wrappers around the arm: a [`Guard`] looks at every motion before
//! it runs — where the tool is sent, then the planned joint path — and refuses one that
//! breaks its limit, with a [`MotionError`] that says what to do instead. The arm runs
//! the guards it has (by default [`JointLimits`] and the [`WorkspaceBox`]); motions
//! themselves (`move_tool`, `move_joints`) only plan and execute. Contact-force stops
//! need the physics step, so they stay in the motion loop (`MotionOptions::force_limit_n`).

use crate::arm::ArmSpec;
use crate::error::MotionError;
use crate::kinematics;
use nalgebra::Vector3;

/// A motion about to run: the arm, its joint path and the tool's goal.
pub struct Plan<'a> {
    pub spec: &'a ArmSpec,
    /// Joint angles along the path, the current pose first, radians.
    pub waypoints: &'a [Vec<f64>],
    /// Whether the tool goes in a straight line (the waypoints are close together) or
    /// the joints interpolate between them.
    pub linear: bool,
}

/// A limit on the arm's motions.
pub trait Guard: std::fmt::Debug + Send {
    /// Refuses sending the tool tip to `goal` (checked before any planning).
    fn check_goal(&self, _goal: Vector3<f64>) -> Result<(), MotionError> {
        Ok(())
    }
    /// Refuses a planned path.
    fn check_path(&self, _plan: &Plan<'_>) -> Result<(), MotionError> {
        Ok(())
    }
}

/// The guards an arm starts with: joint limits, then the workspace box.
pub fn default_guards() -> Vec<Box<dyn Guard>> {
    vec![Box::new(JointLimits), Box::new(WorkspaceBox::default())]
}

/// Every joint angle of the path within the arm's joint limits.
#[derive(Debug, Clone, Copy, Default)]
pub struct JointLimits;

impl Guard for JointLimits {
    fn check_path(&self, plan: &Plan<'_>) -> Result<(), MotionError> {
        for q in plan.waypoints.iter().skip(1) {
            for (i, (angle, joint)) in q.iter().zip(&plan.spec.joints).enumerate() {
                if *angle < joint.limits_rad[0] || *angle > joint.limits_rad[1] {
                    return Err(MotionError::JointLimit {
                        joint: i + 1,
                        name: joint.name.to_string(),
                        angle_deg: angle.to_degrees() as f32,
                        lo_deg: joint.limits_rad[0].to_degrees() as f32,
                        hi_deg: joint.limits_rad[1].to_degrees() as f32,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Where the tool tip may go: a box around the table, above its surface. The goal and
/// the tool's way there are checked (a joint move's path at 20 points between waypoints).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkspaceBox {
    pub min_m: [f32; 3],
    pub max_m: [f32; 3],
}

/// Points checked between two waypoints of a joint-interpolated path.
const JOINT_PATH_SAMPLES: usize = 20;

impl Default for WorkspaceBox {
    fn default() -> Self {
        WorkspaceBox {
            min_m: [-0.1, -0.6, -0.005],
            max_m: [1.0, 0.6, 0.9],
        }
    }
}

impl Guard for WorkspaceBox {
    fn check_goal(&self, goal: Vector3<f64>) -> Result<(), MotionError> {
        self.check(goal)
    }

    fn check_path(&self, plan: &Plan<'_>) -> Result<(), MotionError> {
        // A straight line between two points inside the box stays inside it.
        if plan.linear {
            return Ok(());
        }
        for pair in plan.waypoints.windows(2) {
            for k in 1..JOINT_PATH_SAMPLES {
                let frac = k as f64 / JOINT_PATH_SAMPLES as f64;
                let mid: Vec<f64> = pair[0]
                    .iter()
                    .zip(&pair[1])
                    .map(|(a, b)| a + (b - a) * frac)
                    .collect();
                self.check(kinematics::tool_pose(plan.spec, &mid).translation.vector)?;
            }
        }
        Ok(())
    }
}

impl WorkspaceBox {
    fn check(&self, at: Vector3<f64>) -> Result<(), MotionError> {
        let p = [at.x as f32, at.y as f32, at.z as f32];
        let axes = ["x", "y", "z"];
        for k in 0..3 {
            let side = if p[k] < self.min_m[k] {
                Some(("below", self.min_m[k]))
            } else if p[k] > self.max_m[k] {
                Some(("above", self.max_m[k]))
            } else {
                None
            };
            if let Some((word, bound)) = side {
                let limit = if k == 2 && word == "below" {
                    "below the table surface".to_string()
                } else {
                    format!("{} {word} {bound:.2} m", axes[k])
                };
                return Err(MotionError::OutsideWorkspace {
                    at: p,
                    limit,
                    min: self.min_m,
                    max: self.max_m,
                });
            }
        }
        Ok(())
    }
}
