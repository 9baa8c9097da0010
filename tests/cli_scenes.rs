//! `wand scenes` lists the shipped scenes, as text and as JSON.

use std::process::Command;

fn wand(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(args)
        .output()
        .expect("the wand binary runs")
}

#[test]
fn scenes_lists_each_shipped_scene_with_its_description() {
    let output = wand(&["scenes"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(
        lines[3].contains("task families are drawn on these scenes"),
        "{stdout}"
    );
    for (line, name) in lines.iter().zip(["tabletop", "blocks", "demo"]) {
        assert!(line.starts_with(name), "{line}");
        assert!(line.len() > name.len() + 10, "no description: {line}");
    }
    assert!(lines[0].contains("blocks and 2-4 bowls") && lines[0].ends_with("(default)"));
    // Descriptions start in one column.
    let column =
        |line: &str, name: &str| line[name.len()..].find(|c: char| c != ' ').unwrap() + name.len();
    assert_eq!(column(lines[0], "tabletop"), column(lines[2], "demo"));
}

#[test]
fn scenes_json_is_one_object_with_every_scene() {
    let output = wand(&["scenes", "--json"]);
    assert!(output.status.success(), "{output:?}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let scenes = value["scenes"].as_array().unwrap();
    let names: Vec<&str> = scenes.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["tabletop", "blocks", "demo"]);
    assert!(
        scenes
            .iter()
            .all(|s| !s["description"].as_str().unwrap().is_empty())
    );
    assert_eq!(scenes[0]["default"], true);
    assert_eq!(scenes[1]["default"], false);
    let tabletop_tasks: Vec<&str> = scenes[0]["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        tabletop_tasks.contains(&"matching_bowls"),
        "{tabletop_tasks:?}"
    );
}

#[test]
fn a_bad_scene_file_exits_2_naming_file_line_and_field() {
    let scene = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/scenes/unknown_field.toml"
    );
    let out = std::env::temp_dir().join("wand-cli-scenes-bad.png");
    let output = wand(&["render", "--scene", scene, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("unknown_field.toml:11:3: unknown field `colour` in objects[1]"),
        "{stderr}"
    );
    assert!(!out.exists(), "no image for a bad scene");
}

#[test]
fn an_unknown_scene_name_exits_2_listing_the_shipped_scenes() {
    let out = std::env::temp_dir().join("wand-cli-scenes-unknown.png");
    let output = wand(&[
        "render",
        "--scene",
        "tabletopp",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("tabletop, blocks, demo"), "{stderr}");
}
