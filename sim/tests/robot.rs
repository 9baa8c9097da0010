//! The arm: IK round trips, motions, suction carry and release, safety stops.

use nalgebra::Vector3;
use std::f32::consts::{PI, TAU};
use wand_sim::arm::ArmSpec;
use wand_sim::gripper::ParallelJaw;
use wand_sim::kinematics::{ToolAim, solve_ik_near, tool_pose, tool_target};
use wand_sim::robot::MotionOptions;
use wand_sim::world::WorldConfig;
use wand_sim::{Color, Kind, MotionError, ObjectSpec, Rotation, Vec3, World};

fn block(color: Color, x: f32, y: f32) -> ObjectSpec {
    ObjectSpec {
        kind: Kind::Block,
        color,
        pos_m: vec![x, y],
        yaw_rad: 0.0,
    }
}

fn bowl(color: Color, x: f32, y: f32) -> ObjectSpec {
    ObjectSpec {
        kind: Kind::Bowl,
        color,
        pos_m: vec![x, y],
        yaw_rad: 0.0,
    }
}

fn world_with(objects: &[ObjectSpec]) -> World {
    let mut world = World::new(WorldConfig::default());
    world.add_robot(ArmSpec::ur5e());
    for spec in objects {
        world.add_object(spec).expect("object");
    }
    world
}

fn options() -> MotionOptions {
    MotionOptions::default()
}

/// Picks `name` from above with a straight descent and lifts it to `lift_z`.
fn pick(world: &mut World, name: &str, lift_z: f32) {
    let top = world.object_aabb(name).unwrap();
    let c = top.center();
    let yaw = world.object_yaw(name).unwrap();
    world
        .move_tool([c.x, c.y, top.max.z + 0.1], yaw, false, &options())
        .unwrap();
    world
        .move_tool([c.x, c.y, top.max.z + 0.002], yaw, true, &options())
        .unwrap();
    assert_eq!(world.grasp().unwrap(), name);
    world
        .move_tool([c.x, c.y, lift_z], yaw, true, &options())
        .unwrap();
}

