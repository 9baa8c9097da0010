//! What the CLI test files share: a scratch folder, the wand binary, a run that must
//! succeed, an experiment's records, and a recorded run of the builtin planner stacking.
//! (Each test binary uses only part of it.)
#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// An empty folder of its own for the test `name` of the file `file`.
pub fn scratch(file: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wand-{file}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `wand ARGS`, waited for.
pub fn wand(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(args)
        .output()
        .unwrap()
}

/// `wand ARGS` run in `dir`.
pub fn wand_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wand"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// Asserts the command succeeded (showing its stderr if not); its stderr.
pub fn ok(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

/// The records of `dir/episodes.jsonl` by key, timings dropped (they never repeat); a
/// key twice is a failure.
pub fn records(dir: &Path) -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(dir.join("episodes.jsonl")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let mut record: Value = serde_json::from_str(line).unwrap();
        for timing in ["wall_time_s", "run_time_s", "llm_latency_s"] {
            record[timing] = Value::Null;
        }
        let key = record["key"].as_str().unwrap().to_string();
        assert!(out.insert(key.clone(), record).is_none(), "{key} twice");
    }
    out
}

/// `wand run … --record dir/stack.rec "stack all the blocks"` with the builtin planner on
/// tabletop seed 3 (and `extra` arguments), which must succeed: the file and the output.
pub fn record_stacking(dir: &Path, extra: &[&str]) -> (PathBuf, Output) {
    let file = dir.join("stack.rec");
    let runs = dir.join("runs");
    let mut args = vec![
        "run",
        "--cache",
        "off",
        "--runs-dir",
        runs.to_str().unwrap(),
        "--scene",
        "tabletop",
        "--seed",
        "3",
        "--record",
        file.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args.push("stack all the blocks");
    let out = wand(&args);
    ok(&out);
    (file, out)
}
