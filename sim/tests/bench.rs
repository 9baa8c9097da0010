//! The benchmark scenes build as peers.py defines them and behave: resting cubes stay
//! put, the arm follows its targets. Outcomes only; timings belong to `wand bench`.

use wand_sim::bench::{self, SCENE_NAMES, Scene};

fn stepping(name: &str) -> bench::SteppingScene {
    match bench::scene(name) {
        Some(Scene::Stepping(scene)) => scene,
        other => panic!("{name} is not a stepping scene: {other:?}"),
    }
}

#[test]
fn scenes_have_peers_py_cube_counts() {
    for (name, cubes) in [
        ("cubes10", 10),
        ("cubes50", 50),
        ("cubes200", 200),
        ("arm_cubes10", 10),
    ] {
        let scene = stepping(name);
        assert_eq!(scene.cubes.len(), cubes, "{name}");
        let world = bench::build_world(&scene);
        assert_eq!(world.objects().len(), cubes, "{name}");
        assert_eq!(world.robot().is_some(), name == "arm_cubes10", "{name}");
    }
}

#[test]
fn every_listed_scene_exists_and_unknown_names_are_refused() {
    for name in SCENE_NAMES {
        assert!(bench::scene(name).is_some(), "{name}");
    }
    let error = bench::run(&["cubes10", "cubes11"], true).unwrap_err();
    assert!(error.to_string().contains("'cubes11'"), "{error}");
    assert!(
        error.to_string().contains("arm_cubes10"),
        "lists the known scenes: {error}"
    );
}

#[test]
fn cubes10_rests_as_still_as_mujoco() {
    let r = bench::run_scene("cubes10", true).unwrap();
    let moved_m = r.max_cube_displacement_m.unwrap();
    assert!(
        moved_m < 1e-4,
        "a resting cube moved {moved_m} m (MuJoCo: 6e-5 m)"
    );
    assert!(r.steps_per_s.unwrap() > 0.0);
    assert_eq!(r.cubes, 10);
}

#[test]
fn arm_cubes10_tracks_its_joint_targets_and_leaves_the_cubes_alone() {
    let r = bench::run_scene("arm_cubes10", true).unwrap();
    let tracking_rad = r.max_joint_tracking_error_rad.unwrap();
    assert!(
        tracking_rad < 0.02,
        "worst joint tracking error {tracking_rad} rad"
    );
    let moved_m = r.max_cube_displacement_m.unwrap();
    assert!(moved_m < 1e-4, "the arm disturbed the cubes: {moved_m} m");
}

#[test]
fn cube_piles_run_in_quick_mode() {
    let piles = bench::run(&["cubes50", "cubes200"], true).unwrap();
    // cubes50's top layer rests on the bottom one; cubes200's layers fall 5 mm each.
    assert!(
        piles[0].max_cube_displacement_m.unwrap() < 0.005,
        "{:?}",
        piles[0]
    );
    assert!(
        piles[1].max_cube_displacement_m.unwrap() < 0.05,
        "{:?}",
        piles[1]
    );
    assert!(
        piles
            .iter()
            .all(|r| r.steps_per_s.is_some() && r.timed_steps.is_some())
    );
}

#[test]
fn camera_scenes_report_ms_per_image() {
    let r = bench::run_scene("camera_160x120", true).unwrap();
    assert!(r.skipped.is_none(), "{r:?}");
    assert!(r.ms_per_image.unwrap() > 0.0);
    assert!(r.steps_per_s.is_none());
}

#[test]
fn arm_targets_are_peers_py_sine_waves() {
    let (q, q_dot) = bench::arm_targets(0.0);
    assert_eq!(q, [0.0; 7]);
    assert!((q_dot[6] - 0.5 * std::f64::consts::TAU * 0.5).abs() < 1e-12);
    let (q, _) = bench::arm_targets(1.0 / (4.0 * 0.2)); // quarter period of joint 1
    assert!((q[0] - 0.4).abs() < 1e-12);
}

#[test]
fn the_episode_scene_stacks_blocks_and_reports_where_the_time_goes() {
    let result = wand_sim::bench::run_scene("episode_stack_all", true).unwrap();
    assert_eq!(result.episodes_succeeded.as_deref(), Some("2/2"));
    let share = result.physics_share.unwrap();
    assert!(share > 0.0 && share <= 1.0, "physics share {share}");
    assert!(result.timed_steps.unwrap() > 2000, "{result:?}");
}

#[test]
fn the_parallel_episode_scene_stacks_blocks_with_the_fingers() {
    let result = wand_sim::bench::run_scene("episode_stack_all_parallel", true).unwrap();
    assert_eq!(result.episodes_succeeded.as_deref(), Some("2/2"));
    let share = result.physics_share.unwrap();
    assert!(share > 0.0 && share <= 1.0, "physics share {share}");
    assert!(
        result.note.as_deref().unwrap().contains("parallel gripper"),
        "{result:?}"
    );
    assert!(result.timed_steps.unwrap() > 2000, "{result:?}");
}
