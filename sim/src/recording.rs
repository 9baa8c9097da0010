//! [`Recording`]: a run kept for watching later — the world's state over simulated time
//! ([`Frame`]s, about 30 a second) and what happened between them ([`Event`]s: the
//! program line being executed, what it printed and said), for each attempt of a run.
//!
//! `wand script --record` and `wand run --record` write one; `wand replay` and the
//! viewer read it. A recording says everything needed to draw the run (the table, the
//! robot, every object's kind and color), so replaying needs no scene file and never
//! steps physics. The file format (JSON Lines, versioned) is documented in
//! docs/RECORDINGS.md; a file of another format version is refused with a message that
//! says which.

use crate::arm::ArmSpec;
use crate::camera::CameraSpec;
use crate::error::SimError;
use crate::gripper::GripperKind;
use crate::objects::{Kind, ObjectSpec};
use crate::replay::Moment;
use crate::world::{World, WorldConfig};
use serde::{Deserialize, Serialize};
use std::path::Path;
use thiserror::Error;

/// The `format` field of a recording's first line.
pub const FORMAT: &str = "wand-recording";
/// The format version this wand writes and reads.
pub const VERSION: u32 = 1;
/// Frames per second of simulated time a recording keeps.
pub const FRAME_HZ: f64 = 30.0;

/// Positions are kept to 10 µm and quaternion parts to 1e-5: invisible, and half the
/// bytes of full floats.
const POSE_SCALE: f32 = 1e5;

/// A recording could not be read.
#[derive(Debug, Error)]
pub enum RecordingError {
    #[error("cannot read recording {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is empty: a recording starts with a header line (see docs/RECORDINGS.md)")]
    Empty { path: String },
    #[error(
        "{path} is not a wand recording: its first line has no \"format\": \"{FORMAT}\" \
         (record one with `wand script --record FILE` or `wand run --record FILE`)"
    )]
    NotARecording { path: String },
    #[error(
        "{path} is a recording of format version {found}, older than the version {VERSION} \
         this wand reads; record the run again with this wand"
    )]
    TooOld { path: String, found: u64 },
    #[error(
        "{path} is a recording of format version {found}, newer than the version {VERSION} \
         this wand reads; replay it with the wand that wrote it, or update wand"
    )]
    TooNew { path: String, found: u64 },
    #[error("{path}:{line}: malformed recording: {reason}")]
    Malformed {
        path: String,
        line: usize,
        reason: String,
    },
}

/// What the recording shows, written once at the top.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] when written by this wand.
    pub version: u32,
    /// The scene's name (or the path it was loaded from) and the seed, for people.
    pub scene: String,
    pub seed: u64,
    /// The instruction of a `wand run`, if any.
    #[serde(default)]
    pub instruction: Option<String>,
    /// Center and half extents of the table top (z = 0), meters.
    pub table_center_m: [f32; 2],
    pub table_half_extents_m: [f32; 2],
    /// The robot at the origin ("ur5e"), if any.
    pub robot: Option<String>,
    /// Its gripper (recordings before the parallel-jaw gripper: suction).
    #[serde(default)]
    pub gripper: GripperKind,
    /// The objects as the scene placed them, in the order frames list their poses.
    pub objects: Vec<ObjectSpec>,
    /// The scene's camera (what `wand replay --gif` looks through by default).
    pub camera: CameraSpec,
    /// Frames per second of simulated time.
    pub frame_hz: f64,
}

/// The world at one instant: poses of every object and robot link, joint angles, and
/// which object the gripper holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    /// Simulated time since the attempt started, seconds.
    pub t: f64,
    /// Per object, in the header's order: position x, y, z (m) and rotation quaternion
    /// x, y, z, w of the body frame (a block's center, a bowl's bottom center).
    pub objects: Vec<[f32; 7]>,
    /// Per robot part, base first, then the links and the gripper's fingers (if it has
    /// any): pose as for objects.
    pub links: Vec<[f32; 7]>,
    /// Measured joint angles, radians.
    pub joints: Vec<f32>,
    /// Index (into the header's objects) of the object held, if any.
    pub held: Option<usize>,
}

/// Something that happened at a moment of an attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Simulated time since the attempt started, seconds.
    pub t: f64,
    #[serde(flatten)]
    pub what: What,
}

