//! Where the recording comes from: a file read whole, or the lines a live run writes to
//! the viewer's stdin, read on a thread and taken in between frames ([`Feed::poll`]).

use anyhow::{Context, bail};
use bevy::prelude::Resource;
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, channel};
use wand_sim::Recording;
use wand_sim::recording::Reader;

/// A recording file, or `-`: the lines of a run as it goes, on stdin.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    /// `-` is stdin; anything else a file.
    pub fn from_arg(arg: &str) -> Source {
        match arg {
            "-" => Source::Stdin,
            path => Source::File(PathBuf::from(path)),
        }
    }

    /// Reads a file whole, or stdin up to its header (so a recording of another version
    /// is refused before any window opens); the rest of stdin arrives as it is written.
    pub fn open(&self) -> anyhow::Result<Feed> {
        match self {
            Source::File(path) => {
                let recording = Recording::load(path)?;
                Ok(Feed {
                    reader: Reader::with(recording, &path.display().to_string()),
                    incoming: None,
                    ended: true,
                    problem: None,
                })
            }
            Source::Stdin => {
                let (send, incoming) = channel();
                std::thread::spawn(move || {
                    for line in std::io::stdin().lock().lines() {
                        let Ok(line) = line else { break };
                        if send.send(line).is_err() {
                            break;
                        }
                    }
                });
                let mut reader = Reader::new("stdin");
                while reader.recording().is_none() {
                    let Ok(line) = incoming.recv() else {
                        bail!("stdin ended before a recording's header (see docs/RECORDINGS.md)");
                    };
                    reader.push_line(&line).context("reading stdin")?;
                }
                Ok(Feed {
                    reader,
                    incoming: Some(Mutex::new(incoming)),
                    ended: false,
                    problem: None,
                })
            }
        }
    }
}

/// The recording so far, and the lines still coming.
#[derive(Resource)]
pub struct Feed {
    reader: Reader,
    incoming: Option<Mutex<Receiver<String>>>,
    ended: bool,
    /// A malformed line ends the feed; the window stays, showing what came before it.
    problem: Option<String>,
}

impl Feed {
    /// What has arrived (a header at least).
    pub fn recording(&self) -> &Recording {
        self.reader
            .recording()
            .expect("a feed opens with its header")
    }

    /// Whether nothing more will arrive (a file; or a run that has ended).
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Whether an attempt is being run right now.
    pub fn live(&self) -> bool {
        !self.ended && self.reader.in_attempt()
    }

    /// Why the feed stopped early, if a line was malformed.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// "tabletop, seed 3: stack all the blocks".
    pub fn title(&self) -> String {
        let header = &self.recording().header;
        match &header.instruction {
            Some(instruction) => format!("{}, seed {}: {instruction}", header.scene, header.seed),
            None => format!("{}, seed {}", header.scene, header.seed),
        }
    }

    /// Takes in every line that has arrived; whether anything changed.
    pub fn poll(&mut self) -> bool {
        let Some(incoming) = &self.incoming else {
            return false;
        };
        let incoming = incoming.lock().expect("only the main schedule polls");
        let mut changed = false;
        loop {
            match incoming.try_recv() {
                Ok(line) => {
                    changed = true;
                    if let Err(e) = self.reader.push_line(&line) {
                        self.problem = Some(e.to_string());
                        self.ended = true;
                        break;
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => break,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    changed |= !self.ended;
                    self.ended = true;
                    break;
                }
            }
        }
        drop(incoming);
        if self.ended {
            self.incoming = None;
        }
        changed
    }
}
