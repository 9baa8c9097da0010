//! The tool at the end of the arm, behind one seam: [`Gripper`].
//!
//! The arm ([`crate::robot`]) moves the tool and keeps the safety bookkeeping of whatever
//! is held (what it rested on when grasped, so lifting it off is not a collision); a
//! gripper only decides what it takes hold of and how. [`Suction`] is the Code as
//! Policies default: a ray from the tip finds the surface below, and the object is fixed
//! to the tool. [`ParallelJaw`] closes two motor-driven fingers on the object, which is
//! then held only by their contacts' friction. [`FakeGripper`] holds whatever a test says
//! it holds, without physics.
//!
//! A gripper with moving parts is driven in steps: the world asks it to close (or open),
//! steps the physics while [`Gripper::is_moving`] says it moves, then asks what it holds.

mod parallel;

pub use parallel::{
    GRIP_FORCE_N, MAX_OPENING_M, PAD_LENGTH_M, PAD_THICKNESS_M, PAD_WIDTH_M, ParallelJaw,
};

use crate::Pose;
use crate::world::Owner;
use rapier3d::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which gripper the arm has: a scene's `[robot] gripper`, `--gripper` on the command line.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum GripperKind {
    /// A suction cup at the end of a 2 cm rod that holds what it touches from above (the
    /// Code as Policies default).
    #[default]
    Suction,
    /// Two fingers that close on the object and hold it by friction, as a Robotiq 2F-85
    /// (they open 8.5 cm).
    Parallel,
}

impl GripperKind {
    /// The word in files and flags ("suction", "parallel").
    pub fn name(self) -> &'static str {
        match self {
            GripperKind::Suction => "suction",
            GripperKind::Parallel => "parallel",
        }
    }

    /// A new, empty gripper of this kind.
    pub fn build(self) -> Box<dyn Gripper> {
        match self {
            GripperKind::Suction => Box::new(Suction::default()),
            GripperKind::Parallel => Box::new(ParallelJaw::default()),
        }
    }
}

impl std::fmt::Display for GripperKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the tool can reach: the rapier world, the link the tool is on and the tip's pose.
pub struct Tool<'a> {
    pub physics: &'a mut PhysicsWorld,
    /// The arm's last link, which carries the tool.
    pub link: RigidBodyHandle,
    /// The tool tip's pose (z axis pointing out of the tool).
    pub tip: Pose,
    /// Each object's body, by object index.
    pub object_bodies: &'a [RigidBodyHandle],
}

impl Tool<'_> {
    /// Who owns a collider.
    pub fn owner(&self, collider: ColliderHandle) -> Owner {
        self.physics
            .colliders
            .get(collider)
            .map_or(Owner::Unknown, |c| Owner::decode(c.user_data))
    }
}

/// Why a grasp holds nothing: nothing was within reach, or what was there is not an
/// object (the table, the arm).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    Nothing,
    NotAnObject(Owner),
}