#[test]
fn ik_round_trips_over_the_workspace() {
    let arm = ArmSpec::ur5e();
    let mut checked = 0;
    let mut seed = arm.home_rad.clone();
    // The placement area of the shipped scenes, x 0.3..0.8, y −0.3..0.3.
    for ix in 0..=10 {
        for iy in 0..=12 {
            for z in [0.02, 0.1, 0.3] {
                for yaw in [-1.5f64, 0.0, 0.7] {
                    let x = 0.3 + 0.05 * ix as f64;
                    let y = -0.3 + 0.05 * iy as f64;
                    let target = tool_target(Vector3::new(x, y, z), yaw as f32);
                    let q = solve_ik_near(&arm, &target, &seed)
                        .unwrap_or_else(|| panic!("no IK for ({x}, {y}, {z}) yaw {yaw}"));
                    let reached = tool_pose(&arm, &q);
                    let pos_err = (reached.translation.vector - target.translation.vector).norm();
                    let rot_err = reached.rotation.angle_to(&target.rotation);
                    assert!(
                        pos_err < 1e-4,
                        "position error {pos_err} at ({x}, {y}, {z})"
                    );
                    assert!(
                        rot_err < 1e-3,
                        "rotation error {rot_err} at ({x}, {y}, {z})"
                    );
                    seed = q;
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 11 * 13 * 9);
}

#[test]
fn the_tool_arrives_within_a_millimeter_and_points_down() {
    let mut world = world_with(&[]);
    for target in [
        [0.3, -0.25, 0.05],
        [0.7, 0.25, 0.2],
        [0.5, 0.0, 0.02],
        [0.4, 0.3, 0.4],
    ] {
        world.move_tool(target, 0.4, false, &options()).unwrap();
        let tip = world.tool_position();
        let error = (tip - Vec3::from_array(target)).length();
        assert!(error < 0.001, "tool {tip:?} is {error} m from {target:?}");
        let down = world.tool_pose().rotation * Vec3::Z;
        assert!(down.z < -0.999, "tool axis {down:?} does not point down");
    }
}

#[test]
fn a_tipped_tool_arrives_tipped_and_keeps_its_aim() {
    let mut world = world_with(&[]);
    for (target, yaw, tilt) in [
        ([0.55, 0.1, 0.05], 1.2f32, 0.245f32),
        ([0.4, -0.15, 0.1], -0.3, -0.245),
        ([0.35, 0.0, 0.03], 2.9, 0.2),
    ] {
        let aim = ToolAim {
            yaw_rad: yaw,
            tilt_rad: tilt,
        };
        world.move_tool(target, aim, false, &options()).unwrap();
        let tip = world.tool_position();
        assert!((tip - Vec3::from_array(target)).length() < 0.001, "{tip:?}");
        // The tool's axis leans `tilt` from straight down, toward its −y.
        let pose = world.tool_pose();
        let (axis, y) = (pose.rotation * Vec3::Z, pose.rotation * Vec3::Y);
        let lean = (-axis.z).acos();
        assert!((lean - tilt.abs()).abs() < 0.01, "leans {lean}, not {tilt}");
        assert!(
            axis.dot(y).abs() < 0.01,
            "the lean is about the tool's x axis"
        );
        let commanded = world.tool_aim();
        let turn = (commanded.yaw_rad - yaw + PI).rem_euclid(TAU) - PI;
        assert!(turn.abs() < 1e-3 && (commanded.tilt_rad - tilt).abs() < 1e-3);
    }
}

#[test]
fn the_wrist_turns_past_half_a_turn() {
    // Rapier's motors read a target angle as sin(angle / 2): past ±π the target is an
    // unstable balance, and with the fingers on the wrist ran to its mirror image
    // (−3.6 rad to −2.7) until wand gave the motors the same turn within ±π.
    for angle in [-3.6, 4.5] {
        let mut world = world_with(&[]);
        world.set_gripper(Box::new(ParallelJaw::default())).unwrap();
        let mut q = world.joint_angles();
        q[5] = angle;
        world.move_joints(&q, &options()).unwrap();
        world.wait(0.5);
        let measured = world.joint_angles()[5];
        assert!(
            (measured - angle).abs() < 0.01,
            "wrist 3 at {measured}, not {angle}"
        );
        let wanted = tool_pose(&ArmSpec::ur5e(), &q).rotation;
        let wanted = Rotation::from_xyzw(
            wanted.i as f32,
            wanted.j as f32,
            wanted.k as f32,
            wanted.w as f32,
        );
        let got = world.tool_pose().rotation;
        // The fingers' weight bends the arm about a degree; the mirror image is 52° off.
        let off = got.angle_between(wanted);
        assert!(
            off < 0.05,
            "{angle}: the tool is turned {off} rad from its target"
        );
    }
}

#[test]
fn a_carried_block_stays_put_on_the_tool_and_settles_where_released() {
    let mut world = world_with(&[block(Color::Red, 0.45, 0.15)]);
    world.wait(0.5);
    pick(&mut world, "red block", 0.25);
    // Carry it across the table and watch its offset from the tool tip.
    let offset = |w: &World| w.object_position("red block").unwrap() - w.tool_position();
    let start = offset(&world);
    let mut worst = 0.0f32;
    for target in [[0.65, -0.2, 0.3], [0.35, -0.2, 0.15], [0.6, 0.1, 0.12]] {
        world.move_tool(target, 0.0, false, &options()).unwrap();
        worst = worst.max((offset(&world) - start).length());
    }
    assert!(worst < 0.002, "the block shifted {worst} m on the tool");
    assert_eq!(world.held(), Some("red block"));
    // Lower it to 5 mm above the table and let go.
    world
        .move_tool([0.6, 0.1, 0.045], 0.0, true, &options())
        .unwrap();
    assert_eq!(world.release().as_deref(), Some("red block"));
    world
        .move_tool([0.6, 0.1, 0.2], 0.0, true, &options())
        .unwrap();
    world.wait(1.0);
    let p = world.object_position("red block").unwrap();
    let miss = (p.truncate() - glam_xy(0.6, 0.1)).length();
    assert!(
        miss < 0.003,
        "block settled {miss} m from where it was placed: {p:?}"
    );
    assert!(
        (p.z - 0.02).abs() < 0.001,
        "block is not resting on the table: {p:?}"
    );
    assert!(world.is_on("red block", "table").unwrap());
}

fn glam_xy(x: f32, y: f32) -> wand_sim::rapier_math::Vec2 {
    wand_sim::rapier_math::Vec2::new(x, y)
}

#[test]
fn a_block_dropped_into_a_bowl_stays_inside() {
    let mut world = world_with(&[
        block(Color::Blue, 0.4, 0.2),
        bowl(Color::Green, 0.55, -0.15),
    ]);
    pick(&mut world, "blue block", 0.2);
    // Drop it from 6 cm above the bowl's rim.
    world
        .move_tool([0.55, -0.15, 0.14], 0.0, false, &options())
        .unwrap();
    world.release();
    world
        .move_tool([0.45, 0.0, 0.3], 0.0, false, &options())
        .unwrap();
    world.wait(2.0);
    assert!(world.is_inside("blue block", "green bowl").unwrap());
    assert!(world.is_on("blue block", "green bowl").unwrap());
    let bowl_pos = world.object_pose("green bowl").unwrap().translation;
    assert!(
        (bowl_pos.truncate() - glam_xy(0.55, -0.15)).length() < 0.01,
        "bowl moved: {bowl_pos:?}"
    );
}

#[test]
fn a_placed_block_stacks_on_another() {
    let mut world = world_with(&[
        block(Color::Red, 0.45, 0.15),
        block(Color::Green, 0.55, -0.1),
    ]);
    pick(&mut world, "red block", 0.2);
    world
        .move_tool([0.55, -0.1, 0.2], 0.0, false, &options())
        .unwrap();
    world
        .move_tool([0.55, -0.1, 0.085], 0.0, true, &options())
        .unwrap();
    world.release();
    world
        .move_tool([0.55, -0.1, 0.25], 0.0, true, &options())
        .unwrap();
    world.wait(1.0);
    assert!(world.is_on("red block", "green block").unwrap());
    assert!(!world.is_on("green block", "red block").unwrap());
}

#[test]
fn unreachable_targets_say_where_and_the_reach() {
    let mut world = world_with(&[]);
    let err = world
        .move_tool([0.95, 0.55, 0.05], 0.0, false, &options())
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, MotionError::Unreachable { .. }), "{text}");
    assert!(
        text.contains("[0.950, 0.550, 0.050]") && text.contains("reaches"),
        "{text}"
    );
    // The arm did not move.
    let tip = world.tool_position();
    assert!(
        (tip - Vec3::new(0.45, 0.0, 0.35)).length() < 0.001,
        "{tip:?}"
    );
}

#[test]
fn leaving_the_workspace_names_the_limit() {
    let mut world = world_with(&[]);
    let below = world
        .move_tool([0.5, 0.0, -0.1], 0.0, true, &options())
        .unwrap_err();
    assert!(
        below.to_string().contains("below the table surface"),
        "{below}"
    );
    let far = world
        .move_tool([0.5, 0.9, 0.2], 0.0, true, &options())
        .unwrap_err();
    assert!(far.to_string().contains("y above 0.60 m"), "{far}");
}

#[test]
fn joint_limits_are_named() {
    let mut world = world_with(&[]);
    let err = world
        .move_joints(&[0.0, -1.9, 3.0, -1.27, -1.57, 0.0], &options())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "joint 3 (elbow) would reach 171.9°, past its limit of -160°..160°; try a target closer to the robot or with another yaw"
    );
}