/// What an [`Event`] says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// The program calls a primitive from this line (1-based; the innermost frame).
    Line(u32),
    /// The program printed this text.
    Print(String),
    /// The program said this line with `say`.
    Say(String),
}

/// How an attempt ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// `true` when the task's check passed, `false` when it failed or the program
    /// raised, `null` when nothing judged it.
    pub success: Option<bool>,
    /// The uncaught error, as one line ("ValueError: … (line 7)").
    pub error: Option<String>,
    /// The line the error was raised on.
    pub error_line: Option<u32>,
    /// The task check's verdict in words, when a check judged the attempt.
    pub verdict: Option<String>,
}

/// One attempt: a program run from the scene's start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// 1-based.
    pub number: u32,
    /// The program's text.
    pub program: String,
    pub frames: Vec<Frame>,
    pub events: Vec<Event>,
    pub outcome: Outcome,
}

impl Attempt {
    /// Simulated seconds the attempt lasted (its last frame or event).
    pub fn duration_s(&self) -> f64 {
        let last_frame = self.frames.last().map_or(0.0, |f| f.t);
        let last_event = self.events.last().map_or(0.0, |e| e.t);
        last_frame.max(last_event)
    }
}

/// A whole recording: what it shows, and each attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub header: Header,
    pub attempts: Vec<Attempt>,
}

/// A line after the header: one JSON object with one key. A live run streams these
/// (after its header) as they happen; [`Reader`] reads them back one at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Line {
    /// An attempt starts: its number and program.
    Attempt {
        number: u32,
        program: String,
    },
    Frame(Frame),
    Event(Event),
    /// The attempt ended so.
    End(Outcome),
}

impl Line {
    /// The line's text in a recording file (one JSON object, no newline).
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("lines serialize")
    }
}

impl Header {
    /// The header's text in a recording file (one JSON object, no newline).
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("headers serialize")
    }
}

impl Header {
    /// The header for a recording of `world` (as built, before anything moved).
    pub fn describe(world: &World, scene: &str, seed: u64, camera: &CameraSpec) -> Header {
        let config = world.config();
        let bodies = &world.physics.bodies;
        let objects = world
            .objects()
            .iter()
            .map(|o| {
                let pose = bodies[o.body].position();
                // A block's frame is its center, a bowl's its bottom (objects.rs).
                let origin_above_bottom_m = match o.kind {
                    Kind::Block => o.size_m[2] / 2.0,
                    Kind::Bowl => 0.0,
                };
                let (t, r) = (pose.translation, pose.rotation);
                ObjectSpec {
                    kind: o.kind,
                    color: o.color,
                    pos_m: vec![t.x, t.y, t.z - origin_above_bottom_m],
                    yaw_rad: 2.0 * r.z.atan2(r.w),
                }
            })
            .collect();
        Header {
            format: FORMAT.to_string(),
            version: VERSION,
            scene: scene.to_string(),
            seed,
            instruction: None,
            table_center_m: config.table_center_m,
            table_half_extents_m: config.table_half_extents_m,
            robot: world.robot().map(|r| r.spec.name.to_string()),
            gripper: world
                .robot()
                .map_or(GripperKind::default(), |r| r.gripper().kind()),
            objects,
            camera: camera.clone(),
            frame_hz: FRAME_HZ,
        }
    }
}

impl Header {
    /// A world to show this recording's frames in: the table, the robot and the
    /// objects, built with `config` (any physics: it is posed, never stepped).
    pub fn build_world(&self, config: WorldConfig) -> Result<World, SimError> {
        let mut world = World::new(WorldConfig {
            table_center_m: self.table_center_m,
            table_half_extents_m: self.table_half_extents_m,
            ..config
        });
        match self.robot.as_deref() {
            None => {}
            Some(name) if name == ArmSpec::ur5e().name => {
                world.add_robot(ArmSpec::ur5e());
                if self.gripper != GripperKind::default() {
                    world.set_gripper(self.gripper.build())?;
                }
            }
            Some(other) => {
                return Err(SimError::Scene(format!(
                    "the recording shows a robot '{other}' this wand does not know (it knows {})",
                    ArmSpec::ur5e().name
                )));
            }
        }
        for object in &self.objects {
            world.add_object(object)?;
        }
        Ok(world)
    }
}

