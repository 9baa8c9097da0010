//! `wand api`: the generated reference, and docs/API.md kept current.

use std::path::Path;
use std::process::Command;

fn wand_api(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_wand"))
        .arg("api")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_reference_lists_every_primitive_of_the_design() {
    let text = wand_api(&[]);
    for name in [
        "get_obj_names()",
        "get_obj_pos(name)",
        "get_obj_bbox(name)",
        "get_obj_yaw(name)",
        "get_obj_color(name)",
        "get_obj_kind(name)",
        "is_obj_visible(name)",
        "get_ee_pos()",
        "move_to(pos, yaw=None)",
        "go_home()",
        "grasp()",
        "release()",
        "is_holding(name=None)",
        "pick(name)",
        "place(pos)",
        "put_first_on_second(obj, target)",
        "push(name, direction, distance)",
        "wait(seconds)",
        "table_bounds()",
        "get_location(name)",
        "denormalize_xy(uv)",
        "dist(a, b)",
        "midpoint(a, b)",
        "add(a, b)",
        "sub(a, b)",
        "scale(a, k)",
        "mean(points)",
        "say(text)",
    ] {
        assert!(text.contains(name), "`wand api` lacks {name}");
    }
    assert!(text.contains("numpy"), "the sandbox notes are missing");
}

/// The output of `wand ARGS` must equal the committed `doc`; `WAND_BLESS=1` rewrites it.
fn assert_doc_current(doc: &str, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success());
    let fresh = String::from_utf8(out.stdout).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(doc);
    if std::env::var_os("WAND_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{doc} is stale: run `WAND_BLESS=1 cargo test --test cli_api` (or `wand {} > {doc}`) \
         and commit it",
        args.join(" ")
    );
}

#[test]
fn docs_api_md_is_current() {
    assert_doc_current("docs/API.md", &["api", "--markdown"]);
}

/// docs/TASKS.md is `wand tasks --markdown`: the families as the files define them.
#[test]
fn docs_tasks_md_is_current() {
    assert_doc_current("docs/TASKS.md", &["tasks", "--markdown"]);
}

#[test]
fn the_low_level_reference_lists_the_building_blocks_only() {
    let low = wand_api(&["--level", "low"]);
    assert!(low.contains("move_to(pos, yaw=None)"), "{low}");
    assert!(low.contains("grasp()"), "{low}");
    assert!(!low.contains("pick(name)"), "{low}");
    assert!(!low.contains("put_first_on_second("), "{low}");
    assert!(low.contains("Only the building blocks are offered (--api low)"));
    let high = wand_api(&[]);
    assert!(high.contains("pick(name)") && high.contains("move_to(pos, yaw=None)"));
}
