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

/// A peers directory and venv whose "python" prints canned peers.py JSON, so the
/// comparison runs without PyBullet or MuJoCo.
fn fake_peers(root: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = root.join("bench");
    let venv = root.join("venv");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(venv.join("bin")).unwrap();
    std::fs::write(dir.join("setup_peers.sh"), "echo fake setup\n").unwrap();
    std::fs::write(
        dir.join("peers.py"),
        "# stand-in; the fake python ignores it\n",
    )
    .unwrap();
    let canned = r#"{"pybullet": {"cubes10": {"steps_per_s": 1000.0, "rtf": 4.17, "max_cube_displacement_m": 0.007}},
 "mujoco": {"cubes10": {"skipped": "mujoco is not installed"}},
 "versions": {"python": "3.11.7", "pybullet": "3.2.7", "mujoco": null, "cpus": 2}}"#;
    let python = venv.join("bin/python");
    std::fs::write(
        &python,
        format!("#!/bin/sh\necho 'fake peers.py' >&2\ncat <<'JSON'\n{canned}\nJSON\n"),
    )
    .unwrap();
    std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
    (dir, venv)
}

#[test]
fn bench_compare_merges_peers_and_prints_ratios() {
    let root = std::env::temp_dir().join(format!("wand-cli-bench-{}", std::process::id()));
    let (dir, venv) = fake_peers(&root);
    let (dir, venv) = (dir.to_str().unwrap(), venv.to_str().unwrap());
    let common = [
        "bench",
        "--quick",
        "--compare",
        "--scenes",
        "cubes10",
        "--peers-dir",
        dir,
        "--peers-venv",
        venv,
    ];

    let out = wand(&[&common[..], &["--json"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is JSON only");
    assert!(report["wand"]["cubes10"]["steps_per_s"].is_number());
    assert_eq!(
        report["pybullet"]["cubes10"]["steps_per_s"],
        serde_json::json!(1000.0)
    );
    assert!(report["ratios"]["cubes10"]["pybullet"].as_f64().unwrap() > 0.0);
    assert!(
        report["ratios"]["cubes10"].get("mujoco").is_none(),
        "a skipped peer has no ratio"
    );
    assert_eq!(report["versions"]["pybullet"], serde_json::json!("3.2.7"));
    assert_eq!(report["versions"]["rapier3d"], serde_json::json!("0.36.1"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fake setup") && stderr.contains("fake peers.py"),
        "{stderr}"
    );

    let out = wand(&common);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("pybullet") && table.contains("×"), "{table}");
    assert!(table.contains("mujoco is not installed"), "{table}");
    std::fs::remove_dir_all(&root).ok();
}
