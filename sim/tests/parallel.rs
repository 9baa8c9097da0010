//! The parallel-jaw gripper in real physics: friction grasps of blocks and bowls, its
//! messages (slips, objects too wide), and determinism.

use wand_sim::arm::ArmSpec;
use wand_sim::camera::{Camera, CameraSpec, RaycastCamera, SEG_ROBOT};
use wand_sim::gripper::{GripperKind, MAX_OPENING_M};
use wand_sim::world::WorldConfig;
use wand_sim::{Color, Kind, ObjectSpec, SimError, Vec3, World};

fn object(kind: Kind, color: Color, x: f32, y: f32, yaw_rad: f32) -> ObjectSpec {
    ObjectSpec {
        kind,
        color,
        pos_m: vec![x, y],
        yaw_rad,
    }
}

fn parallel_world(objects: &[ObjectSpec]) -> World {
    let mut world = World::new(WorldConfig::default());
    world.add_robot(ArmSpec::ur5e());
    world.set_gripper(GripperKind::Parallel.build()).unwrap();
    for spec in objects {
        world.add_object(spec).expect("object");
    }
    world.wait(0.2);
    world
}

#[test]
fn the_fingers_open_to_a_width_and_close_fully_on_nothing() {
    let mut world = parallel_world(&[]);
    let open = world.gripper_opening_m().unwrap();
    assert!((open - MAX_OPENING_M).abs() < 0.002, "{open}");
    world.set_gripper_opening(0.05);
    let half = world.gripper_opening_m().unwrap();
    assert!((half - 0.05).abs() < 0.002, "{half}");
    assert_eq!(world.grasp(), Err(None));
    assert!(world.gripper_opening_m().unwrap() < 0.003);
}

#[test]
fn a_block_is_lifted_by_friction_and_stacked() {
    let mut world = parallel_world(&[
        object(Kind::Block, Color::Red, 0.45, 0.12, 0.4),
        object(Kind::Block, Color::Green, 0.55, -0.1, -0.2),
    ]);
    world.pick("red block").unwrap();
    assert_eq!(world.held(), Some("red block"));
    let width = world.gripper_opening_m().unwrap();
    assert!((width - 0.04).abs() < 0.003, "measured {width}");
    let lifted = world.object_aabb("red block").unwrap();
    assert!(lifted.min.z > 0.07, "lifted to {}", lifted.min.z);
    let at = world.object_position("green block").unwrap();
    world.place(at.x, at.y, None).unwrap();
    world.wait(1.0);
    assert!(world.is_on("red block", "green block").unwrap());
    assert_eq!(world.held(), None);
}

/// The fingers carry a bowl by its rim with the block inside: the pads tip to lie along
/// the leaning wall, both of each pad's contacts press on it, and the bowl stays level
/// and lands where it was sent.
#[test]
fn a_bowl_is_carried_by_its_rim_level_with_the_block_inside() {
    let mut world = parallel_world(&[
        object(Kind::Bowl, Color::Blue, 0.5, 0.1, 0.0),
        object(Kind::Block, Color::Red, 0.5, 0.1, 0.0),
    ]);
    world.wait(0.5);
    assert!(world.is_inside("red block", "blue bowl").unwrap());
    world.pick("blue bowl").unwrap();
    assert_eq!(world.held(), Some("blue bowl"));
    let tilt = |w: &World| {
        let up = w.object_pose("blue bowl").unwrap().rotation * Vec3::Z;
        up.z.acos().to_degrees()
    };
    let lifted = world.object_aabb("blue bowl").unwrap();
    assert!(lifted.min.z > 0.05, "lifted to {}", lifted.min.z);
    assert!(
        tilt(&world) < 3.0,
        "the bowl hangs {}° tilted",
        tilt(&world)
    );
    world.place(0.45, -0.15, None).unwrap();
    world.wait(1.0);
    let at = world.object_position("blue bowl").unwrap();
    let off = (at.x - 0.45).hypot(at.y + 0.15);
    assert!(off < 0.01, "{at:?} is {off} m from the target");
    assert!(world.is_on("blue bowl", "table").unwrap());
    assert!(world.is_inside("red block", "blue bowl").unwrap());
}

