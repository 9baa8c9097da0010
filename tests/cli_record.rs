//! `--record FILE` on `wand script` and `wand run`: the file is a recording of the run
//! that `wand replay` can read; a folder that does not exist is refused before the run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use wand_sim::Recording;
use wand_sim::recording::What;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wand-cli-record-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn wand(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(args)
        .output()
        .unwrap()
}

fn program(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes/programs")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn script_record_writes_the_program_frames_and_lines() {
    let dir = scratch("script");
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
    let dir = scratch("run");
    let file = dir.join("run.rec");
    let out = wand(&[
        "run",
        "--json",
        "--cache",
        "off",
        "--runs-dir",
        dir.join("runs").to_str().unwrap(),
        "--scene",
        "tabletop",
        "--seed",
        "3",
        "--record",
        file.to_str().unwrap(),
        "stack all the blocks",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
