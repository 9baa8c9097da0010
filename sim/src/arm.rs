//! Arm descriptions: a serial chain of revolute joints, URDF-style.
//!
//! Joint i sits at `origin` in the frame of link i−1 (link 0 is the fixed base) and
//! turns link i about `axis`. Kinematics ([`crate::kinematics`]) and the rapier arm
//! ([`crate::robot`]) are both built from this one description.

use nalgebra::{Isometry3, Point3, Translation3, UnitQuaternion, Vector3};
use std::f64::consts::{FRAC_PI_2, PI};

/// The suction tool's radius: a rod this thick ends the UR5e's last link.
pub const TOOL_RADIUS_M: f64 = 0.02;

/// One revolute joint.
#[derive(Debug, Clone)]
pub struct JointSpec {
    pub name: &'static str,
    /// Pose of the joint frame in the parent link's frame at q = 0.
    pub origin: Isometry3<f64>,
    /// Unit rotation axis in the joint frame.
    pub axis: Vector3<f64>,
    /// Lower and upper angle, radians.
    pub limits_rad: [f64; 2],
    pub max_speed_rad_s: f64,
    pub max_accel_rad_s2: f64,
    pub max_torque_nm: f64,
}

/// The rigid link a joint moves: a capsule in the link's frame and its mass.
#[derive(Debug, Clone)]
pub struct LinkSpec {
    pub capsule_a: Point3<f64>,
    pub capsule_b: Point3<f64>,
    pub radius_m: f64,
    pub mass_kg: f64,
}

/// A whole arm: joints, links (one per joint) and the tool tip on the last link.
#[derive(Debug, Clone)]
pub struct ArmSpec {
    pub name: &'static str,
    pub joints: Vec<JointSpec>,
    pub links: Vec<LinkSpec>,
    /// Tool-tip frame in the last link's frame; its +z points out of the tool.
    pub tool: Isometry3<f64>,
    /// Length of the suction tool from the flange to the tip (0 without one).
    pub tool_length_m: f64,
    /// The configuration the arm starts in and `go_home` returns to.
    pub home_rad: Vec<f64>,
    /// Motor gains: N·m/rad and N·m·s/rad when `motor_force_based`, else per unit
    /// of the joint's effective inertia (rapier's acceleration-based model).
    pub motor_stiffness: f64,
    pub motor_damping: f64,
    pub motor_force_based: bool,
}

impl ArmSpec {
    /// Number of joints.
    pub fn dof(&self) -> usize {
        self.joints.len()
    }

    /// A Universal Robots UR5e (DH parameters and masses from the public spec) with a
    /// 10 cm suction tool, base at the origin facing +x.
    ///
    /// Every joint turns ±360° as on the real arm, but the elbow, which wand keeps
    /// within ±160° (beyond that the forearm hits the upper arm).
    pub fn ur5e() -> ArmSpec {
        // (d, a, alpha, mass, capsule radius) per DH row.
        const DH: [(f64, f64, f64, f64, f64); 6] = [
            (0.1625, 0.0, FRAC_PI_2, 3.761, 0.065),
            (0.0, -0.425, 0.0, 8.058, 0.055),
            (0.0, -0.3922, 0.0, 2.846, 0.045),
            (0.1333, 0.0, FRAC_PI_2, 1.37, 0.04),
            (0.0997, 0.0, -FRAC_PI_2, 1.3, 0.04),
            (0.0996, 0.0, 0.0, 0.365, 0.035),
        ];
        const NAMES: [&str; 6] = [
            "shoulder pan",
            "shoulder lift",
            "elbow",
            "wrist 1",
            "wrist 2",
            "wrist 3",
        ];
        const TORQUE_NM: [f64; 6] = [150.0, 150.0, 150.0, 28.0, 28.0, 28.0];
        let tool_length_m = 0.10;
        // Standard DH: joint i turns about z of frame i−1; link i's frame is that frame
        // turned by q_i, and the next joint sits at Tz(d) Tx(a) Rx(alpha) from it.
        let dh_step = |(d, a, alpha, _, _): (f64, f64, f64, f64, f64)| {
            Isometry3::from_parts(
                Translation3::new(a, 0.0, d),
                UnitQuaternion::from_axis_angle(&Vector3::x_axis(), alpha),
            )
        };
        let mut joints = Vec::new();
        let mut links = Vec::new();
        for (i, row) in DH.iter().enumerate() {
            let origin = if i == 0 {
                // UR's DH frames stretch the arm along −x at q = 0; turn the base so
                // that q = 0 reaches forward (+x), as wand's frames want.
                Isometry3::rotation(Vector3::z() * PI)
            } else {
                dh_step(DH[i - 1])
            };
            let limits_rad = if i == 2 {
                [-160f64.to_radians(), 160f64.to_radians()]
            } else {
                [-2.0 * PI, 2.0 * PI]
            };
            joints.push(JointSpec {
                name: NAMES[i],
                origin,
                axis: Vector3::z(),
                limits_rad,
                max_speed_rad_s: PI,
                max_accel_rad_s2: 8.0,
                max_torque_nm: TORQUE_NM[i],
            });
            // The link reaches from its joint to the next joint's origin.
            let next = dh_step(*row).translation.vector;
            links.push(LinkSpec {
                capsule_a: Point3::origin(),
                capsule_b: Point3::from(next),
                radius_m: row.4,
                mass_kg: row.3,
            });
        }
        // The suction tool: a thin rod along the flange's +z, part of the last link (its
        // capsule ends one radius short of the tip, so the rounded end is at the tip).
        let flange = dh_step(DH[5]);
        let last = links.last_mut().expect("six links");
        last.capsule_b = Point3::from(
            flange.translation.vector
                + flange.rotation * Vector3::z() * (tool_length_m - TOOL_RADIUS_M),
        );
        last.radius_m = TOOL_RADIUS_M;
        let tool = flange * Translation3::new(0.0, 0.0, tool_length_m);
        ArmSpec {
            name: "ur5e",
            joints,
            links,
            tool,
            tool_length_m,
            // Elbow up, the tool pointing straight down 35 cm above (0.45, 0), yaw 0.
            home_rad: vec![
                -0.300735, -1.714012, 1.799658, -1.656442, -FRAC_PI_2, -1.871531,
            ],
            motor_stiffness: 1.0e6,
            motor_damping: 2000.0,
            motor_force_based: false,
        }
    }
}