fn round(x: f32) -> f32 {
    (x * POSE_SCALE).round() / POSE_SCALE
}

fn pose7(pose: &crate::Pose) -> [f32; 7] {
    let t = pose.translation;
    let r = pose.rotation;
    [t.x, t.y, t.z, r.x, r.y, r.z, r.w].map(round)
}

impl Frame {
    /// The world's state now, at `t` seconds.
    pub fn capture(world: &World) -> Frame {
        let bodies = &world.physics.bodies;
        let objects = world
            .objects()
            .iter()
            .map(|o| pose7(bodies[o.body].position()))
            .collect();
        let (links, joints) = match world.robot() {
            Some(robot) => (
                robot.parts().map(|b| pose7(bodies[b].position())).collect(),
                world
                    .joint_angles()
                    .into_iter()
                    .map(|q| round(q as f32))
                    .collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        Frame {
            t: (world.time_s() * 1e5).round() / 1e5,
            objects,
            links,
            joints,
            held: world.robot().and_then(|r| r.held_object()),
        }
    }
}

impl Recording {
    /// The recording as its file's text (JSON Lines).
    pub fn to_text(&self) -> String {
        let mut text = self.header.to_text();
        text.push('\n');
        let mut push = |line: &Line| {
            text.push_str(&line.to_text());
            text.push('\n');
        };
        for attempt in &self.attempts {
            push(&Line::Attempt {
                number: attempt.number,
                program: attempt.program.clone(),
            });
            // Frames and events interleaved by time, events first at equal times.
            let (mut frames, mut events) = (
                attempt.frames.iter().peekable(),
                attempt.events.iter().peekable(),
            );
            loop {
                match (frames.peek(), events.peek()) {
                    (Some(f), Some(e)) if e.t <= f.t => {
                        push(&Line::Event(events.next().cloned().expect("peeked")))
                    }
                    (Some(_), _) => push(&Line::Frame(frames.next().cloned().expect("peeked"))),
                    (None, Some(_)) => push(&Line::Event(events.next().cloned().expect("peeked"))),
                    (None, None) => break,
                }
            }
            push(&Line::End(attempt.outcome.clone()));
        }
        text
    }

    /// Writes the recording to `path`.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        std::fs::write(path, self.to_text())
    }

    /// Reads a recording file.
    pub fn load(path: &Path) -> Result<Recording, RecordingError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| RecordingError::Io {
            path: shown.clone(),
            source,
        })?;
        Recording::parse(&text, &shown)
    }

    /// Parses a recording's text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Recording, RecordingError> {
        let mut reader = Reader::new(path);
        for line in text.lines() {
            reader.push_line(line)?;
        }
        reader.finish()
    }

    /// The frame shown at `moment`: the last one at or before it (the first, before any);
    /// `None` when that attempt has no frames (its program never ran).
    pub fn frame_at(&self, moment: Moment) -> Option<&Frame> {
        let frames = &self.attempts.get(moment.attempt)?.frames;
        let after = frames.partition_point(|f| f.t <= moment.t);
        frames.get(after.saturating_sub(1))
    }

    /// Every frame of every attempt, with the attempt's index, in order.
    pub fn frames(&self) -> impl Iterator<Item = (usize, &Frame)> {
        self.attempts
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.frames.iter().map(move |f| (i, f)))
    }
}

/// Reads a recording one line at a time, as a live run streams it: what has arrived so
/// far is a [`Recording`] whose last attempt may still be going on.
#[derive(Debug, Clone)]
pub struct Reader {
    path: String,
    /// Lines read so far (blank ones too), for error messages.
    lines: usize,
    recording: Option<Recording>,
    /// Whether the last attempt has not ended yet.
    open: bool,
}

impl Reader {
    /// A reader of the recording `path` names (in errors only).
    pub fn new(path: &str) -> Reader {
        Reader {
            path: path.to_string(),
            lines: 0,
            recording: None,
            open: false,
        }
    }

    /// A reader that has read all of `recording` (a file loaded whole).
    pub fn with(recording: Recording, path: &str) -> Reader {
        Reader {
            path: path.to_string(),
            lines: 0,
            recording: Some(recording),
            open: false,
        }
    }

