//! Grasp planning for the parallel-jaw gripper: the fingers close across the object's
//! narrow axis at its yaw — a block between two opposite faces, a bowl by its rim (one
//! finger inside the wall, one outside, closing along the radius, the tool tipped so the
//! pads lie along the leaning wall).

use super::{APPROACH_M, quarter_turn_yaw};
use crate::Vec3;
use crate::error::SimError;
use crate::gripper::MAX_OPENING_M;
use crate::kinematics::ToolAim;
use crate::objects::{BOWL_WALL_M, BOWL_WALL_SLOPE, Kind, bowl_wall_lean_rad};
use crate::robot::MotionOptions;
use crate::world::World;
use std::f32::consts::{FRAC_PI_2, PI};

/// The fingers open this much wider than what they close on before coming down, m.
const FINGER_CLEARANCE_M: f32 = 0.024;
/// The finger tips stop this far above a block's bottom (its support stays clear), m.
const TIP_ABOVE_BOTTOM_M: f32 = 0.006;
/// What the fingers press a block with, N. Rapier's contacts are soft: squeezed
/// harder, a 4 cm block sinks into the pads unevenly and turns in the grip (stack_all on
/// seeds 0..20 passed 9 times with 10 N, 15 with 4 N, 20 with 2.5 N; on seeds 0..50, 46
/// times with 2.5 N and 49 with 1.8 N). Friction still holds six times its weight.
const BLOCK_GRASP_FORCE_N: f32 = 1.8;
/// What they press a bowl's rim with, N: it is five times a block's weight, held off
/// its center (measured with upright pads 22 mm down the wall: bowl_in_bowl on seeds
/// 0..50 passed 47 times with 10 N, 48 with 15 N, 46 with 25 N; stack_bowls 39, 42 and
/// 34. Tipped along the wall, 15 N passes both 50 times).
const BOWL_GRASP_FORCE_N: f32 = 15.0;
/// The pads reach this far down over a bowl's rim, m: both of a pad's contacts press
/// on the wall (the upper 2 mm below the rim, the lower just clear of the bottom), so
/// the grip holds the bowl level. With one contact per side it turned about the line
/// between them and swung down from the rim.
const RIM_DEPTH_M: f32 = 0.033;

/// A yaw equivalent to `yaw` for a grip that looks the same every half turn, folded
/// into (−π/2, π/2].
pub fn half_turn_yaw(yaw: f32) -> f32 {
    let folded = yaw - PI * (yaw / PI).round();
    if folded <= -FRAC_PI_2 {
        folded + PI
    } else {
        folded
    }
}

/// The two ways the fingers take hold of a bowl's wall at `rim` (a point of its top, the
/// bowl's center at `center`): across the wall, with the pads tipped to lie along it (the
/// wall leans out, so the tool's tip leans toward the center), the tool turned either
/// way round (the fingers look the same). The point is the wall's middle at the tips'
/// height, `RIM_DEPTH_M` below the top.
fn rim_grasps(rim: Vec3, center: Vec3) -> [(Vec3, ToolAim); 2] {
    let outward = Vec3::new(rim.x - center.x, rim.y - center.y, 0.0).normalize();
    let yaw = half_turn_yaw(outward.y.atan2(outward.x) + FRAC_PI_2);
    // The tool's y axis, (sin ψ, −cos ψ), points out of the bowl or into it; a positive
    // tilt tips the tool's tip toward −y.
    let y_outward = yaw.sin() * outward.x - yaw.cos() * outward.y > 0.0;
    let lean = bowl_wall_lean_rad();
    let tilt = if y_outward { lean } else { -lean };
    let at = rim - outward * (RIM_DEPTH_M * BOWL_WALL_SLOPE);
    [
        (
            at,
            ToolAim {
                yaw_rad: yaw,
                tilt_rad: tilt,
            },
        ),
        (
            at,
            ToolAim {
                yaw_rad: yaw + PI,
                tilt_rad: -tilt,
            },
        ),
    ]
}