#[test]
fn driving_the_tool_into_a_block_is_a_safety_stop() {
    let mut world = world_with(&[block(Color::Red, 0.5, 0.0)]);
    world
        .move_tool([0.5, 0.0, 0.15], 0.0, false, &options())
        .unwrap();
    let fast = MotionOptions {
        tool_speed_mps: 1.0,
        ..options()
    };
    let err = world
        .move_tool([0.5, 0.0, 0.0], 0.0, true, &fast)
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, MotionError::CollisionForce { .. }), "{text}");
    assert!(
        text.contains("suction tool pressed on the red block"),
        "{text}"
    );
}

#[test]
fn a_guarded_move_stops_on_contact() {
    let mut world = world_with(&[block(Color::Red, 0.5, 0.0)]);
    world
        .move_tool([0.5, 0.0, 0.1], 0.0, false, &options())
        .unwrap();
    let guarded = MotionOptions {
        stop_on_contact: true,
        tool_speed_mps: 0.05,
        ..options()
    };
    let outcome = world
        .move_tool([0.5, 0.0, 0.0], 0.0, true, &guarded)
        .unwrap();
    assert_eq!(outcome.touched, Some(wand_sim::world::Owner::Object(0)));
    let tip = world.tool_position();
    assert!(
        (tip.z - 0.04).abs() < 0.004,
        "tool stopped at {tip:?}, the block's top is at 0.04"
    );
}

#[test]
fn suction_over_nothing_grabs_nothing_and_says_what_is_there() {
    let mut world = world_with(&[block(Color::Red, 0.5, 0.0)]);
    world
        .move_tool([0.4, 0.2, 0.1], 0.0, false, &options())
        .unwrap();
    assert_eq!(world.grasp(), Err(None));
    world
        .move_tool([0.4, 0.2, 0.003], 0.0, true, &options())
        .unwrap();
    assert_eq!(world.grasp(), Err(Some("table".to_string())));
    assert_eq!(world.held(), None);
}

#[test]
fn unknown_object_names_list_the_known_ones() {
    let world = world_with(&[block(Color::Red, 0.5, 0.0), bowl(Color::Blue, 0.4, 0.2)]);
    let err = world.object_position("purple block").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown object 'purple block'; known objects: blue bowl, red block"
    );
}

#[test]
fn the_arm_keeps_what_any_gripper_holds_and_lets_go_through_it() {
    use wand_sim::gripper::{FakeGripper, Miss};
    use wand_sim::world::Owner;
    let mut world = world_with(&[block(Color::Red, 0.5, 0.0), block(Color::Blue, 0.4, 0.2)]);
    world
        .set_gripper(Box::new(FakeGripper::new(Err(Miss::NotAnObject(
            Owner::Table,
        )))))
        .unwrap();
    assert_eq!(world.robot().unwrap().gripper().name(), "fake gripper");
    assert_eq!(world.grasp(), Err(Some("table".to_string())));
    assert_eq!(world.held(), None);

    world
        .set_gripper(Box::new(FakeGripper::new(Ok(1))))
        .unwrap();
    assert_eq!(world.grasp().as_deref(), Ok("blue block"));
    assert_eq!(world.held(), Some("blue block"));
    let refused = world.set_gripper(Box::new(FakeGripper::new(Err(Miss::Nothing))));
    assert_eq!(
        refused.unwrap_err().to_string(),
        "the gripper holds the blue block; release it before changing the gripper"
    );
    assert_eq!(world.release().as_deref(), Some("blue block"));
    assert_eq!(world.held(), None);
    assert_eq!(world.release(), None);
}
