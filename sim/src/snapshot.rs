//! [`Snapshot`]: the whole visible state of a world at one instant, serializable.
//!
//! The viewer draws snapshots and recordings are lists of them; two runs are the same
//! run exactly when their snapshots serialize to the same bytes.

use crate::objects::{Color, Kind};
use crate::world::World;
use serde::{Deserialize, Serialize};

/// One object's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectState {
    pub name: String,
    pub kind: Kind,
    pub color: Color,
    /// Position of the body's frame (a block's center; a bowl's bottom center), meters.
    pub pos_m: [f32; 3],
    /// Orientation quaternion [x, y, z, w].
    pub rot_xyzw: [f32; 4],
}

/// A robot link's pose, for drawing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkState {
    pub pos_m: [f32; 3],
    pub rot_xyzw: [f32; 4],
}

/// The state of a world at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Simulated time, seconds.
    pub time_s: f64,
    /// Steps taken so far.
    pub step: u64,
    pub objects: Vec<ObjectState>,
    /// Measured joint angles, radians (empty without a robot).
    pub joints_rad: Vec<f64>,
    /// Robot link poses, base first (empty without a robot).
    pub links: Vec<LinkState>,
    /// Tool-tip position, meters (absent without a robot).
    pub tool_pos_m: Option<[f32; 3]>,
    /// Name of the object the suction tool holds.
    pub held: Option<String>,
}

impl World {
    /// The state of the world now.
    pub fn snapshot(&self) -> Snapshot {
        let bodies = &self.physics.bodies;
        let pose_parts = |pose: &crate::Pose| {
            let t = pose.translation;
            let r = pose.rotation;
            ([t.x, t.y, t.z], [r.x, r.y, r.z, r.w])
        };
        let objects = self
            .objects
            .iter()
            .map(|o| {
                let (pos_m, rot_xyzw) = pose_parts(bodies[o.body].position());
                ObjectState {
                    name: o.name.clone(),
                    kind: o.kind,
                    color: o.color,
                    pos_m,
                    rot_xyzw,
                }
            })
            .collect();
        let (joints_rad, links, tool_pos_m) = match &self.robot {
            Some(robot) => {
                let links = std::iter::once(robot.base)
                    .chain(robot.links.iter().copied())
                    .map(|b| {
                        let (pos_m, rot_xyzw) = pose_parts(bodies[b].position());
                        LinkState { pos_m, rot_xyzw }
                    })
                    .collect();
                let tip = self.tool_position();
                (self.joint_angles(), links, Some([tip.x, tip.y, tip.z]))
            }
            None => (Vec::new(), Vec::new(), None),
        };
        Snapshot {
            time_s: self.time_s(),
            step: self.steps(),
            objects,
            joints_rad,
            links,
            tool_pos_m,
            held: self.held().map(str::to_string),
        }
    }
}