    /// The recording so far: `None` before the header has arrived.
    pub fn recording(&self) -> Option<&Recording> {
        self.recording.as_ref()
    }

    /// Whether an attempt has started and not ended yet.
    pub fn in_attempt(&self) -> bool {
        self.open
    }

    fn malformed(&self, reason: impl Into<String>) -> RecordingError {
        RecordingError::Malformed {
            path: self.path.clone(),
            line: self.lines,
            reason: reason.into(),
        }
    }

    /// Reads the next line (without its newline). The first line that is not blank must
    /// be the header: its format and version are checked before the rest of it, so a file
    /// of another version is refused for its version, not for a field it lacks.
    pub fn push_line(&mut self, text: &str) -> Result<(), RecordingError> {
        self.lines += 1;
        if text.trim().is_empty() {
            return Ok(());
        }
        let Some(recording) = &mut self.recording else {
            let header = self.header(text)?;
            self.recording = Some(Recording {
                header,
                attempts: Vec::new(),
            });
            return Ok(());
        };
        let line: Line = serde_json::from_str(text).map_err(|e| RecordingError::Malformed {
            path: self.path.clone(),
            line: self.lines,
            reason: e.to_string(),
        })?;
        let outside = |what: &str| format!("{what} outside an attempt");
        let problem = match line {
            Line::Attempt { number, program } if !self.open => {
                self.open = true;
                recording.attempts.push(Attempt {
                    number,
                    program,
                    frames: Vec::new(),
                    events: Vec::new(),
                    outcome: Outcome::default(),
                });
                None
            }
            Line::Attempt { .. } => Some("a new attempt starts before the last one ended".into()),
            Line::Frame(frame) => match recording.attempts.last_mut() {
                Some(a) if self.open => match check_frame(&recording.header, &frame) {
                    Ok(()) => {
                        a.frames.push(frame);
                        None
                    }
                    Err(reason) => Some(reason),
                },
                _ => Some(outside("a frame")),
            },
            Line::Event(event) => match recording.attempts.last_mut() {
                Some(a) if self.open => {
                    a.events.push(event);
                    None
                }
                _ => Some(outside("an event")),
            },
            Line::End(outcome) => match recording.attempts.last_mut() {
                Some(a) if self.open => {
                    a.outcome = outcome;
                    self.open = false;
                    None
                }
                _ => Some("an end without an attempt".into()),
            },
        };
        match problem {
            Some(reason) => Err(self.malformed(reason)),
            None => Ok(()),
        }
    }

    fn header(&self, first: &str) -> Result<Header, RecordingError> {
        let path = self.path.clone();
        let probe: serde_json::Value = serde_json::from_str(first)
            .map_err(|_| RecordingError::NotARecording { path: path.clone() })?;
        if probe.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(RecordingError::NotARecording { path });
        }
        match probe.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v < VERSION as u64 => Err(RecordingError::TooOld { path, found: v }),
            Some(v) if v > VERSION as u64 => Err(RecordingError::TooNew { path, found: v }),
            Some(_) => {
                serde_json::from_value(probe).map_err(|e| self.malformed(format!("header: {e}")))
            }
            None => Err(self.malformed("the header has no numeric \"version\"")),
        }
    }

    /// The whole recording, once every line has been read: an error if there was no
    /// header or the last attempt never ended (a file cut off).
    pub fn finish(self) -> Result<Recording, RecordingError> {
        if self.open {
            return Err(self.malformed("the last attempt has no end line (the file was cut off?)"));
        }
        self.recording
            .ok_or(RecordingError::Empty { path: self.path })
    }
}

fn check_frame(header: &Header, frame: &Frame) -> Result<(), String> {
    if frame.objects.len() != header.objects.len() {
        return Err(format!(
            "a frame has {} object poses; the header lists {} objects",
            frame.objects.len(),
            header.objects.len()
        ));
    }
    if let Some(held) = frame.held
        && held >= header.objects.len()
    {
        return Err(format!(
            "a frame holds object {held}; the header lists {} objects",
            header.objects.len()
        ));
    }
    if !frame.t.is_finite()
        || frame
            .objects
            .iter()
            .chain(&frame.links)
            .flatten()
            .any(|x| !x.is_finite())
    {
        return Err("a frame has a number that is not finite".into());
    }
    Ok(())
}