#[test]
fn a_bowl_is_too_wide_to_grasp_across() {
    let mut world = parallel_world(&[object(Kind::Bowl, Color::Blue, 0.5, 0.0, 0.0)]);
    let guarded = wand_sim::robot::MotionOptions::guarded();
    world
        .move_tool([0.5, 0.0, 0.15], 0.0, false, &Default::default())
        .unwrap();
    world
        .move_tool([0.5, 0.0, 0.012], 0.0, true, &guarded)
        .unwrap();
    assert_eq!(world.grasp(), Err(None));
    let error = world.too_wide_below_tip().expect("a too-wide object");
    assert_eq!(
        error.to_string(),
        "the blue bowl is 13 cm wide; the fingers open 8.5 cm: grasp it by the rim (pick('blue bowl') does)"
    );
}

#[test]
fn a_bowl_held_with_too_little_force_slips_while_lifting() {
    let mut world = parallel_world(&[object(Kind::Bowl, Color::Blue, 0.5, 0.0, 0.0)]);
    world.set_grip_force_n(0.3);
    let error = world.pick("blue bowl").unwrap_err();
    assert!(matches!(error, SimError::Slipped { .. }), "{error}");
    assert_eq!(
        error.to_string(),
        "the blue bowl slipped out of the fingers while lifting; it lies where it fell: pick it again"
    );
    assert_eq!(world.held(), None);
}

/// The same commands give the same bits with fingers too: their motors, contacts and
/// the extra solver iterations are all deterministic.
#[test]
fn the_same_grasp_twice_gives_the_same_bits() {
    let run = || {
        let mut world = parallel_world(&[
            object(Kind::Block, Color::Red, 0.45, 0.12, 0.4),
            object(Kind::Block, Color::Green, 0.55, -0.1, -0.2),
        ]);
        world.pick("red block").unwrap();
        world.place(0.5, -0.05, None).unwrap();
        world.wait(0.3);
        let red = world.object_position("red block").unwrap();
        (
            red.to_array().map(f32::to_bits),
            world.steps(),
            world.joint_angles(),
        )
    };
    assert_eq!(run(), run());
}

/// The fingers look like a 2F-85's: pads 22 mm wide and a palm, seen by the camera (and
/// so in replays and the viewer), while only the contacts inside the pads touch.
#[test]
fn the_pads_look_wide_and_only_their_contacts_touch() {
    let mut world = parallel_world(&[object(Kind::Block, Color::Red, 0.5, 0.0, 0.0)]);
    let start = world.object_position("red block").unwrap();
    let options = wand_sim::robot::MotionOptions::default();
    world.set_gripper_opening(0.02);
    // The tool 8 mm in front of the block's near face (x = 0.48): the pads' looks reach
    // 3 mm into the block, their contacts stay 4 mm short of it.
    world
        .move_tool([0.472, 0.0, 0.1], 0.0, false, &options)
        .unwrap();
    world
        .move_tool([0.472, 0.0, 0.01], 0.0, true, &options)
        .unwrap();
    world.wait(0.5);
    let moved = (world.object_position("red block").unwrap() - start).length();
    assert!(moved < 5e-4, "the block moved {moved} m");
    let touching = world.contacts("red block").unwrap();
    assert!(!touching.iter().any(|c| c == "robot"), "{touching:?}");
    // Seen from the side, level with the pads, the camera sees a pad 3 mm beyond its
    // contacts (which end 4 mm from the tool's axis along x) as robot.
    let camera = RaycastCamera::new(CameraSpec {
        eye_m: [0.463, 0.4, 0.03],
        target_m: [0.463, 0.0, 0.03],
        up: [0.0, 0.0, 1.0],
        width_px: 200,
        height_px: 200,
        fovy_deg: 10.0,
    })
    .unwrap();
    let images = camera.render(&world);
    let [u, v] = camera.project(Vec3::new(0.463, 0.02, 0.03)).unwrap();
    assert_eq!(images.segment_at(u as u32, v as u32), SEG_ROBOT);
}
