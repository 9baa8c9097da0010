//! `wand eval` end to end through the real binary: the builtin planner over a suite,
//! resume after a kill (a half-written last line), refusal of other arguments in the
//! same folder, `report`, determinism, and what each `--feedback` kind sends to a model
//! (inspected at a local fake OpenAI-compatible server).

mod common;
#[path = "../agent/tests/fake_server/mod.rs"]
mod fake_server;

use common::records;
use fake_server::{FakeServer, Reply};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wand_eval(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wand"))
        .arg("eval")
        .arg("--out")
        .arg(dir.join("out"))
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .args(args)
        .output()
        .unwrap()
}

const FAMILY_ARGS: [&str; 8] = [
    "--suite",
    "block_in_bowl",
    "--llm",
    "builtin",
    "--seeds",
    "0..3",
    "--jobs",
    "2",
];

#[test]
fn builtin_passes_a_family_and_the_summary_matches_the_records() {
    let dir = common::scratch("cli-eval", "family");
    let out = wand_eval(&dir, &FAMILY_ARGS);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = records(&dir.join("out"));
    let tasks = Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(["tasks", "show", "block_in_bowl", "--json"])
        .output()
        .unwrap();
    let family: Value = serde_json::from_slice(&tasks.stdout).unwrap();
    let templates = family["templates"]["seen"].as_array().map_or(0, Vec::len)
        + family["templates"]["heldout"]
            .as_array()
            .map_or(0, Vec::len);
    assert!(templates > 0, "{family}");
    assert_eq!(records.len(), templates * 3);
    let successes = records.values().filter(|r| r["success"] == true).count();
    assert_eq!(successes, records.len(), "{records:?}");
    for r in records.values() {
        assert_eq!(r["attempts"], 1);
        assert_eq!(r["success_at_1"], true);
        assert!(r["instruction"].as_str().unwrap().len() > 5);
        assert!(
            r["program"]
                .as_str()
                .unwrap()
                .contains("put_first_on_second")
        );
    }
    let summary = std::fs::read_to_string(dir.join("out/summary.md")).unwrap();
    let line = format!(
        "| **(all)** | builtin | full | high | 1 | no | suction | truth | {} | 0 | 100.0% |",
        records.len()
    );
    assert!(summary.contains(&line), "{summary}");
    let csv = std::fs::read_to_string(dir.join("out/summary.csv")).unwrap();
    assert!(
        csv.contains(&format!(
            "block_in_bowl,builtin,full,high,1,false,suction,truth,{0},0,{0},1.0000",
            records.len()
        )),
        "{csv}"
    );
    // `report` rebuilds the same summary from episodes.jsonl.
    std::fs::remove_file(dir.join("out/summary.md")).unwrap();
    let report = Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(["eval", "report"])
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(report.status.success());
    assert_eq!(String::from_utf8_lossy(&report.stdout), summary);
    assert_eq!(
        std::fs::read_to_string(dir.join("out/summary.md")).unwrap(),
        summary
    );
}

#[test]
fn a_killed_run_resumes_without_losing_or_duplicating_episodes() {
    let dir = common::scratch("cli-eval", "resume");
    assert!(wand_eval(&dir, &FAMILY_ARGS).status.success());
    let whole = records(&dir.join("out"));
    // As if killed while writing the fourth line: three whole lines and half a line.
    let path = dir.join("out/episodes.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let cut = format!(
        "{}\n{}",
        lines[..3].join("\n"),
        &lines[3][..lines[3].len() / 2]
    );
    std::fs::write(&path, cut).unwrap();
    let out = wand_eval(&dir, &FAMILY_ARGS);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("3 of {} episodes done", whole.len())),
        "{stderr}"
    );
    assert_eq!(records(&dir.join("out")), whole);
    // Same arguments, nothing left: nothing runs again.
    assert!(wand_eval(&dir, &FAMILY_ARGS).status.success());
    assert_eq!(records(&dir.join("out")), whole);
}