/// A gripper: takes hold of an object at the tool, and lets go of it.
pub trait Gripper: std::fmt::Debug + Send {
    /// What the gripper is called in messages ("suction cup").
    fn name(&self) -> &'static str;
    /// Which kind it is (grasp planning differs per kind).
    fn kind(&self) -> GripperKind;
    /// Builds the gripper's own parts on the tool (fingers); called when it is put on.
    fn mount(&mut self, _tool: &mut Tool<'_>) {}
    /// Takes its parts out of the world again; called when another gripper replaces it.
    fn unmount(&mut self, _physics: &mut PhysicsWorld) {}
    /// Starts closing on what is at the tool (the world then steps while it moves).
    fn close(&mut self, _tool: &mut Tool<'_>) {}
    /// Starts opening (or closing) to `width_m` between the fingers, empty-handed.
    fn set_opening(&mut self, _tool: &mut Tool<'_>, _width_m: f32) {}
    /// Sets the force limit of its finger motors, N (nothing without fingers).
    fn set_grip_force(&mut self, _tool: &mut Tool<'_>, _force_n: f32) {}
    /// Sets the force the next grasps press with, N, at most the limit: what suits the
    /// object (nothing without fingers).
    fn set_grasp_force(&mut self, _tool: &mut Tool<'_>, _force_n: f32) {}
    /// Whether its parts still move after the last step (called once per step).
    fn is_moving(&mut self, _tool: &mut Tool<'_>) -> bool {
        false
    }
    /// Takes hold of the object at the tool: its index, or why nothing was taken.
    fn grasp(&mut self, tool: &mut Tool<'_>) -> Result<usize, Miss>;
    /// Lets go of what it holds: its index, or `None` when the hand was empty.
    fn release(&mut self, tool: &mut Tool<'_>) -> Option<usize>;
    /// Whether it still holds object `index` (fingers lose what slips out of them).
    fn still_holds(&self, _tool: &Tool<'_>, _index: usize) -> bool {
        true
    }
    /// The rigid bodies of its own moving parts (contacts with them are the arm's).
    fn bodies(&self) -> Vec<RigidBodyHandle> {
        Vec::new()
    }
    /// The measured opening between the fingers, m; `None` for a gripper without fingers.
    fn opening_m(&self, _physics: &PhysicsWorld) -> Option<f32> {
        None
    }
    /// The widest object it can close around, m (`None`: no limit, suction).
    fn max_opening_m(&self) -> Option<f32> {
        None
    }
    /// Half the tool's width where it pushes an object, m.
    fn push_half_width_m(&self) -> f32 {
        crate::arm::TOOL_RADIUS_M as f32
    }
}

/// Suction grabs an object whose surface is within this distance of the tip.
pub const SUCTION_RANGE_M: f32 = 0.01;

/// The suction cup: grabs the object whose surface is within [`SUCTION_RANGE_M`] below
/// the tip by fixing it to the tool (an impulse joint), and compensates its weight.
#[derive(Debug, Default)]
pub struct Suction {
    held: Option<(usize, ImpulseJointHandle)>,
}

impl Gripper for Suction {
    fn name(&self) -> &'static str {
        "suction cup"
    }

    fn kind(&self) -> GripperKind {
        GripperKind::Suction
    }

    fn grasp(&mut self, tool: &mut Tool<'_>) -> Result<usize, Miss> {
        if let Some((index, _)) = self.held {
            return Ok(index);
        }
        let down = tool.tip.rotation * crate::Vec3::Z;
        let filter = QueryFilter::default().exclude_rigid_body(tool.link);
        let hit = {
            let query = tool.physics.query_pipeline_with_filter(filter);
            // Start the ray a little inside the tool so a block touching the tip is seen.
            let ray = Ray::new(tool.tip.translation - down * 0.005, down);
            query.cast_ray(&ray, SUCTION_RANGE_M + 0.005, true)
        };
        let Some((collider, _)) = hit else {
            return Err(Miss::Nothing);
        };
        let owner = tool.owner(collider);
        let Owner::Object(index) = owner else {
            return Err(Miss::NotAnObject(owner));
        };
        let object_body = tool.object_bodies[index];
        // The controller compensates the payload's weight too, as a UR controller told
        // its payload does; otherwise the held block's weight sags the tool onto it.
        tool.physics.bodies[object_body].set_gravity_scale(0.0, true);
        let link_pose = *tool.physics.bodies[tool.link].position();
        let object_pose = *tool.physics.bodies[object_body].position();
        let joint = FixedJointBuilder::new()
            .local_frame1(link_pose.inv_mul(&object_pose))
            .local_frame2(Pose::IDENTITY)
            .contacts_enabled(false);
        let handle = tool
            .physics
            .insert_impulse_joint(tool.link, object_body, joint);
        self.held = Some((index, handle));
        Ok(index)
    }

    fn release(&mut self, tool: &mut Tool<'_>) -> Option<usize> {
        let (index, joint) = self.held.take()?;
        tool.physics.remove_impulse_joint(joint);
        let body = tool.object_bodies[index];
        tool.physics.bodies[body].set_gravity_scale(1.0, true);
        Some(index)
    }
}

/// A gripper for tests: `grasp` answers what it was told (no physics), `release` gives
/// back what it "held".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeGripper {
    /// What the next `grasp` returns.
    pub next: Result<usize, Miss>,
    held: Option<usize>,
}

impl FakeGripper {
    /// A fake whose grasps return `next`.
    pub fn new(next: Result<usize, Miss>) -> FakeGripper {
        FakeGripper { next, held: None }
    }
}

impl Gripper for FakeGripper {
    fn name(&self) -> &'static str {
        "fake gripper"
    }

    fn kind(&self) -> GripperKind {
        GripperKind::Suction
    }

    fn grasp(&mut self, _: &mut Tool<'_>) -> Result<usize, Miss> {
        let result = self.held.map_or(self.next, Ok);
        self.held = result.ok();
        result
    }

    fn release(&mut self, _: &mut Tool<'_>) -> Option<usize> {
        self.held.take()
    }
}
