//! The skill library through the real binary, with a language model at a local fake
//! OpenAI-compatible server: a passed run becomes a verified skill with a docstring and
//! parameters; the next run is offered it (in the request the server sees) and a program
//! that only calls it passes; a rewrite that fails on fresh seeds is not kept; `verify`
//! catches a skill a changed scene broke, and `rm` removes it; the standard library's
//! skills pass their checks.

mod common;
#[path = "../agent/tests/fake_server/mod.rs"]
mod fake_server;

use common::wand_in as wand;
use fake_server::{FakeServer, Reply};
use std::path::Path;
use std::process::Output;

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn fenced(code: &str) -> String {
    format!("```python\n{code}\n```")
}

/// `wand run` on the demo scene with the model at `server`, skills in `dir/skills`.
fn run(dir: &Path, server: &FakeServer, instruction: &str) -> Output {
    wand(
        dir,
        &[
            "run",
            "--scene",
            "demo",
            instruction,
            "--llm",
            "openai:test-model",
            "--base-url",
            &server.openai_url(),
            "--cache",
            "off",
            "--skills",
            "skills",
            "--max-attempts",
            "1",
        ],
    )
}

/// The task request: the one that says "Instruction:".
const TASK: &str = "Instruction: put the red block in the green bowl";
/// The rewrite request.
const REWRITE: &str = "Rewrite it as one Python function";

/// A model that puts the red block in the green bowl and, asked to rewrite that as a
/// function, answers `rewrite`.
fn learning(rewrite: &str) -> FakeServer {
    FakeServer::routed(vec![
        (REWRITE, Reply::openai(&fenced(rewrite))),
        (
            TASK,
            Reply::openai(&fenced("put_first_on_second('red block', 'green bowl')")),
        ),
    ])
}

#[test]
fn a_passed_run_becomes_a_skill_that_the_next_run_is_offered_and_calls() {
    let dir = common::scratch("cli-skills", "learn");
    let server = learning(
        "def block_in_bowl(block, bowl):\n    \"\"\"Mine.\"\"\"\n    put_first_on_second(block, bowl)\n\nblock_in_bowl('red block', 'green bowl')",
    );
    let out = run(&dir, &server, "put the red block in the green bowl");
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("learned skill block_in_bowl, verified on seeds [1, 2, 3, 4, 5]"),
        "{}",
        text(&out)
    );
    let source = std::fs::read_to_string(dir.join("skills/block_in_bowl.py")).unwrap();
    assert!(
        source.starts_with("def block_in_bowl(block, bowl):\n"),
        "{source}"
    );
    assert!(source.contains("block: the block to move"), "{source}");
    assert!(source.contains("bowl: the bowl it goes into"), "{source}");
    assert!(
        !source.contains("Mine."),
        "wand's docstring replaces the model's: {source}"
    );
    assert!(
        !source.contains("block_in_bowl('red block'"),
        "the example call is dropped: {source}"
    );
    let index = std::fs::read_to_string(dir.join("skills/index.toml")).unwrap();
    assert!(index.contains("family = \"block_in_bowl\""), "{index}");
    assert!(
        index.contains("verified_seeds = [1, 2, 3, 4, 5]"),
        "{index}"
    );
    let show = wand(
        &dir,
        &["skills", "show", "block_in_bowl", "--skills", "skills"],
    );
    assert!(show.status.success());
    assert!(
        text(&show).contains("# family: block_in_bowl"),
        "{}",
        text(&show)
    );

    // As if the primitives had changed since: the next run verifies it again first.
    let current = index
        .lines()
        .find_map(|l| l.strip_prefix("registry = "))
        .unwrap()
        .to_string();
    let edited = index.replace(
        &format!("registry = {current}"),
        "registry = \"000000000000\"",
    );
    std::fs::write(dir.join("skills/index.toml"), edited).unwrap();

    // The next run is offered the skill, and a program that only calls it passes.
    let server = FakeServer::routed(vec![(
        "def block_in_bowl(block, bowl):",
        Reply::openai(&fenced("block_in_bowl('blue block', 'blue bowl')")),
    )]);
    let out = run(&dir, &server, "put the blue block in the blue bowl");
    assert!(out.status.success(), "{}", text(&out));
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "no rewrite: the library has it");
    let body = requests[0].json();
    let task = body["messages"].as_array().unwrap().last().unwrap()["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        task.contains("Skills: these functions are already defined"),
        "{task}"
    );
    assert!(task.contains("block: the block to move"), "{task}");
    assert!(
        !task.contains("put_first_on_second(block, bowl)"),
        "bodies are not shown: {task}"
    );
    assert!(text(&out).contains("the library already has block_in_bowl"));
    assert!(
        text(&out).contains("skill block_in_bowl: verified again for this wand's primitives"),
        "{}",
        text(&out)
    );
    let index = std::fs::read_to_string(dir.join("skills/index.toml")).unwrap();
    assert!(index.contains(&format!("registry = {current}")), "{index}");
}