impl World {
    /// Picks `name` with the fingers (see the module docs) and lifts it `APPROACH_M`.
    pub(super) fn pick_with_fingers(&mut self, name: &str) -> Result<(), SimError> {
        let aabb = self.object_aabb(name)?;
        let object = self.object(name)?.clone();
        // The tool's y axis is the closing axis; at yaw ψ it points along (sin ψ, −cos ψ).
        let (grasps, width, tip_z): (Vec<(Vec3, ToolAim)>, _, _) = match object.kind {
            Kind::Block => {
                let width = object.size_m[0].min(object.size_m[1]);
                let yaw = quarter_turn_yaw(self.object_yaw(name)?);
                let grasp = (aabb.center(), yaw.into());
                (vec![grasp], width, aabb.min.z + TIP_ABOVE_BOTTOM_M)
            }
            Kind::Bowl => {
                let center = self.object_position(name)?;
                let grasps = self
                    .rim_grip_points(name)?
                    .into_iter()
                    .flat_map(|rim| rim_grasps(rim, center))
                    .collect();
                (grasps, BOWL_WALL_M, aabb.max.z - RIM_DEPTH_M)
            }
        };
        let options = MotionOptions::default();
        let above = aabb.max.z + APPROACH_M;
        let tip_z = tip_z.max(0.002);
        // The first grasp the arm can make (near the base a tipped tool may reach the
        // rim only from some sides); the first when it can make none.
        let (at, aim) = grasps
            .iter()
            .copied()
            .find(|(at, aim)| {
                grasps.len() == 1
                    || self.reaches(
                        &[([at.x, at.y, above], false), ([at.x, at.y, tip_z], true)],
                        *aim,
                    )
            })
            .unwrap_or(grasps[0]);
        let down = [at.x, at.y, tip_z];
        if width > MAX_OPENING_M {
            return Err(SimError::TooWide {
                name: name.to_string(),
                width_cm: width * 100.0,
                opening_cm: MAX_OPENING_M * 100.0,
                hint: "use the suction gripper for it".into(),
            });
        }
        self.move_tool([at.x, at.y, above], aim, false, &options)?;
        self.set_gripper_opening((width + FINGER_CLEARANCE_M).min(MAX_OPENING_M));
        self.set_grasp_force_n(match object.kind {
            Kind::Block => BLOCK_GRASP_FORCE_N,
            Kind::Bowl => BOWL_GRASP_FORCE_N,
        });
        self.move_tool(down, aim, true, &MotionOptions::guarded())?;
        match self.grasp() {
            Ok(grabbed) if grabbed == name => {}
            Ok(other) => {
                self.release();
                self.move_tool([at.x, at.y, above], aim, true, &options)?;
                return Err(SimError::FingersMissed {
                    name: name.to_string(),
                    what: format!("the fingers closed on the {other} instead"),
                });
            }
            Err(touched) => {
                self.release();
                self.move_tool([at.x, at.y, above], aim, true, &options)?;
                let what = match touched {
                    Some(other) => format!(
                        "a finger came down on the {other}, and the fingers closed on nothing"
                    ),
                    None => "the fingers closed on nothing".into(),
                };
                return Err(SimError::FingersMissed {
                    name: name.to_string(),
                    what,
                });
            }
        }
        let tip = self.tool_position();
        self.move_tool([tip.x, tip.y, above], aim, true, &options)?;
        self.check_grip("lifting")
    }

    /// When the tool is over an object wider than its fingers open (e.g. a bowl's
    /// middle), the error that says so and how to take hold of it instead.
    pub fn too_wide_below_tip(&self) -> Option<SimError> {
        let max = self.robot.as_ref()?.gripper().max_opening_m()?;
        let tip = self.tool_position();
        let object = self.objects.iter().find(|o| {
            self.object_aabb(&o.name).is_ok_and(|b| {
                (b.min.x..=b.max.x).contains(&tip.x) && (b.min.y..=b.max.y).contains(&tip.y)
            })
        })?;
        let width = object.size_m[0].min(object.size_m[1]);
        let hint = match object.kind {
            Kind::Bowl => format!("grasp it by the rim (pick('{}') does)", object.name),
            Kind::Block => "use the suction gripper for it".into(),
        };
        (width > max).then(|| SimError::TooWide {
            name: object.name.clone(),
            width_cm: width * 100.0,
            opening_cm: max * 100.0,
            hint,
        })
    }

    /// Fails with [`SimError::Slipped`] when what was held has slipped out of the fingers.
    pub(crate) fn check_grip(&mut self, during: &str) -> Result<(), SimError> {
        match self.lost_grip() {
            Some(name) => Err(SimError::Slipped {
                name,
                during: during.to_string(),
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::half_turn_yaw;
    use std::f32::consts::PI;

    #[test]
    fn half_turn_yaw_folds_into_plus_minus_90_degrees() {
        for (yaw, folded) in [
            (0.0, 0.0),
            (PI, 0.0),
            (0.3 + PI, 0.3),
            (-PI / 2.0, PI / 2.0),
        ] {
            assert!((half_turn_yaw(yaw) - folded).abs() < 1e-4, "{yaw}");
        }
    }
}
