//! The transcript: every run writes one JSON object per line (JSONL) — prompts, replies,
//! code, results, verdicts, feedback, timings — appended and flushed as it happens, so a
//! run killed halfway keeps everything up to that point. The format is in README.md.

use serde_json::{Value, json};
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A transcript file being written (or nowhere, for tests that do not want files).
pub struct Transcript {
    writer: Option<BufWriter<File>>,
    path: Option<PathBuf>,
}

impl Transcript {
    /// Writes to `dir/transcript.jsonl`, creating `dir`.
    pub fn create(dir: &Path) -> std::io::Result<Transcript> {
        fs::create_dir_all(dir)?;
        let path = dir.join("transcript.jsonl");
        let file = File::create(&path)?;
        Ok(Transcript {
            writer: Some(BufWriter::new(file)),
            path: Some(path),
        })
    }

    /// A transcript that writes nothing.
    pub fn discard() -> Transcript {
        Transcript {
            writer: None,
            path: None,
        }
    }

    /// Where the transcript is written.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Appends one event: `{"event": kind, ...fields}`; write failures are logged, not fatal.
    pub fn record(&mut self, kind: &str, fields: Value) {
        let Some(writer) = self.writer.as_mut() else {
            return;
        };
        let mut line = json!({ "event": kind });
        if let (Some(map), Value::Object(extra)) = (line.as_object_mut(), fields) {
            map.extend(extra);
        }
        let written = serde_json::to_writer(&mut *writer, &line)
            .map_err(std::io::Error::other)
            .and_then(|()| writer.write_all(b"\n"))
            .and_then(|()| writer.flush());
        if let Err(e) = written {
            tracing::warn!("transcript: {e}");
        }
    }
}