#[test]
fn other_arguments_in_the_same_folder_are_refused() {
    let dir = common::scratch("cli-eval", "refuse");
    assert!(wand_eval(&dir, &FAMILY_ARGS).status.success());
    let mut args = FAMILY_ARGS.to_vec();
    args[5] = "0..4";
    args.extend(["--max-attempts", "2"]);
    let out = wand_eval(&dir, &args);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--seeds was \"0..3\" and is now \"0..4\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("--max-attempts was 4 and is now 2"),
        "{stderr}"
    );
    assert!(!stderr.contains("--suite"), "{stderr}");
}

#[test]
fn the_same_arguments_give_the_same_episodes_and_outcomes() {
    let a = common::scratch("cli-eval", "determinism-a");
    let b = common::scratch("cli-eval", "determinism-b");
    let args = ["--suite", "smoke", "--seeds", "4..6", "--jobs", "2"];
    assert!(wand_eval(&a, &args).status.success());
    assert!(wand_eval(&b, &args).status.success());
    let (ra, rb) = (records(&a.join("out")), records(&b.join("out")));
    assert!(!ra.is_empty());
    assert_eq!(ra, rb);
}

#[test]
fn an_unknown_suite_is_a_usage_error() {
    let dir = common::scratch("cli-eval", "suite");
    let out = wand_eval(&dir, &["--suite", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use smoke, seen, heldout, all"));
}

fn fenced(code: &str) -> String {
    format!("```python\n{code}\n```")
}

/// Every episode (8: block_in_bowl's templates on seed 0, in flight together) gets, turn
/// by turn, a program that raises at line 2, then one that runs but misses the goal, then
/// another, then the server's 500. Returns the last user message of each request, by
/// turn, and the folder.
fn feedback_requests(kind: &str, max_attempts: u32) -> (Vec<Vec<String>>, PathBuf) {
    let dir = common::scratch("cli-eval", &format!("feedback-{kind}-{max_attempts}"));
    let server = FakeServer::by_turn(vec![
        Reply::openai(&fenced("say('hello')\nget_obj_pos('purple block')")),
        Reply::openai(&fenced("say('nothing moved')")),
        Reply::openai(&fenced("say('again')")),
    ]);
    let url = server.openai_url();
    let attempts = max_attempts.to_string();
    let out = wand_eval(
        &dir,
        &[
            "--suite",
            "block_in_bowl",
            "--seeds",
            "0..1",
            "--llm",
            "openai:test-model",
            "--base-url",
            &url,
            "--feedback",
            kind,
            "--max-attempts",
            &attempts,
            "--cache",
            "off",
            "--llm-tries",
            "1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut by_turn: Vec<Vec<String>> = Vec::new();
    for request in server.requests() {
        let body = request.json();
        let messages = body["messages"].as_array().unwrap();
        let task = messages
            .iter()
            .rposition(|m| m["content"].as_str().unwrap().contains("Instruction:"))
            .unwrap();
        let turn = messages[task..]
            .iter()
            .filter(|m| m["role"] == "assistant")
            .count();
        if by_turn.len() <= turn {
            by_turn.resize(turn + 1, Vec::new());
        }
        let last = messages.last().unwrap()["content"].as_str().unwrap();
        by_turn[turn].push(last.to_string());
    }
    (by_turn, dir)
}

/// `check` holds for every request of the turn.
fn each(texts: &[String], check: impl Fn(&str) -> bool, what: &str) {
    assert!(!texts.is_empty(), "no requests: {what}");
    for text in texts {
        assert!(check(text), "{what}: {text}");
    }
}

#[test]
fn each_feedback_kind_sends_what_it_says() {
    // 3 seen + 5 held-out templates, one seed: 8 episodes.
    let (turns, _) = feedback_requests("none", 3);
    assert_eq!(turns.len(), 1, "one shot each: {turns:?}");
    assert_eq!(turns[0].len(), 8);
    each(&turns[0], |t| t.contains("Instruction:"), "the task");

    let (turns, _) = feedback_requests("binary", 3);
    assert_eq!(turns.iter().map(Vec::len).collect::<Vec<_>>(), [8, 8, 8]);
    each(
        &turns[1],
        |t| t.starts_with("Attempt 1 did not succeed."),
        "binary 1",
    );
    each(
        &turns[1],
        |t| !t.contains("ValueError"),
        "binary hides the error",
    );
    each(
        &turns[2],
        |t| t.starts_with("Attempt 2 did not succeed."),
        "binary 2",
    );

    let (turns, _) = feedback_requests("error", 3);
    each(
        &turns[1],
        |t| t.contains("at line 2 with ValueError"),
        "the line",
    );
    each(
        &turns[1],
        |t| t.contains("get_obj_pos('purple block')"),
        "the code",
    );
    each(&turns[1], |t| !t.contains("It said"), "no output at error");
    each(
        &turns[2],
        |t| t.contains("ran to the end without an error, but the task is not done."),
        "not done",
    );
    each(&turns[2], |t| !t.contains("It said"), "no output at error");

    let (turns, _) = feedback_requests("explain", 3);
    each(
        &turns[1],
        |t| t.contains("at line 2 with ValueError"),
        "the line",
    );
    each(&turns[1], |t| t.contains("It said: hello"), "what it said");
    each(
        &turns[2],
        |t| t.contains("the task is not done: "),
        "the reason",
    );
    each(&turns[2], |t| t.contains("It said: nothing moved"), "said");
    each(
        &turns[2],
        |t| !t.contains("The objects are now"),
        "no poses",
    );

    let (turns, dir) = feedback_requests("full", 3);
    each(
        &turns[2],
        |t| t.contains("the task is not done: "),
        "the reason",
    );
    each(&turns[2], |t| t.contains("It said: nothing moved"), "said");
    each(
        &turns[2],
        |t| t.contains("The objects are now:\n- "),
        "poses",
    );

    // Failure classes: the last program ran and missed the goal.
    let ran = records(&dir.join("out"));
    assert_eq!(ran.len(), 8);
    for record in ran.values() {
        assert_eq!(record["failure"], "check_failed", "{record}");
        assert_eq!(record["attempts"], 3);
        assert_eq!(record["program"], "say('again')");
    }
    let summary = std::fs::read_to_string(dir.join("out/summary.md")).unwrap();
    assert!(summary.contains("| check failed 8 |"), "{summary}");

    // A fourth attempt meets the server's 500: a model error, of its kind.
    let (_, dir) = feedback_requests("full", 4);
    for record in records(&dir.join("out")).values() {
        assert_eq!(
            record["failure"],
            serde_json::json!({"model_error": "server error"}),
            "{record}"
        );
    }
    let summary = std::fs::read_to_string(dir.join("out/summary.md")).unwrap();
    assert!(
        summary.contains("| model error: server error 8 |"),
        "{summary}"
    );
}

/// `--api high --api low` is a grid axis: at low the builtin planner's reference programs
/// call skills the interpreter does not serve, so every low episode fails honestly with
/// a NameError, and the summary has a row per level.
#[test]
fn the_api_level_is_a_grid_axis_and_low_withholds_the_skills() {
    let dir = common::scratch("cli-eval", "api");
    let out = wand_eval(
        &dir,
        &[
            "--suite",
            "block_in_bowl",
            "--llm",
            "builtin",
            "--seeds",
            "0..1",
            "--jobs",
            "2",
            "--api",
            "high",
            "--api",
            "low",
            "--max-attempts",
            "1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = records(&dir.join("out"));
    let (high, low): (Vec<&Value>, Vec<&Value>) =
        records.values().partition(|r| r["api"] == "high");
    assert!(!high.is_empty() && high.len() == low.len(), "{records:?}");
    assert!(high.iter().all(|r| r["success"] == true), "{high:?}");
    for r in &low {
        assert_eq!(r["success"], false, "{r}");
        let program = r["program"].as_str().unwrap_or_default();
        assert!(program.contains("put_first_on_second"), "{r}");
    }
    let summary = std::fs::read_to_string(dir.join("out/summary.md")).unwrap();
    assert!(
        summary.contains("| block_in_bowl | builtin | full | high |"),
        "{summary}"
    );
    assert!(
        summary.contains("| block_in_bowl | builtin | full | low |"),
        "{summary}"
    );
    // The two levels differ on one axis: compared on the same 8 episodes, 8 discordant
    // pairs all one way, p = 2 / 2^8.
    assert!(summary.contains("## Paired comparisons"), "{summary}");
    assert!(
        summary.contains(
            "| builtin, full, high | builtin, full, low | 8 | 8 | 0 | +100.0 pp | +100.0 to +100.0 pp | 0.0078 |"
        ),
        "{summary}"
    );
}

/// `--samples 1 --samples 2` is a grid axis: the builtin planner answers each sample
/// alike, so two samples cost exactly twice the tokens and succeed as often.
#[test]
fn samples_are_a_grid_axis() {
    let dir = common::scratch("cli-eval", "samples");
    let out = wand_eval(
        &dir,
        &[
            "--suite",
            "block_in_bowl",
            "--seeds",
            "0..1",
            "--samples",
            "1",
            "--samples",
            "2",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = records(&dir.join("out"));
    assert_eq!(records.len(), 16);
    for (key, record) in &records {
        if let Some(one) = key.strip_suffix("/samples 2") {
            let single = &records[one];
            assert_eq!(record["samples"], 2);
            assert_eq!(single["samples"], 1);
            assert_eq!(record["success"], true);
            assert_eq!(
                record["tokens_in"].as_u64().unwrap(),
                2 * single["tokens_in"].as_u64().unwrap()
            );
        }
    }
    let summary = std::fs::read_to_string(dir.join("out/summary.md")).unwrap();
    assert!(
        summary.contains(
            "| **(all)** | builtin | full | high | 2 | no | suction | truth | 8 | 0 | 100.0% |"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("| builtin, full, high | builtin, full, high, 2 samples | 8 | 0 | 0 |"),
        "{summary}"
    );
}

/// Runs block_in_bowl on seed 0 with `flag` given both `values` (the first the default)
/// and checks that each episode ran once per value: 16 records, the 8 with the second
/// value keyed `/<value>`, each naming its value in `field` and passing. The summary.
fn two_valued_axis(name: &str, flag: &str, values: [&str; 2], field: &str) -> String {
    let dir = common::scratch("cli-eval", name);
    let out = wand_eval(
        &dir,
        &[
            "--suite",
            "block_in_bowl",
            "--seeds",
            "0..1",
            flag,
            values[0],
            flag,
            values[1],
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = records(&dir.join("out"));
    assert_eq!(records.len(), 16);
    let suffix = format!("/{}", values[1]);
    let second = records.keys().filter(|key| key.ends_with(&suffix)).count();
    assert_eq!(second, 8);
    for (key, record) in &records {
        let value = if key.ends_with(&suffix) {
            values[1]
        } else {
            values[0]
        };
        assert_eq!(record[field], value, "{key}");
        assert_eq!(record["success"], true, "{key}: {record}");
    }
    std::fs::read_to_string(dir.join("out/summary.md")).unwrap()
}

/// `--perception truth --perception camera` is a grid axis: each episode runs once per
/// mode, records and summary rows name the mode, and the paired comparison sets them side
/// by side. The builtin planner's programs work from the camera's estimates too.
#[test]
fn perception_is_a_grid_axis() {
    let summary = two_valued_axis(
        "perception",
        "--perception",
        ["truth", "camera"],
        "perception",
    );
    for mode in ["truth", "camera"] {
        let row = format!(
            "| **(all)** | builtin | full | high | 1 | no | suction | {mode} | 8 | 0 | 100.0% |"
        );
        assert!(summary.contains(&row), "{summary}");
    }
    assert!(
        summary.contains("| builtin, full, high, camera | builtin, full, high | 8 | 0 | 0 |"),
        "{summary}"
    );
}

/// `--gripper suction --gripper parallel` is a grid axis: each episode runs once per
/// gripper, records and summary rows name it, and the builtin planner's programs pass
/// with the fingers too.
#[test]
fn the_gripper_is_a_grid_axis() {
    let summary = two_valued_axis("gripper", "--gripper", ["suction", "parallel"], "gripper");
    for gripper in ["suction", "parallel"] {
        let row = format!(
            "| **(all)** | builtin | full | high | 1 | no | {gripper} | truth | 8 | 0 | 100.0% |"
        );
        assert!(summary.contains(&row), "{summary}");
    }
}
