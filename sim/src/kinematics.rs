//! Forward kinematics, the geometric Jacobian and damped-least-squares inverse
//! kinematics of an [`ArmSpec`], in f64 with nalgebra.

use crate::arm::ArmSpec;
use nalgebra::{Isometry3, Matrix6, SMatrix, Translation3, UnitQuaternion, Vector3, Vector6};

/// Frames of links 1..=n in the base frame for joint angles `q`.
pub fn link_frames(arm: &ArmSpec, q: &[f64]) -> Vec<Isometry3<f64>> {
    let mut frame = Isometry3::identity();
    arm.joints
        .iter()
        .zip(q)
        .map(|(joint, &angle)| {
            frame *= joint.origin
                * UnitQuaternion::from_axis_angle(
                    &nalgebra::Unit::new_normalize(joint.axis),
                    angle,
                );
            frame
        })
        .collect()
}

/// The tool-tip frame in the base frame for joint angles `q`.
pub fn tool_pose(arm: &ArmSpec, q: &[f64]) -> Isometry3<f64> {
    let frames = link_frames(arm, q);
    frames.last().copied().unwrap_or_else(Isometry3::identity) * arm.tool
}

/// The target orientation for a tool pointing straight down, turned by `yaw_rad`
/// about the vertical: tool +z = world −z, tool +x = (cos yaw, sin yaw, 0).
pub fn tool_down(yaw_rad: f64) -> UnitQuaternion<f64> {
    let x = Vector3::new(yaw_rad.cos(), yaw_rad.sin(), 0.0);
    let z = -Vector3::z();
    let y = z.cross(&x);
    let m = nalgebra::Matrix3::from_columns(&[x, y, z]);
    UnitQuaternion::from_rotation_matrix(&nalgebra::Rotation3::from_matrix_unchecked(m))
}

/// The 6×n geometric Jacobian of the tool tip (rows: linear, then angular velocity).
fn jacobian<const N: usize>(arm: &ArmSpec, q: &[f64]) -> SMatrix<f64, 6, N> {
    let frames = link_frames(arm, q);
    let tip = (frames[N - 1] * arm.tool).translation.vector;
    let mut jac = SMatrix::<f64, 6, N>::zeros();
    for (i, (frame, joint)) in frames.iter().zip(&arm.joints).enumerate() {
        // The joint frame and the link frame share origin and axis.
        let axis = frame.rotation * joint.axis.normalize();
        let linear = axis.cross(&(tip - frame.translation.vector));
        jac.fixed_view_mut::<3, 1>(0, i).copy_from(&linear);
        jac.fixed_view_mut::<3, 1>(3, i).copy_from(&axis);
    }
    jac
}

/// Pose error (position, then rotation as a scaled axis) from `from` to `to`.
fn pose_error(from: &Isometry3<f64>, to: &Isometry3<f64>) -> Vector6<f64> {
    let dp = to.translation.vector - from.translation.vector;
    let dr = (to.rotation * from.rotation.inverse()).scaled_axis();
    Vector6::new(dp.x, dp.y, dp.z, dr.x, dr.y, dr.z)
}

/// How close an IK solution must come to its target.
pub const IK_POSITION_TOLERANCE_M: f64 = 1e-5;
/// How close an IK solution's orientation must come to its target.
pub const IK_ROTATION_TOLERANCE_RAD: f64 = 1e-4;

/// Damped-least-squares IK for a 6-joint arm: the joint angles, within limits, that
/// put the tool tip at `target`, starting from `seed`. `None` when it does not converge.
pub fn solve_ik(arm: &ArmSpec, target: &Isometry3<f64>, seed: &[f64]) -> Option<Vec<f64>> {
    const N: usize = 6;
    assert_eq!(arm.dof(), N, "solve_ik handles 6-joint arms");
    let mut q = seed.to_vec();
    let damping_sq = 1e-4;
    for _ in 0..200 {
        let err = pose_error(&tool_pose(arm, &q), target);
        let pos_err = err.fixed_rows::<3>(0).norm();
        let rot_err = err.fixed_rows::<3>(3).norm();
        if pos_err < IK_POSITION_TOLERANCE_M && rot_err < IK_ROTATION_TOLERANCE_RAD {
            return within_limits(arm, &q).then_some(q);
        }
        let jac = jacobian::<N>(arm, &q);
        let jjt: Matrix6<f64> = jac * jac.transpose() + Matrix6::identity() * damping_sq;
        let step = jac.transpose() * jjt.lu().solve(&err)?;
        // Small steps keep the solution on the branch the seed is on.
        let scale = (0.3 / step.amax()).min(1.0);
        for (angle, (delta, joint)) in q.iter_mut().zip(step.iter().zip(&arm.joints)) {
            *angle = (*angle + scale * delta).clamp(joint.limits_rad[0], joint.limits_rad[1]);
        }
    }
    None
}

