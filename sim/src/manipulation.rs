//! Pick and place: the composite motions that primitives build on.
//!
//! A pick moves over the object, descends until the tool touches it, grasps and lifts:
//! a block from the middle of its top face, a bowl by its rim (its middle is hollow),
//! on the side of the rim clear of what is in or beside it; what lies in a bowl is
//! carried with it. A place finds the surface under the target by casting the held
//! object's shape down, lowers it until it touches, lets go and moves up; the held
//! object's center, not the tool, goes over the target. Descents are guarded (they stop
//! on first contact), so neither presses on what is below. The parallel-jaw gripper
//! plans its own grasps (`manipulation/fingers.rs`); placing is the same for both.

mod fingers;

pub use fingers::half_turn_yaw;

use crate::error::SimError;
use crate::gripper::GripperKind;
use crate::objects::{BOWL_RIM_MID_RADIUS_M, Kind};
use crate::robot::MotionOptions;
use crate::world::{Owner, World};
use crate::{Pose, Vec3};
use rapier3d::parry::query::ShapeCastOptions;
use rapier3d::prelude::*;

/// Height of the approach point above what the tool will touch, m.
pub const APPROACH_M: f32 = 0.08;
/// A guarded descent goes this far past where contact is expected before it gives up, m.
const OVERSHOOT_M: f32 = 0.015;
/// A rim grip point must be this far (m, in the plane) from every other object's box:
/// the tool rod's radius and a margin.
const RIM_GRIP_CLEARANCE_M: f32 = 0.025;
/// What the held object may still move when `place` starts: m/s and rad/s.
const SETTLED_MPS: f32 = 0.005;
const SETTLED_RADPS: f32 = 0.05;
/// How long `place` waits for it at most, and in what steps, s.
const SETTLE_MAX_S: f64 = 0.6;
const SETTLE_STEP_S: f64 = 0.05;

/// A yaw equivalent to `yaw` for a shape that looks the same every quarter turn,
/// folded into (−π/4, π/4] so the wrist turns as little as possible.
pub fn quarter_turn_yaw(yaw: f32) -> f32 {
    use std::f32::consts::FRAC_PI_2;
    yaw - FRAC_PI_2 * (yaw / FRAC_PI_2).round()
}

impl World {
    /// Picks up the object called `name` with the arm's gripper and lifts it
    /// `APPROACH_M` above where it was: suction from above (this function), fingers
    /// across it (`fingers.rs`). Fails with the reason (unknown name, already holding
    /// something, unreachable, nothing grabbed and what was under the tool, slipped).
    pub fn pick(&mut self, name: &str) -> Result<(), SimError> {
        self.object_index(name)?;
        if let Some(held) = self.held() {
            return Err(SimError::AlreadyHolding {
                held: held.to_string(),
                wanted: name.to_string(),
            });
        }
        if self.gripper_kind() == GripperKind::Parallel {
            return self.pick_with_fingers(name);
        }
        let aabb = self.object_aabb(name)?;
        let top = aabb.max.z;
        let (c, yaw) = match self.object(name)?.kind {
            Kind::Block => (aabb.center(), quarter_turn_yaw(self.object_yaw(name)?)),
            Kind::Bowl => (self.rim_grip_point(name)?, 0.0),
        };
        let options = MotionOptions::default();
        self.move_tool([c.x, c.y, top + APPROACH_M], yaw, false, &options)?;
        self.move_tool(
            [c.x, c.y, top - OVERSHOOT_M],
            yaw,
            true,
            &MotionOptions::guarded(),
        )?;
        match self.grasp() {
            Ok(grabbed) if grabbed == name => {}
            Ok(other) => {
                // Something else was on top (a stacked block, a nested bowl): put it
                // back down.
                self.release();
                let under = if self.is_inside(&other, name).unwrap_or(false) {
                    format!("the {other}, which is nested in it; move the {other} off first")
                } else {
                    format!("the {other}, which lies on top of it")
                };
                return Err(SimError::GraspFailed {
                    name: name.to_string(),
                    under,
                });
            }
            Err(under) => {
                return Err(SimError::GraspFailed {
                    name: name.to_string(),
                    under: under
                        .unwrap_or_else(|| "nothing within reach of the suction cup".into()),
                });
            }
        }
        let tip = self.tool_position();
        self.move_tool([tip.x, tip.y, top + APPROACH_M], yaw, true, &options)?;
        Ok(())
    }

