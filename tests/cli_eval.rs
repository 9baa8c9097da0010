//! `wand eval` end to end through the real binary: the builtin planner over a suite,
//! resume after a kill (a half-written last line), refusal of other arguments in the
//! same folder, `report`, determinism, and what each `--feedback` kind sends to a model
//! (inspected at a local fake OpenAI-compatible server).

#[path = "../agent/tests/fake_server/mod.rs"]
mod fake_server;

use fake_server::{FakeServer, Reply};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wand-cli-eval-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

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

/// The records by key, timings dropped (they never repeat).
fn records(dir: &Path) -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(dir.join("out/episodes.jsonl")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let mut record: Value = serde_json::from_str(line).unwrap();
        record["wall_time_s"] = Value::Null;
        record["llm_latency_s"] = Value::Null;
        let key = record["key"].as_str().unwrap().to_string();
        assert!(out.insert(key.clone(), record).is_none(), "{key} twice");
    }
    out
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
    let dir = scratch("family");
    let out = wand_eval(&dir, &FAMILY_ARGS);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = records(&dir);
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
        "| **(all)** | builtin | full | high | {} | 0 | 100.0% |",
        records.len()
    );
    assert!(summary.contains(&line), "{summary}");
    let csv = std::fs::read_to_string(dir.join("out/summary.csv")).unwrap();
    assert!(
        csv.contains(&format!(
            "block_in_bowl,builtin,full,high,{0},0,{0},1.0000",
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
    let dir = scratch("resume");
    assert!(wand_eval(&dir, &FAMILY_ARGS).status.success());
    let whole = records(&dir);
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
    assert_eq!(records(&dir), whole);
    // Same arguments, nothing left: nothing runs again.
    assert!(wand_eval(&dir, &FAMILY_ARGS).status.success());
    assert_eq!(records(&dir), whole);
}

#[test]
fn other_arguments_in_the_same_folder_are_refused() {
    let dir = scratch("refuse");
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
    let a = scratch("determinism-a");
    let b = scratch("determinism-b");
    let args = ["--suite", "smoke", "--seeds", "4..6", "--jobs", "2"];
    assert!(wand_eval(&a, &args).status.success());
    assert!(wand_eval(&b, &args).status.success());
    let (ra, rb) = (records(&a), records(&b));
    assert!(!ra.is_empty());
    assert_eq!(ra, rb);
}

#[test]
fn an_unknown_suite_is_a_usage_error() {
    let dir = scratch("suite");
    let out = wand_eval(&dir, &["--suite", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use smoke, seen, heldout, all"));
}

fn fenced(code: &str) -> String {
    format!("```python\n{code}\n```")
}

/// The first episode (jobs 1: the grid's order) gets a program that raises at line 2,
/// then one that runs but misses the goal, then another; every later episode gets the
/// server's 500 (one try) and stops. Returns the last user message of each request and
/// how many requests there were.
fn feedback_requests(kind: &str) -> (Vec<String>, usize, PathBuf) {
    let dir = scratch(&format!("feedback-{kind}"));
    let server = FakeServer::start(vec![
        Reply::openai(&fenced("say('hello')\nget_obj_pos('purple block')")),
        Reply::openai(&fenced("say('nothing moved')")),
        Reply::openai(&fenced("say('again')")),
    ]);
    let url = server.openai_url();
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
            "3",
            "--cache",
            "off",
            "--llm-tries",
            "1",
            "--jobs",
            "1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = server.requests();
    let texts = requests
        .iter()
        .map(|r| {
            let body = r.json();
            let messages = body["messages"].as_array().unwrap().clone();
            messages.last().unwrap()["content"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    (texts, requests.len(), dir)
}

#[test]
fn each_feedback_kind_sends_what_it_says() {
    // 3 seen + 5 held-out templates, one seed: 8 episodes.
    let (texts, count, _) = feedback_requests("none");
    assert_eq!(count, 8, "one shot each: {texts:?}");
    assert!(texts[1].contains("Instruction:"), "{}", texts[1]);

    let (texts, count, _) = feedback_requests("binary");
    assert_eq!(count, 10);
    assert!(
        texts[1].starts_with("Attempt 1 did not succeed."),
        "{}",
        texts[1]
    );
    assert!(!texts[1].contains("ValueError"), "{}", texts[1]);
    assert!(
        texts[2].starts_with("Attempt 2 did not succeed."),
        "{}",
        texts[2]
    );

    let (texts, _, _) = feedback_requests("error");
    assert!(
        texts[1].contains("at line 2 with ValueError"),
        "{}",
        texts[1]
    );
    assert!(
        texts[1].contains("get_obj_pos('purple block')"),
        "{}",
        texts[1]
    );
    assert!(!texts[1].contains("It said"), "{}", texts[1]);
    assert!(texts[2].contains("ran to the end without an error, but the task is not done."));
    assert!(!texts[2].contains("It said"), "{}", texts[2]);

    let (texts, _, _) = feedback_requests("explain");
    assert!(
        texts[1].contains("at line 2 with ValueError"),
        "{}",
        texts[1]
    );
    assert!(texts[1].contains("It said: hello"), "{}", texts[1]);
    assert!(texts[2].contains("the task is not done: "), "{}", texts[2]);
    assert!(texts[2].contains("It said: nothing moved"), "{}", texts[2]);
    assert!(!texts[2].contains("The objects are now"), "{}", texts[2]);

    let (texts, _, dir) = feedback_requests("full");
    assert!(texts[2].contains("the task is not done: "), "{}", texts[2]);
    assert!(texts[2].contains("It said: nothing moved"), "{}", texts[2]);
    assert!(
        texts[2].contains("The objects are now:\n- "),
        "{}",
        texts[2]
    );

    // Failure classes: the first episode's last program ran and missed the goal; every
    // other episode met the server's 500.
    let records = records(&dir);
    let first = &records["block_in_bowl/seen/0/seed 0/openai:test-model/full/high"];
    assert_eq!(first["failure"], "check_failed", "{first}");
    assert_eq!(first["attempts"], 3);
    assert_eq!(first["program"], "say('again')");
    let model_errors = records
        .values()
        .filter(|r| r["failure"] == "model_error")
        .count();
    assert_eq!(model_errors, records.len() - 1);
    let summary = std::fs::read_to_string(dir.join("out/summary.md")).unwrap();
    assert!(
        summary.contains("check failed 1; model error 7"),
        "{summary}"
    );
}

/// `--api high --api low` is a grid axis: at low the builtin planner's reference programs
/// call skills the interpreter does not serve, so every low episode fails honestly with
/// a NameError, and the summary has a row per level.
#[test]
fn the_api_level_is_a_grid_axis_and_low_withholds_the_skills() {
    let dir = scratch("api");
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
    let records = records(&dir);
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
}
