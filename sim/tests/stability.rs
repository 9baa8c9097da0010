//! Resting objects stay put: blocks on the table, a 5-block tower, blocks near the arm.

use wand_sim::arm::ArmSpec;
use wand_sim::world::WorldConfig;
use wand_sim::{Color, Kind, ObjectSpec, Vec3, World};

/// Steps in 10 s of simulated time at the default dt.
const TEN_SECONDS: usize = 2400;

fn resting_world() -> WorldConfig {
    // Sleeping would freeze resting blocks and hide any drift: keep it off.
    WorldConfig {
        sleeping: false,
        ..WorldConfig::default()
    }
}

fn block(color: Color, pos_m: Vec<f32>) -> ObjectSpec {
    ObjectSpec {
        kind: Kind::Block,
        color,
        pos_m,
        yaw_rad: 0.0,
    }
}

fn positions(world: &World) -> Vec<Vec3> {
    world
        .objects()
        .iter()
        .map(|o| world.body_pose(o.body).translation)
        .collect()
}

fn max_drift(a: &[Vec3], b: &[Vec3]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(p, q)| (*p - *q).length())
        .fold(0.0, f32::max)
}

#[test]
fn resting_blocks_drift_less_than_a_tenth_of_a_millimeter_in_ten_seconds() {
    let mut world = World::new(resting_world());
    for (i, color) in Color::ALL.iter().enumerate() {
        let x = 0.34 + 0.08 * (i % 5) as f32;
        let y = if i < 5 { -0.04 } else { 0.04 };
        world.add_object(&block(*color, vec![x, y])).unwrap();
    }
    // Let the contacts form, then measure.
    world.wait(0.5);
    let start = positions(&world);
    for _ in 0..TEN_SECONDS {
        world.step();
    }
    let drift = max_drift(&start, &positions(&world));
    assert!(drift < 1e-4, "a resting block drifted {drift} m");
}

#[test]
fn a_five_block_tower_stands_for_ten_seconds() {
    let mut world = World::new(resting_world());
    let colors = [
        Color::Red,
        Color::Green,
        Color::Blue,
        Color::Yellow,
        Color::Purple,
    ];
    for (k, color) in colors.iter().enumerate() {
        world
            .add_object(&block(*color, vec![0.5, 0.0, 0.04 * k as f32]))
            .unwrap();
    }
    world.wait(0.5);
    let start = positions(&world);
    for _ in 0..TEN_SECONDS {
        world.step();
    }
    let drift = max_drift(&start, &positions(&world));
    assert!(
        drift < 1e-3,
        "the tower moved {drift} m: {start:?} -> {:?}",
        positions(&world)
    );
    for pair in colors.windows(2) {
        let (upper, lower) = (
            format!("{} block", pair[1].name()),
            format!("{} block", pair[0].name()),
        );
        assert!(
            world.is_on(&upper, &lower).unwrap(),
            "{upper} is not on {lower}"
        );
    }
    let top = world.object_position("purple block").unwrap();
    assert!((top.z - 0.18).abs() < 1e-3, "the top block is at {top:?}");
}

#[test]
fn blocks_near_an_idle_arm_stay_put() {
    let mut world = World::new(resting_world());
    world.add_robot(ArmSpec::ur5e());
    world
        .add_object(&block(Color::Red, vec![0.35, -0.1]))
        .unwrap();
    world
        .add_object(&block(Color::Blue, vec![0.45, 0.1]))
        .unwrap();
    world.wait(0.5);
    let start = positions(&world);
    let joints = world.joint_angles();
    world.wait(10.0);
    assert!(max_drift(&start, &positions(&world)) < 1e-4);
    let moved = world
        .joint_angles()
        .iter()
        .zip(&joints)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(moved < 1e-4, "an idle joint moved {moved} rad");
}

#[test]
fn resting_bowls_stay_put() {
    // Regression: a bowl with a cylinder bottom sank 4 mm into the table, and one with a
    // 16-sided prism bottom crept 4 mm/s across it.
    let mut world = World::new(resting_world());
    for (i, color) in [Color::Red, Color::Green, Color::Blue, Color::Cyan]
        .iter()
        .enumerate()
    {
        let spec = ObjectSpec {
            kind: Kind::Bowl,
            color: *color,
            pos_m: vec![0.35 + 0.15 * i as f32, 0.2 - 0.13 * i as f32],
            yaw_rad: 0.4 * i as f32,
        };
        world.add_object(&spec).unwrap();
    }
    world.wait(0.5);
    let start = positions(&world);
    for _ in 0..TEN_SECONDS {
        world.step();
    }
    let drift = max_drift(&start, &positions(&world));
    assert!(drift < 1e-4, "a resting bowl moved {drift} m");
    for p in positions(&world) {
        assert!(p.z.abs() < 5e-4, "a bowl rests at z = {}", p.z);
    }
}
