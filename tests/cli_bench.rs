//! `wand bench` end to end: the JSON shape that merges with peers.py's, and input errors.

use std::process::Command;

fn wand(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(args)
        .output()
        .expect("run wand")
}

#[test]
fn bench_json_has_the_shape_of_peers_py() {
    let out = wand(&["bench", "--quick", "--json", "--scenes", "cubes10"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
    let scenes = report["wand"].as_object().expect("a \"wand\" object");
    assert_eq!(scenes.keys().collect::<Vec<_>>(), ["cubes10"]);
    let cubes10 = &report["wand"]["cubes10"];
    for key in [
        "steps_per_s",
        "rtf",
        "max_cube_displacement_m",
        "timed_steps",
    ] {
        assert!(cubes10[key].is_number(), "{key} missing: {cubes10}");
    }
    assert!(
        cubes10.get("ms_per_image").is_none(),
        "a stepping scene has no images"
    );
    assert!(report["versions"]["rapier3d"].is_string(), "{report}");
    assert_eq!(report["versions"]["quick"], serde_json::json!(true));
}

#[test]
fn bench_unknown_scene_is_an_input_error_listing_known_scenes() {
    let out = wand(&["bench", "--quick", "--scenes", "cubes10,cubes11"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cubes11") && stderr.contains("arm_cubes10"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing ran");
}

#[test]
fn bench_compare_without_peers_dir_is_a_clear_error() {
    let out = wand(&[
        "bench",
        "--quick",
        "--compare",
        "--scenes",
        "cubes10",
        "--peers-dir",
        "/nonexistent/bench",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/nonexistent/bench") && stderr.contains("--peers-dir"),
        "{stderr}"
    );
}