    /// Where on the rim of the bowl `name` the tool comes down: the side facing the
    /// robot's base if nothing is near it there, else the next clear side (turning by
    /// 45° either way); the side facing the base when none is clear.
    fn rim_grip_point(&self, name: &str) -> Result<Vec3, SimError> {
        Ok(self.rim_grip_points(name)?[0])
    }

    /// The points of [`World::rim_grip_point`] in order of preference: the clear sides
    /// (or the side facing the base when none is).
    fn rim_grip_points(&self, name: &str) -> Result<Vec<Vec3>, SimError> {
        use std::f32::consts::FRAC_PI_4;
        let center = self.object_position(name)?;
        let toward_base = (-center.y).atan2(-center.x);
        // The bowls this one is nested in surround every rim point: not in the way.
        let others: Vec<_> = self
            .objects
            .iter()
            .filter(|o| o.name != name && !self.is_inside(name, &o.name).unwrap_or(false))
            .map(|o| self.object_aabb(&o.name))
            .collect::<Result<_, _>>()?;
        let point = |turns: f32| {
            let angle = toward_base + turns * FRAC_PI_4;
            center + BOWL_RIM_MID_RADIUS_M * Vec3::new(angle.cos(), angle.sin(), 0.0)
        };
        let clear = |p: &Vec3| {
            others.iter().all(|b| {
                let dx = (b.min.x - p.x).max(p.x - b.max.x).max(0.0);
                let dy = (b.min.y - p.y).max(p.y - b.max.y).max(0.0);
                dx.hypot(dy) > RIM_GRIP_CLEARANCE_M
            })
        };
        let points: Vec<_> = [0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 4.0]
            .into_iter()
            .map(point)
            .filter(clear)
            .collect();
        Ok(if points.is_empty() {
            vec![point(0.0)]
        } else {
            points
        })
    }

    /// Height (z) at which the held object's bottom would first touch something if it
    /// were lowered at `(x, y)`; the table (0) when nothing else is below.
    pub fn surface_below_held(&self, x: f32, y: f32) -> Result<f32, SimError> {
        let index = self
            .robot
            .as_ref()
            .and_then(|r| r.held_object())
            .ok_or(SimError::NotHolding)?;
        let object = &self.objects[index];
        let collider = &self.physics.colliders[object.collider];
        let pose = *collider.position();
        let aabb = collider.compute_aabb();
        // Start the cast well above everything, keeping the held object's orientation.
        let start_z = 1.0;
        let offset = pose.translation - aabb.center();
        let start = Pose::from_parts(Vec3::new(x, y, start_z) + offset, pose.rotation);
        let bottom_below_center = aabb.center().z - aabb.mins.z;
        let held_body = object.body;
        let carried = self.robot.as_ref().map_or(&[][..], |r| r.carried());
        let skip_robot_and_held = |handle: ColliderHandle, c: &Collider| {
            c.parent() != Some(held_body)
                && !carried.contains(&handle)
                && !matches!(Owner::decode(c.user_data), Owner::Robot(_))
        };
        let filter = QueryFilter::default().predicate(&skip_robot_and_held);
        let query = self.physics.query_pipeline_with_filter(filter);
        let options = ShapeCastOptions {
            max_time_of_impact: 2.0,
            ..ShapeCastOptions::default()
        };
        let hit = query.cast_shape(&start, -Vec3::Z, collider.shape(), options);
        let travel = hit.map_or(start_z - bottom_below_center, |(_, h)| h.time_of_impact);
        Ok((start_z - travel - bottom_below_center).max(0.0))
    }