/// IK from several seeds (the given one first, then the arm's home); the solution
/// nearest `current` in joint space wins.
pub fn solve_ik_near(arm: &ArmSpec, target: &Isometry3<f64>, current: &[f64]) -> Option<Vec<f64>> {
    let distance = |q: &[f64]| -> f64 {
        q.iter()
            .zip(current)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max)
    };
    let from_current = solve_ik(arm, target, current);
    if let Some(q) = &from_current
        && distance(q) < 1.0
    {
        return from_current;
    }
    let from_home = solve_ik(arm, target, &arm.home_rad);
    [from_current, from_home]
        .into_iter()
        .flatten()
        .min_by(|a, b| distance(a).total_cmp(&distance(b)))
}

/// Whether every angle of `q` lies within its joint's limits.
pub fn within_limits(arm: &ArmSpec, q: &[f64]) -> bool {
    q.iter()
        .zip(&arm.joints)
        .all(|(a, j)| *a >= j.limits_rad[0] - 1e-9 && *a <= j.limits_rad[1] + 1e-9)
}

/// Which way the tool points: turned by `yaw_rad` about the vertical, and tipped by
/// `tilt_rad` about its own x axis from straight down (positive: its tip toward tool −y).
/// The fingers tilt to lie along a bowl's leaning wall; every other motion points
/// straight down (a bare yaw converts into a straight-down aim).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ToolAim {
    pub yaw_rad: f32,
    pub tilt_rad: f32,
}

impl From<f32> for ToolAim {
    fn from(yaw_rad: f32) -> Self {
        ToolAim {
            yaw_rad,
            tilt_rad: 0.0,
        }
    }
}

impl ToolAim {
    /// The tool frame's orientation in the base frame.
    pub fn rotation(self) -> UnitQuaternion<f64> {
        tool_down(self.yaw_rad as f64)
            * UnitQuaternion::from_axis_angle(&Vector3::x_axis(), self.tilt_rad as f64)
    }

    /// The aim of a tool frame `rotation` whose x axis is horizontal (every aim's is).
    pub fn of(rotation: &UnitQuaternion<f64>) -> ToolAim {
        let x = rotation * Vector3::x();
        let z = rotation * Vector3::z();
        let yaw = x.y.atan2(x.x);
        // Straight down, the tool's y axis is (sin ψ, −cos ψ, 0); tilting turns z toward −y.
        let y_down = Vector3::new(yaw.sin(), -yaw.cos(), 0.0);
        let tilt = (-z.dot(&y_down)).atan2(-z.z);
        ToolAim {
            yaw_rad: yaw as f32,
            tilt_rad: tilt as f32,
        }
    }
}

/// A target pose at `position` with the tool aimed by `aim`.
pub fn tool_target(position: Vector3<f64>, aim: impl Into<ToolAim>) -> Isometry3<f64> {
    Isometry3::from_parts(Translation3::from(position), aim.into().rotation())
}

/// The shoulder (joint 2) position: the center that reach is measured from.
pub fn shoulder_position(arm: &ArmSpec) -> Vector3<f64> {
    (arm.joints[0].origin * arm.joints[1].origin)
        .translation
        .vector
}

#[cfg(test)]
mod tests {
    use super::ToolAim;

    #[test]
    fn an_aim_reads_back_from_its_rotation() {
        for (yaw_rad, tilt_rad) in [(0.0, 0.0), (1.2, 0.245), (-2.9, -0.245), (3.0, 0.6)] {
            let aim = ToolAim { yaw_rad, tilt_rad };
            let back = ToolAim::of(&aim.rotation());
            assert!(
                (back.yaw_rad - yaw_rad).abs() < 1e-5,
                "{back:?} from {aim:?}"
            );
            assert!(
                (back.tilt_rad - tilt_rad).abs() < 1e-5,
                "{back:?} from {aim:?}"
            );
        }
    }
}
