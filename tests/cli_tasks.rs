//! `wand tasks` end to end: the listing, `show`, a new family added as one file in a
//! folder (README's "Adding a task" example) being listed, matched, planned and judged,
//! and malformed task files and checks as input errors that say where.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wand(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(args)
        .output()
        .unwrap()
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}); stdout: {} stderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// An input error: exit code 2, and stderr says `text`.
fn assert_input_error(out: &Output, text: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(text), "expected '{text}' in: {stderr}");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wand-cli-tasks-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The TOML example of README's "Adding a task" section.
fn readme_example() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split("### Adding a task")
        .nth(1)
        .expect("README has an \"Adding a task\" section");
    section
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section has a toml example")
        .to_string()
}

#[test]
fn the_listing_names_every_family_with_its_template_counts() {
    let out = wand(&["tasks", "--json"]);
    assert!(out.status.success());
    let json = json_of(&out);
    let tasks = json["tasks"].as_array().unwrap();
    assert!(tasks.len() >= 14, "{json}");
    for t in tasks {
        assert!(t["templates"]["seen"].as_u64().unwrap() >= 3, "{t}");
        assert!(t["templates"]["heldout"].as_u64().unwrap() >= 3, "{t}");
        assert!(!t["summary"].as_str().unwrap().is_empty());
    }
    let text = String::from_utf8(wand(&["tasks"]).stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("block_in_bowl "))
        .unwrap_or_default();
    assert!(
        line.contains(
            "put one block into one bowl  [params: block, bowl; templates: 3 seen, 5 held-out]"
        ),
        "{text}"
    );
    let show = json_of(&wand(&["tasks", "show", "block_in_bowl", "--json"]));
    assert_eq!(show["params"]["bowl"]["type"], "bowl");
    assert!(
        show["check"]["code"]
            .as_str()
            .unwrap()
            .contains("inside(final, block, bowl)")
    );
    let unknown = wand(&["tasks", "show", "juggle"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains(
        "unknown task 'juggle'; known tasks: all_to_corner, all_to_side, block_beside_object"
    ));
}

#[test]
fn a_new_family_in_a_folder_is_listed_matched_planned_and_judged() {
    let dir = scratch("new-family");
    let tasks = dir.join("my_tasks");
    std::fs::create_dir_all(&tasks).unwrap();
    std::fs::write(tasks.join("block_next_to_bowl.toml"), readme_example()).unwrap();
    let tasks_dir = tasks.to_str().unwrap();
    // Listed.
    let listing = json_of(&wand(&["tasks", "--json", "--tasks-dir", tasks_dir]));
    let names: Vec<&str> = listing["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"block_next_to_bowl"), "{names:?}");
    // Matched, planned by the builtin planner, and judged by its check.
    let out = wand(&[
        "run",
        "--json",
        "--tasks-dir",
        tasks_dir,
        "--scene",
        "demo",
        "--runs-dir",
        dir.join("runs").to_str().unwrap(),
        "--cache-dir",
        dir.join("cache").to_str().unwrap(),
        "Place the red block beside the green bowl.",
    ]);
    let json = json_of(&out);
    assert_eq!(out.status.code(), Some(0), "{json}");
    assert_eq!(json["task"]["name"], "block_next_to_bowl", "{json}");
    assert_eq!(json["task"]["params"]["bowl"], "green bowl");
    assert_eq!(json["success"], true, "{json}");
    assert_eq!(json["check"]["conditions"].as_array().unwrap().len(), 2);
    assert!(
        json["attempts"][0]["code"]
            .as_str()
            .unwrap()
            .contains("0.11 / dist(middle, bowl_xy)")
    );
    // Without the folder the same instruction matches nothing: the planner cannot, exit 1.
    let out = wand(&[
        "run",
        "--json",
        "--scene",
        "demo",
        "--runs-dir",
        dir.join("runs").to_str().unwrap(),
        "--cache-dir",
        dir.join("cache").to_str().unwrap(),
        "Place the red block beside the green bowl.",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out)["success"], false);
    // Verified over seeds.
    let verify = wand(&[
        "tasks",
        "--tasks-dir",
        tasks_dir,
        "verify",
        "block_next_to_bowl",
        "--seeds",
        "0..3",
    ]);
    let text = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{text}");
    assert!(
        text.contains("all reference: 3/3 passed (100.0%)"),
        "{text}"
    );
}

#[test]
fn a_malformed_task_file_is_an_input_error_naming_file_line_and_field() {
    let dir = scratch("malformed");
    let path = dir.join("block_next_to_bowl.toml");
    std::fs::write(&path, readme_example().replace("summary =", "sumary =")).unwrap();
    for args in [
        vec!["tasks"],
        vec!["run", "--scene", "demo", "stack all the blocks"],
        vec![
            "script",
            "--task",
            "stack_all",
            "scenes/programs/stack_all.py",
        ],
    ] {
        let mut args = args.clone();
        args.extend(["--tasks-dir", dir.to_str().unwrap()]);
        let out = wand(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{}:3:1: unknown field `sumary`", path.display())),
            "{args:?}: {stderr}"
        );
    }
}

/// The README example with one more goal condition, `extra`.
fn with_condition(dir: &Path, extra: &str) {
    let text = readme_example().replace(
        "    on(final, block, \"table\"),",
        &format!("    on(final, block, \"table\"),\n    {extra},"),
    );
    std::fs::write(dir.join("block_next_to_bowl.toml"), text).unwrap();
}

fn script_next_to(dir: &Path, program: &str) -> Output {
    let path = dir.join("p.py");
    std::fs::write(&path, program).unwrap();
    wand(&[
        "script",
        "--json",
        "--scene",
        "demo",
        "--tasks-dir",
        dir.to_str().unwrap(),
        "--task",
        "block_next_to_bowl",
        "--param",
        "block=red block",
        "--param",
        "bowl=green bowl",
        path.to_str().unwrap(),
    ])
}

#[test]
fn a_check_that_raises_is_a_task_error_with_its_line_and_exit_2() {
    // Raising on the untouched scene: caught before the program runs.
    let dir = scratch("raises-at-start");
    with_condition(&dir, "cond(final[\"nothing\"], \"never\")");
    let out = script_next_to(&dir, "say('hello')\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("raised KeyError at "), "{stderr}");
    assert!(
        stderr.contains("block_next_to_bowl.toml line 35 (`cond(final[\"nothing\"], \"never\"),`)"),
        "{stderr}"
    );
    // Raising only once the block moved: the episode runs, the verdict is a task error.
    let dir = scratch("raises-at-end");
    with_condition(
        &dir,
        "cond(1 / (0.001 - min(0.001, dist_xy(xy(start, block), xy(final, block)))) > 0, \"moved\")",
    );
    let out = script_next_to(&dir, "put_first_on_second('red block', [0.5, 0.25])\n");
    let json = json_of(&out);
    assert_eq!(out.status.code(), Some(2), "{json}");
    assert_eq!(json["success"], false, "{json}");
    assert!(json["error"].is_null(), "{json}");
    let error = json["check"]["task_error"].as_str().unwrap();
    assert!(error.contains("raised ZeroDivisionError at "), "{error}");
    assert!(error.contains("block_next_to_bowl.toml line 35"), "{error}");
    assert!(
        json["check"]["reason"]
            .as_str()
            .unwrap()
            .starts_with("the task's check failed")
    );
}

#[test]
fn a_task_that_does_not_apply_to_the_scene_is_bad_input() {
    // The blocks scene has no bowls, so matching bowls does not apply to it.
    let out = wand(&[
        "script",
        "--scene",
        "blocks",
        "--task",
        "matching_bowls",
        "scenes/programs/stack_all.py",
    ]);
    assert_input_error(&out, "no block has a bowl of its color");
}

#[test]
fn a_missing_folder_or_a_family_defined_twice_is_an_input_error() {
    let out = wand(&["tasks", "--tasks-dir", "/nonexistent/wand-tasks"]);
    assert_input_error(&out, "cannot read the tasks folder /nonexistent/wand-tasks");
    let dir = scratch("twice");
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/tasks/stack_all.toml"),
    )
    .unwrap();
    std::fs::write(dir.join("stack_all.toml"), shipped).unwrap();
    let out = wand(&["tasks", "--tasks-dir", dir.to_str().unwrap()]);
    assert_input_error(
        &out,
        "task 'stack_all' is defined twice: in scenes/tasks/stack_all.toml and in",
    );
}

#[test]
fn verify_reports_each_family_and_exits_1_when_one_fails() {
    let dir = scratch("verify-fails");
    // The README example with a reference program that does nothing.
    let lazy = readme_example().replace("put_first_on_second(block, spot)", "pass");
    std::fs::write(dir.join("block_next_to_bowl.toml"), lazy).unwrap();
    let out = wand(&[
        "tasks",
        "verify",
        "block_next_to_bowl",
        "--seeds",
        "0..2",
        "--tasks-dir",
        dir.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json = json_of(&out);
    assert_eq!(json["tallies"][0]["failed"], 2, "{json}");
    let reason = json["episodes"][0]["reason"].as_str().unwrap();
    assert_eq!(
        reason,
        "1 of 2 goal conditions hold; not yet: red block is not at the blue bowl: 0.37 m from \
         [0.62, -0.18] (it is at [0.45, 0.15]; within 0.14 m counts)"
    );
}