    /// Height (z) of the top of whatever is under `(x, y)` (0 for the table), ignoring
    /// the robot and what it holds.
    pub fn surface_below_point(&self, x: f32, y: f32) -> f32 {
        let held = self
            .robot
            .as_ref()
            .and_then(|r| r.held_object())
            .map(|i| self.objects[i].body);
        let skip = |_: ColliderHandle, c: &Collider| {
            let is_held = held.is_some() && c.parent() == held;
            !is_held && !matches!(Owner::decode(c.user_data), Owner::Robot(_))
        };
        let filter = QueryFilter::default().predicate(&skip);
        let query = self.physics.query_pipeline_with_filter(filter);
        let ray = Ray::new(Vec3::new(x, y, 1.0), -Vec3::Z);
        query
            .cast_ray(&ray, 2.0, true)
            .map_or(0.0, |(_, toi)| (1.0 - toi).max(0.0))
    }

    /// Waits, at most `SETTLE_MAX_S`, while the bowl the tool holds still turns in the
    /// grip after the last motion (held by its wall, it creeps round the fingers for a
    /// moment), so that `place` aims its center from where it came to rest. Suction
    /// holds fast: no wait.
    fn settle_held(&mut self, held: &str) -> Result<(), SimError> {
        let body = self.object(held)?.body;
        let moving = |w: &World| {
            let b = &w.physics.bodies[body];
            b.linvel().length() > SETTLED_MPS || b.angvel().length() > SETTLED_RADPS
        };
        let mut waited = 0.0;
        while moving(self) && waited < SETTLE_MAX_S {
            self.wait(SETTLE_STEP_S);
            waited += SETTLE_STEP_S;
        }
        Ok(())
    }

    /// Places the held object at `(x, y)`: lowers it until it touches what is below
    /// (`surface_z` if given, else found by a downward cast), lets go and moves up.
    pub fn place(&mut self, x: f32, y: f32, surface_z: Option<f32>) -> Result<(), SimError> {
        let held = self.held().ok_or(SimError::NotHolding)?.to_string();
        if self.object(&held)?.kind == Kind::Bowl {
            self.settle_held(&held)?;
        }
        let surface = match surface_z {
            Some(z) => z,
            None => self.surface_below_held(x, y)?,
        };
        let tip = self.tool_position();
        let held_box = self.object_aabb(&held)?;
        let bottom = held_box.min.z;
        let tip_above_bottom = tip.z - bottom;
        // The tool holds a bowl by its rim: move the tool so the bowl's center comes over
        // (x, y). A block is held at its center, where this offset is zero.
        let (x, y) = match self.object(&held)?.kind {
            Kind::Bowl => {
                let center = self.object_position(&held)?;
                (x + tip.x - center.x, y + tip.y - center.y)
            }
            Kind::Block => (x, y),
        };
        // The tool keeps the aim it holds the object with.
        let aim = self.tool_aim();
        let options = MotionOptions::default();
        let approach_z = surface + tip_above_bottom + APPROACH_M;
        // Rise first when the way to the target is lower than the tool is now.
        if approach_z > tip.z {
            self.move_tool([tip.x, tip.y, approach_z], aim, true, &options)?;
        }
        self.move_tool([x, y, approach_z], aim, false, &options)?;
        self.check_grip("carrying it")?;
        let lowest = surface + tip_above_bottom - OVERSHOOT_M;
        self.move_tool(
            [x, y, lowest.max(tip_above_bottom - 0.004)],
            aim,
            true,
            &MotionOptions::guarded(),
        )?;
        self.release();
        let tip = self.tool_position();
        self.move_tool([tip.x, tip.y, approach_z], aim, true, &options)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::quarter_turn_yaw;
    use std::f32::consts::PI;

    #[test]
    fn quarter_turn_yaw_folds_into_plus_minus_45_degrees() {
        for (yaw, folded) in [
            (0.0, 0.0),
            (PI / 2.0, 0.0),
            (0.3 + PI, 0.3),
            (-0.7, -0.7),
            (1.0, -0.5708),
        ] {
            assert!(
                (quarter_turn_yaw(yaw) - folded).abs() < 1e-3,
                "{yaw} -> {}",
                quarter_turn_yaw(yaw)
            );
        }
    }
}
