//! `episodes.jsonl`: one [`Record`] per finished episode, appended and flushed as it
//! ends, so a killed run loses at most the episodes in flight. [`read`] takes a file
//! back, dropping a half-written last line so that episode is run again.

use super::grid::Episode;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Why an episode failed, in the classes a paper reports.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// The reply held no Python program.
    NoCode,
    /// The program does not compile.
    SyntaxError,
    /// The program raised; the exception's type ("ValueError").
    RuntimeError(String),
    /// The arm stopped itself (workspace, joint limit, contact force).
    SafetyStop,
    /// A budget of time ran out (wall clock, simulated time).
    Timeout,
    /// The program used more than its memory limit.
    Memory,
    /// The program ran to the end and the task's check says it is not done.
    CheckFailed,
    /// The builtin planner cannot read the instruction.
    PlannerCannot,
    /// The model call failed (after retries); its kind ([`LlmError::kind`]): "rate
    /// limited", "auth", "timeout", "malformed reply", ….
    ///
    /// [`LlmError::kind`]: crate::llm::LlmError::kind
    ModelError(String),
    /// Nothing judged the program (no check applied).
    NotJudged,
}

impl FailureClass {
    /// The label used in summaries ("runtime error: ValueError").
    pub fn label(&self) -> String {
        match self {
            FailureClass::NoCode => "no code".into(),
            FailureClass::SyntaxError => "syntax error".into(),
            FailureClass::RuntimeError(kind) => format!("runtime error: {kind}"),
            FailureClass::SafetyStop => "safety stop".into(),
            FailureClass::Timeout => "timeout".into(),
            FailureClass::Memory => "memory".into(),
            FailureClass::CheckFailed => "check failed".into(),
            FailureClass::PlannerCannot => "planner cannot".into(),
            FailureClass::ModelError(kind) => format!("model error: {kind}"),
            FailureClass::NotJudged => "not judged".into(),
        }
    }
}

/// One line of `episodes.jsonl`: the episode (its grid cell, flattened) and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    #[serde(flatten)]
    pub episode: Episode,
    /// The grid key, [`Episode::key`]: what resume matches on.
    pub key: String,
    /// The instruction the model was given (the template rendered for the task).
    pub instruction: Option<String>,
    /// The task the family drew for the seed ("block_in_bowl (block = red block, …)").
    pub task: Option<String>,
    /// Why the family has no task for this seed; such an episode is neither a success
    /// nor a failure.
    pub skipped: Option<String>,
    /// `true`/`false` as the check judged the last attempt; `null` when skipped or not
    /// judged.
    pub success: Option<bool>,
    /// The last attempt's goal-condition fraction, in [0, 1].
    pub reward: f64,
    pub attempts: u32,
    /// Whether the first attempt already succeeded.
    pub success_at_1: bool,
    pub failure: Option<FailureClass>,
    /// What went wrong, in words (the error, the check's reason, the model error).
    pub reason: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// US dollars, when the model's price is known.
    pub cost_usd: Option<f64>,
    /// Seconds waiting for the model, over all attempts.
    pub llm_latency_s: f64,
    /// Seconds the episode took, all attempts.
    pub wall_time_s: f64,
    /// Seconds its programs ran (worker processes: scene, interpreter, physics, check),
    /// all attempts and samples.
    #[serde(default)]
    pub run_time_s: f64,
    /// Simulated seconds of the last attempt.
    pub sim_time_s: f64,
    /// The last program that ran (or failed to compile).
    pub program: Option<String>,
}

impl Record {
    /// The record of `episode` before it runs: nothing happened yet.
    pub fn new(episode: &Episode) -> Record {
        Record {
            episode: episode.clone(),
            key: episode.key(),
            instruction: None,
            task: None,
            skipped: None,
            success: None,
            reward: 0.0,
            attempts: 0,
            success_at_1: false,
            failure: None,
            reason: String::new(),
            tokens_in: 0,
            tokens_out: 0,
            cost_usd: None,
            llm_latency_s: 0.0,
            wall_time_s: 0.0,
            run_time_s: 0.0,
            sim_time_s: 0.0,
            program: None,
        }
    }

    /// The record as compared across runs: timings zeroed (they never repeat).
    pub fn without_timings(&self) -> Record {
        Record {
            llm_latency_s: 0.0,
            wall_time_s: 0.0,
            run_time_s: 0.0,
            ..self.clone()
        }
    }
}

/// The records in `path` (none when it does not exist). A last line without its newline
/// was being written when the run stopped: the file is cut back to the last whole line
/// and that episode is left to run again. A whole line that does not parse is an error.
pub fn read(path: &Path) -> Result<Vec<Record>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let whole = text.rfind('\n').map_or(0, |i| i + 1);
    if whole < text.len() {
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| format!("cannot repair {}: {e}", path.display()))?;
        file.set_len(whole as u64)
            .map_err(|e| format!("cannot repair {}: {e}", path.display()))?;
    }
    let mut records = Vec::new();
    for (number, line) in text[..whole].lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(line).map_err(|e| {
            format!(
                "{}:{}: not an episode record ({e}); remove the line or use a fresh --out",
                path.display(),
                number + 1
            )
        })?;
        records.push(record);
    }
    Ok(records)
}

/// Appends records to `episodes.jsonl`, one flushed line each.
pub struct Appender {
    file: File,
}

impl Appender {
    /// Opens `path` for appending (creating it).
    pub fn open(path: &Path) -> io::Result<Appender> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Appender { file })
    }

    /// Writes one line and flushes it; the line goes out in one write.
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_string(record).map_err(io::Error::other)?;
        line.push('\n');
        self.file.write_all(line.as_bytes())?;
        self.file.flush()
    }
}
