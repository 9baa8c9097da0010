//! `wand script --task`: the task's success check judges the run and sets the exit code.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn script(args: &[&str], program: &str) -> (Option<i32>, Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes/programs")
        .join(program);
    let out = Command::new(env!("CARGO_BIN_EXE_wand"))
        .arg("script")
        .arg("--json")
        .args(args)
        .arg(path)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), json)
}

#[test]
fn a_passing_task_check_succeeds_with_its_reason() {
    let (code, json) = script(
        &[
            "--scene",
            "tabletop",
            "--seed",
            "1",
            "--task",
            "matching_bowls",
        ],
        "blocks_in_bowls.py",
    );
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["success"], true);
    assert!(
        json["check"]["reason"]
            .as_str()
            .unwrap()
            .contains("is inside"),
        "{json}"
    );
}

#[test]
fn a_failing_task_check_exits_1_and_says_what_is_wrong() {
    let args = [
        "--scene",
        "demo",
        "--task",
        "block_in_bowl",
        "--param",
        "block=red block",
        "--param",
        "bowl=green bowl",
    ];
    let (code, json) = script(&args, "stack_all.py");
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["success"], false);
    assert!(json["error"].is_null());
    let reason = json["check"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("red block is not inside green bowl"),
        "{reason}"
    );
    assert_eq!(json["check"]["reward"], 0.0);
    assert_eq!(json["check"]["conditions"][0]["holds"], false);
}

#[test]
fn an_unknown_task_or_a_bad_param_is_a_usage_error() {
    assert_eq!(
        script(&["--scene", "demo", "--task", "juggle"], "stack_all.py").0,
        Some(2)
    );
    assert_eq!(
        script(
            &[
                "--scene",
                "demo",
                "--task",
                "block_in_bowl",
                "--param",
                "block"
            ],
            "stack_all.py"
        )
        .0,
        Some(2)
    );
    assert_eq!(
        script(
            &[
                "--scene",
                "demo",
                "--task",
                "block_in_bowl",
                "--param",
                "block=purple block",
                "--param",
                "bowl=green bowl"
            ],
            "stack_all.py"
        )
        .0,
        Some(2)
    );
}

/// Camera perception changes what a program sees, never what the check judges: in a
/// scene where the camera cannot see the red block (the blue one covers it), the check
/// of "put the blue block on the red block" still finds both in the simulation's truth.
#[test]
fn the_check_judges_from_truth_when_perception_is_the_camera() {
    let dir = std::env::temp_dir().join(format!("wand-cli-script-truth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let program = dir.join("look.py");
    std::fs::write(
        &program,
        "say('red seen: ' + str(is_obj_visible('red block')))\n",
    )
    .unwrap();
    let scene =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scenes/stack_seen_from_above.toml");
    let args = [
        "--scene",
        scene.to_str().unwrap(),
        "--task",
        "block_on_block",
        "--param",
        "block=blue block",
        "--param",
        "target=red block",
    ];
    let (code, json) = script(&args, program.to_str().unwrap());
    assert_eq!(json["said"][0], "red seen: False", "{json}");
    assert_eq!(json["perception"], "camera", "{json}");
    assert_eq!(json["success"], true, "{json}");
    assert_eq!(code, Some(0), "{json}");
}
