//! Same scene + seed + commands ⇒ bitwise-identical state; another seed differs.

use wand_sim::robot::MotionOptions;
use wand_sim::{Scene, Snapshot, World};

/// Builds the default scene for `seed`, carries the first block into the first bowl,
/// and returns the final snapshot serialized.
fn episode(seed: u64) -> (String, Snapshot) {
    let scene = Scene::load("tabletop").unwrap();
    let mut world: World = scene.build(seed).unwrap();
    let names = world.object_names();
    let block = names.iter().find(|n| n.ends_with("block")).unwrap().clone();
    let bowl = names.iter().find(|n| n.ends_with("bowl")).unwrap().clone();
    let options = MotionOptions::default();
    let top = world.object_aabb(&block).unwrap();
    let c = top.center();
    world
        .move_tool([c.x, c.y, 0.15], 0.0, false, &options)
        .unwrap();
    world
        .move_tool([c.x, c.y, top.max.z + 0.002], 0.0, true, &options)
        .unwrap();
    world.grasp().unwrap();
    world
        .move_tool([c.x, c.y, 0.15], 0.0, true, &options)
        .unwrap();
    let b = world.object_position(&bowl).unwrap();
    world
        .move_tool([b.x, b.y, 0.15], 0.0, false, &options)
        .unwrap();
    world.release();
    world.wait(1.0);
    assert!(
        world.is_inside(&block, &bowl).unwrap(),
        "seed {seed}: {block} missed {bowl}"
    );
    let snapshot = world.snapshot();
    (serde_json::to_string(&snapshot).unwrap(), snapshot)
}

#[test]
fn the_same_seed_gives_bitwise_identical_snapshots() {
    let (a, snap_a) = episode(3);
    let (b, snap_b) = episode(3);
    assert_eq!(a, b);
    // JSON prints the shortest text that reads back as the same f32; compare bits too.
    for (x, y) in snap_a.objects.iter().zip(&snap_b.objects) {
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&x.pos_m), bits(&y.pos_m), "{}", x.name);
        assert_eq!(bits(&x.rot_xyzw), bits(&y.rot_xyzw), "{}", x.name);
    }
    assert!(
        snap_a.step > 500,
        "the episode hardly ran: {} steps",
        snap_a.step
    );
}

#[test]
fn another_seed_gives_another_episode() {
    assert_ne!(episode(3).0, episode(4).0);
}

#[test]
fn snapshots_round_trip_through_json() {
    let (text, snapshot) = episode(5);
    let back: Snapshot = serde_json::from_str(&text).unwrap();
    assert_eq!(back, snapshot);
}
