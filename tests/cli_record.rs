//! `--record FILE` on `wand script` and `wand run`: the file is a recording of the run
//! that `wand replay` can read; a folder that does not exist is refused before the run.

mod common;
#[path = "../agent/tests/fake_server/mod.rs"]
mod fake_server;

use common::{record_stacking, wand};
use fake_server::{FakeServer, Reply};
use std::path::Path;
use wand_sim::Recording;
use wand_sim::recording::What;

fn program(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes/programs")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn script_record_writes_the_program_frames_and_lines() {
    let dir = common::scratch("cli-record", "script");
    let file = dir.join("stack.rec");
    let out = wand(&[
        "script",
        "--json",
        "--scene",
        "tabletop",
        "--seed",
        "3",
        "--record",
        file.to_str().unwrap(),
        &program("stack_all.py"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // --json prints the usual result, without the recording in it.
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.get("recording").is_none());
    let recording = Recording::load(&file).unwrap();
    assert_eq!(recording.header.scene, "tabletop");
    assert_eq!(recording.header.seed, 3);
    assert_eq!(recording.attempts.len(), 1);
    let attempt = &recording.attempts[0];
    assert_eq!(
        attempt.program,
        std::fs::read_to_string(program("stack_all.py")).unwrap()
    );
    assert!(
        attempt
            .events
            .iter()
            .any(|e| matches!(e.what, What::Line(_)))
    );
    let end = attempt.frames.last().unwrap();
    assert!((end.t - json["sim_time_s"].as_f64().unwrap()).abs() < 1e-3);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_record_keeps_each_attempt_with_its_verdict() {
    let dir = common::scratch("cli-record", "run");
    let (file, out) = record_stacking(&dir, &["--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["attempts"][0].get("recording").is_none());
    let recording = Recording::load(&file).unwrap();
    assert_eq!(
        recording.header.instruction.as_deref(),
        Some("stack all the blocks")
    );
    let last = recording.attempts.last().unwrap();
    assert_eq!(last.outcome.success, Some(true));
    assert!(last.outcome.verdict.as_deref().unwrap().contains("tower"));
    assert!(
        last.events
            .iter()
            .any(|e| matches!(&e.what, What::Say(s) if s.starts_with("Stacked")))
    );
    assert!(!last.frames.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_repaired_run_records_every_attempt_even_one_that_never_ran() {
    let dir = common::scratch("cli-record", "repaired");
    let file = dir.join("run.rec");
    let fenced = |code: &str| format!("```python\n{code}\n```");
    let server = FakeServer::start(vec![
        Reply::openai(&fenced("put_first_on_second('red block' 'green bowl'")),
        Reply::openai(&fenced("put_first_on_second('red block', 'blue bowl')")),
        Reply::openai(&fenced("put_first_on_second('red block', 'green bowl')")),
    ]);
    let out = wand(&[
        "run",
        "--llm",
        "openai:test-model",
        "--base-url",
        &server.openai_url(),
        "--cache",
        "off",
        "--runs-dir",
        dir.join("runs").to_str().unwrap(),
        "--scene",
        "demo",
        "--record",
        file.to_str().unwrap(),
        "put the red block in the green bowl",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recording = Recording::load(&file).unwrap();
    let attempts = &recording.attempts;
    assert_eq!(attempts.len(), 3);
    // The first did not compile: its program and error, no frames.
    assert_eq!(attempts[0].number, 1);
    assert!(attempts[0].frames.is_empty());
    assert!(
        attempts[0]
            .outcome
            .error
            .as_deref()
            .unwrap()
            .starts_with("SyntaxError"),
        "{:?}",
        attempts[0].outcome
    );
    assert!(attempts[0].program.contains("'red block' 'green bowl'"));
    // The second ran and failed its check; the third passed.
    assert_eq!(attempts[1].outcome.success, Some(false));
    assert!(
        attempts[1]
            .outcome
            .verdict
            .as_deref()
            .unwrap()
            .contains("not green bowl")
    );
    assert!(!attempts[1].frames.is_empty());
    assert_eq!(attempts[2].outcome.success, Some(true));
    assert!(
        attempts[2].frames.first().unwrap().t == 0.0,
        "each attempt starts from the scene's start"
    );
    // The GIF shows the attempts that ran.
    let gif = dir.join("run.gif");
    let out = wand(&[
        "replay",
        file.to_str().unwrap(),
        "--gif",
        gif.to_str().unwrap(),
        "--size",
        "160x120",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 attempt(s)"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_record_file_in_a_missing_folder_is_an_input_error() {
    let out = wand(&[
        "script",
        "--scene",
        "demo",
        "--record",
        "/no/such/folder/run.rec",
        &program("stack_all.py"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "cannot write /no/such/folder/run.rec: the folder /no/such/folder does not exist"
        ),
        "{stderr}"
    );
}