#[test]
fn a_rewrite_that_fails_on_fresh_seeds_is_not_kept() {
    let dir = common::scratch("cli-skills", "unverified");
    // Always the red block and the green bowl, whatever it is asked.
    let server = learning(
        "def block_in_bowl(block, bowl):\n    put_first_on_second('red block', 'green bowl')",
    );
    let out = run(&dir, &server, "put the red block in the green bowl");
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("no new skill: the function failed verification on demo seed"),
        "{said}"
    );
    assert!(!dir.join("skills/block_in_bowl.py").exists());
    let transcript = std::fs::read_dir(dir.join(".wand/runs"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("transcript.jsonl");
    let events = std::fs::read_to_string(transcript).unwrap();
    assert!(
        events.contains("\"event\":\"skill\",\"kept\":false"),
        "{events}"
    );
}

#[test]
fn verify_catches_a_skill_a_changed_scene_broke_and_rm_removes_it() {
    let dir = common::scratch("cli-skills", "broken");
    let skills = dir.join("skills");
    std::fs::create_dir_all(&skills).unwrap();
    let scene = dir.join("three.toml");
    let block = |color: &str, x: f64| {
        format!("[[objects]]\nkind = \"block\"\ncolor = \"{color}\"\npos_m = [{x}, 0.1]\n\n")
    };
    let three = format!(
        "description = \"three blocks\"\n\n{}{}{}",
        block("red", 0.4),
        block("green", 0.5),
        block("blue", 0.6)
    );
    std::fs::write(&scene, &three).unwrap();
    std::fs::write(
        skills.join("block_count.py"),
        "def block_count():\n    \"\"\"How many blocks there are.\"\"\"\n    return len([n for n in get_obj_names() if get_obj_kind(n) == \"block\"])\n",
    )
    .unwrap();
    std::fs::write(
        skills.join("index.toml"),
        format!(
            "version = 1\n\n[[skill]]\nname = \"block_count\"\nverified_seeds = [0]\ncheck_scene = {:?}\ncheck = \"assert block_count() == 3\"\n",
            scene.display().to_string()
        ),
    )
    .unwrap();
    let verify = |name: Option<&str>| {
        let mut args = vec!["skills", "verify", "--skills", "skills"];
        args.extend(name);
        wand(&dir, &args)
    };
    let out = verify(Some("block_count"));
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("block_count: verified on seeds [0]"));

    // A fourth block: the skill's check no longer holds.
    std::fs::write(&scene, format!("{three}{}", block("yellow", 0.7))).unwrap();
    let out = verify(None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("block_count: BROKEN: its check fails on"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("AssertionError"), "{}", text(&out));
    let index = std::fs::read_to_string(skills.join("index.toml")).unwrap();
    assert!(
        index.contains("status = \"broken: its check fails"),
        "{index}"
    );
    let list = wand(&dir, &["skills", "--skills", "skills"]);
    assert!(text(&list).contains("[BROKEN]"), "{}", text(&list));

    let out = wand(&dir, &["skills", "rm", "block_count", "--skills", "skills"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!skills.join("block_count.py").exists());
    let index = std::fs::read_to_string(skills.join("index.toml")).unwrap();
    assert!(!index.contains("block_count"), "{index}");
    let out = wand(&dir, &["skills", "rm", "block_count", "--skills", "skills"]);
    assert_eq!(out.status.code(), Some(2));
    let out = wand(&dir, &["skills", "rm", "stack", "--skills", "skills"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("standard library"), "{}", text(&out));
}

#[test]
fn the_standard_library_passes_its_checks() {
    let dir = common::scratch("cli-skills", "stdlib");
    let out = wand(&dir, &["skills", "verify", "--skills", "none-here"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("8 of 8 skills pass"), "{}", text(&out));
    // And a program may call them with `wand script --skills`.
    std::fs::write(
        dir.join("p.py"),
        "names = sort_along([n for n in get_obj_names() if get_obj_kind(n) == 'block'], 'y')\nstack(names)\nprint(names)\n",
    )
    .unwrap();
    let out = wand(
        &dir,
        &[
            "script",
            "--scene",
            "demo",
            "p.py",
            "--skills",
            "none-here",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // demo's blocks by y: blue (-0.12), green (0.0), red (0.15): red on green on blue.
    let z = |name: &str| result["objects"][name]["pos"][2].as_f64().unwrap();
    assert!(z("blue block") < z("green block") && z("green block") < z("red block"));
}

#[test]
fn a_malformed_library_is_a_clear_error() {
    let dir = common::scratch("cli-skills", "malformed");
    std::fs::create_dir_all(dir.join("skills")).unwrap();
    std::fs::write(
        dir.join("skills/index.toml"),
        "version = 1\n[[skill]]\nnam = \"x\"\n",
    )
    .unwrap();
    let out = wand(&dir, &["skills", "--skills", "skills"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("index.toml"), "{}", text(&out));
    assert!(text(&out).contains("unknown field `nam`"), "{}", text(&out));
    std::fs::write(dir.join("skills/index.toml"), "version = 9\n").unwrap();
    let out = wand(&dir, &["skills", "--skills", "skills"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("version 9"), "{}", text(&out));
    std::fs::write(
        dir.join("skills/index.toml"),
        "version = 1\n[[skill]]\nname = \"gone\"\n",
    )
    .unwrap();
    let out = wand(&dir, &["skills", "--skills", "skills"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("gone.py"), "{}", text(&out));
}

/// A program that stacks every block, bottom first in name order.
const STACK: &str = "names = [n for n in get_obj_names() if get_obj_kind(n) == 'block']\nfor i in range(1, len(names)):\n    put_first_on_second(names[i], names[i - 1])";

#[test]
fn an_eval_learns_skills_and_with_them_needs_fewer_attempts_and_tokens() {
    let dir = common::scratch("cli-skills", "eval");
    // The builtin planner's passed episodes become skills after the grid.
    let out = wand(
        &dir,
        &[
            "eval",
            "--suite",
            "stack_all",
            "--seeds",
            "0..1",
            "--out",
            "learn",
            "--cache",
            "off",
            "--learn-skills",
            "skills",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("learned skill stack_all"),
        "{}",
        text(&out)
    );
    assert!(dir.join("skills/stack_all.py").exists());

    // Without skills the model's first program does nothing and its second stacks; offered
    // the skill, it calls it at once.
    let server = FakeServer::by_turn_with_routes(
        vec![
            Reply::openai(&fenced("say('let me look first')")),
            Reply::openai(&fenced(STACK)),
        ],
        vec![("def stack_all():", Reply::openai(&fenced("stack_all()")))],
    );
    let out = wand(
        &dir,
        &[
            "eval",
            "--suite",
            "stack_all",
            "--seeds",
            "0..2",
            "--llm",
            "openai:test-model",
            "--base-url",
            &server.openai_url(),
            "--cache",
            "off",
            "--skills",
            "skills",
            "--no-skills",
            "--out",
            "compare",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let lines = std::fs::read_to_string(dir.join("compare/episodes.jsonl")).unwrap();
    let records: Vec<serde_json::Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (with, without): (Vec<_>, Vec<_>) = records.iter().partition(|r| r["skills"] == true);
    assert!(!with.is_empty() && with.len() == without.len());
    let sum = |rs: &[&serde_json::Value], field: &str| -> u64 {
        rs.iter().map(|r| r[field].as_u64().unwrap()).sum()
    };
    for r in &with {
        assert_eq!(
            (r["success"].as_bool(), r["attempts"].as_u64()),
            (Some(true), Some(1)),
            "{r}"
        );
        assert_eq!(r["program"], "stack_all()");
    }
    for r in &without {
        assert_eq!(
            (r["success"].as_bool(), r["attempts"].as_u64()),
            (Some(true), Some(2)),
            "{r}"
        );
    }
    assert!(sum(&with, "tokens_in") < sum(&without, "tokens_in"));
    let summary = std::fs::read_to_string(dir.join("compare/summary.md")).unwrap();
    assert!(
        summary.contains("| **(all)** | openai:test-model | full | high | 1 | yes |"),
        "{summary}"
    );
    assert!(
        summary
            .contains("| openai:test-model, full, high | openai:test-model, full, high, skills |"),
        "{summary}"
    );
    // The eval only read the library.
    let index = std::fs::read_to_string(dir.join("skills/index.toml")).unwrap();
    assert_eq!(index.matches("\nname = ").count(), 1, "{index}");
}
