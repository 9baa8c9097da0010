//! One episode: a program run on a scene for a seed, start to finish, and its result —
//! the JSON object `wand script --json` prints.

use crate::limits::Limits;
use crate::perceiver::Perceiver;
use crate::runtime::{self, ProgramError};
use crate::session::EventSink;
use crate::session::Session;
use crate::task::{ObjectState, SceneState, TaskCheck, Verdict};
use crate::value::round_m;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;
use wand_sim::Scene;
use wand_sim::camera::{Camera, RaycastCamera};
use wand_sim::gripper::GripperKind;
use wand_sim::recording::{Attempt, Event, FRAME_HZ, Frame, Header, Line, Outcome, Recording};
use wand_sim::scene::PerceptionMode;
use wand_sim::world::FrameSink;

/// What to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeRequest {
    /// A shipped scene's name or a scene file's path.
    pub scene: String,
    pub seed: u64,
    /// The Python program's text.
    pub program: String,
    pub limits: Limits,
    /// Where to write a PNG of the final scene, if anywhere.
    pub png: Option<PathBuf>,
    /// The task whose success check judges the episode, if any.
    #[serde(default)]
    pub task: Option<TaskCheck>,
    /// Python definitions run before the program, in its namespace: the skills it may
    /// call (`--skills`). Errors keep the program's own line numbers.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prelude: String,
    /// Keep a recording of the episode (frames and events) in the result.
    #[serde(default)]
    pub record: bool,
}

/// One episode's recording: what it shows, and its one attempt (numbered 1; a run
/// renumbers its attempts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeRecording {
    pub header: Header,
    pub attempt: Attempt,
}

impl EpisodeRecording {
    /// A recording file's contents with this episode as its only attempt.
    pub fn into_recording(self) -> Recording {
        Recording {
            header: self.header,
            attempts: vec![self.attempt],
        }
    }
}

/// What happened; `wand script --json` prints exactly this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeResult {
    pub scene: String,
    pub seed: u64,
    /// The gripper the arm had.
    #[serde(default)]
    pub gripper: GripperKind,
    /// `true` only when the task's check passed; `false` when it failed, the program
    /// raised, or the check itself erred; `null` when the program finished and no task
    /// judged it.
    pub success: Option<bool>,
    pub error: Option<ProgramError>,
    /// What the program printed (capped at 1 MB).
    pub output: String,
    /// What the program said with `say`.
    pub said: Vec<String>,
    pub sim_time_s: f64,
    pub wall_time_s: f64,
    /// Every object's final state: kind, color, pose, bounding box, what it rests on or
    /// is inside, whether it is held.
    pub objects: BTreeMap<String, ObjectState>,
    pub ee_pos: Option<[f64; 3]>,
    pub holding: Option<String>,
    /// Primitive calls the program made.
    pub primitive_calls: u64,
    /// Where the perception primitives' answers came from: "truth" or "camera".
    #[serde(default)]
    pub perception: PerceptionMode,
    /// How many pictures the camera took for them (a view is kept until the world moves).
    #[serde(default)]
    pub camera_views: u64,
    /// The task check's verdict (goal conditions, reward, reason), when a task was given;
    /// also when the program raised, so partial credit is known.
    #[serde(default)]
    pub check: Option<Verdict>,
    /// The episode's recording, when the request asked for one. Not part of the JSON
    /// that `wand script --json` prints (the CLI takes it out and writes the file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<Box<EpisodeRecording>>,
}

/// The error of a watched run its watcher stopped: kind and message.
pub const INTERRUPTED: (&str, &str) = (
    "KeyboardInterrupt",
    "the run was stopped before the program finished (the window was closed)",
);

impl EpisodeResult {
    /// How the episode ended, as a recording says it: the end line of a live view.
    pub fn outcome(&self) -> Outcome {
        Outcome {
            success: self.success,
            error: self.error.as_ref().map(ProgramError::summary),
            error_line: self.error.as_ref().and_then(|e| e.line),
            verdict: self.check.as_ref().map(|v| v.reason.clone()),
        }
    }

    /// The result of a watched run its watcher stopped, before or while it ran.
    pub fn interrupted_result(request: &EpisodeRequest, wall_time_s: f64) -> EpisodeResult {
        let (kind, message) = INTERRUPTED;
        EpisodeResult::failed(
            request,
            ProgramError::new(kind, message, None, ""),
            wall_time_s,
        )
    }

    /// Whether its watcher stopped the run ([`crate::worker::Watch::Stop`]: the viewer's
    /// window was closed), rather than the program ending.
    pub fn interrupted(&self) -> bool {
        self.error
            .as_ref()
            .is_some_and(|e| (e.kind.as_str(), e.message.as_str()) == INTERRUPTED)
    }

    /// A result for an episode that never produced one (the worker died, the scene broke).
    pub fn failed(
        request: &EpisodeRequest,
        error: ProgramError,
        wall_time_s: f64,
    ) -> EpisodeResult {
        EpisodeResult {
            scene: request.scene.clone(),
            seed: request.seed,
            gripper: request
                .limits
                .gripper
                .or_else(|| Scene::load(&request.scene).ok().map(|s| s.robot.gripper))
                .unwrap_or_default(),
            success: Some(false),
            error: Some(error),
            output: String::new(),
            said: Vec::new(),
            sim_time_s: 0.0,
            wall_time_s,
            objects: BTreeMap::new(),
            ee_pos: None,
            holding: None,
            primitive_calls: 0,
            perception: request
                .limits
                .perception
                .or_else(|| Scene::load(&request.scene).ok().map(|s| s.perception.mode))
                .unwrap_or_default(),
            camera_views: 0,
            check: None,
            recording: None,
        }
    }
}

/// Runs an episode in this process. `arm_memory` is called once the world is built,
/// before the program starts, to set the memory budget (the worker arms monty's
/// allocator there; in-process callers pass a no-op).
pub fn run_episode(request: &EpisodeRequest, arm_memory: impl FnOnce(&Limits)) -> EpisodeResult {
    run_episode_observed(request, arm_memory, || {})
}

/// [`run_episode`], calling `program_ended` as soon as the program stops (before the
/// check and the picture): the worker tells its parent, which enforces the program's
/// wall-clock limit from outside.
pub fn run_episode_observed(
    request: &EpisodeRequest,
    arm_memory: impl FnOnce(&Limits),
    program_ended: impl FnOnce(),
) -> EpisodeResult {
    run_episode_watched(request, arm_memory, program_ended, None)
}

/// Where a watched episode's frames and events go as they happen: a live viewer.
pub struct Watcher {
    pub on_frame: FrameSink,
    pub on_event: EventSink,
}

impl Watcher {
    /// A watcher handing frames and events alike, as recording lines, to `send`.
    pub fn new(send: impl Fn(Line) + Send + Sync + 'static) -> Watcher {
        let send = std::sync::Arc::new(send);
        let events = send.clone();
        Watcher {
            on_frame: Box::new(move |frame: &Frame| send(Line::Frame(frame.clone()))),
            on_event: Box::new(move |event: &Event| events(Line::Event(event.clone()))),
        }
    }
}

/// [`run_episode_observed`], handing each frame (30 per simulated second) and event to
/// `watcher` as they happen, when given: a live viewer watches the run this way.
pub fn run_episode_watched(
    request: &EpisodeRequest,
    arm_memory: impl FnOnce(&Limits),
    program_ended: impl FnOnce(),
    watcher: Option<Watcher>,
) -> EpisodeResult {
    let started = Instant::now();
    let scene = match Scene::load(&request.scene) {
        Ok(mut scene) => {
            if let Some(gripper) = request.limits.gripper {
                scene.robot.gripper = gripper;
            }
            scene
        }
        Err(e) => {
            let error = ProgramError::new("RuntimeError", e.to_string(), None, "");
            return EpisodeResult::failed(request, error, started.elapsed().as_secs_f64());
        }
    };
    let mut world = match scene.build(request.seed) {
        Ok(world) => world,
        Err(e) => {
            let error = ProgramError::new("RuntimeError", e.to_string(), None, "");
            return EpisodeResult::failed(request, error, started.elapsed().as_secs_f64());
        }
    };
    let start = request
        .task
        .as_ref()
        .map(|_| SceneState::capture(&world, &scene.placement));
    let watched = watcher.is_some();
    let on_event = watcher.map(|w| {
        world.on_frame(w.on_frame);
        w.on_event
    });
    let header = request
        .record
        .then(|| Header::describe(&world, &request.scene, request.seed, &scene.camera));
    if request.record || watched {
        world.record_frames(FRAME_HZ);
    }
    let perceiver = Perceiver::for_scene(&scene, request.seed, request.limits.perception);
    let mut session = Session::new(world, scene, request.limits.sim_time_s);
    session.api = request.limits.api;
    session.perceiver = perceiver;
    if header.is_some() || watched {
        session.events = Some(Vec::new());
    }
    session.on_event = on_event;
    arm_memory(&request.limits);
    let report = runtime::run_after(
        &mut session,
        &request.prelude,
        &request.program,
        &request.limits,
    );
    program_ended();
    if let Some(path) = &request.png
        && let Err(e) = render_png(&session, path)
    {
        tracing::warn!("could not write {}: {e}", path.display());
    }
    let end = SceneState::capture(&session.world, &session.scene.placement);
    let verdict: Option<Verdict> = match (&request.task, &start) {
        (Some(check), Some(start)) => Some(check.judge(start, &end)),
        _ => None,
    };
    let success = match (&report.error, &verdict) {
        (Some(_), _) => Some(false),
        (None, Some(v)) => Some(v.success),
        (None, None) => None,
    };
    // The last frame (the state now) goes to a watcher too, even without a recording.
    let frames = if request.record || watched {
        session.world.take_frames()
    } else {
        Vec::new()
    };
    let recording = header.map(|header| {
        let outcome = Outcome {
            success,
            error: report.error.as_ref().map(ProgramError::summary),
            error_line: report.error.as_ref().and_then(|e| e.line),
            verdict: verdict.as_ref().map(|v| v.reason.clone()),
        };
        Box::new(EpisodeRecording {
            header,
            attempt: Attempt {
                number: 1,
                program: request.program.clone(),
                frames,
                events: session.events.take().unwrap_or_default(),
                outcome,
            },
        })
    });
    let world = &session.world;
    let tip = world.tool_position();
    EpisodeResult {
        scene: session.scene.name.clone(),
        seed: request.seed,
        gripper: session.scene.robot.gripper,
        success,
        check: verdict,
        error: report.error,
        output: session.output(),
        said: session.said.clone(),
        sim_time_s: (world.time_s() * 1e4).round() / 1e4,
        wall_time_s: started.elapsed().as_secs_f64(),
        objects: end.objects,
        ee_pos: Some([round_m(tip.x), round_m(tip.y), round_m(tip.z)]),
        holding: world.held().map(str::to_string),
        primitive_calls: report.primitive_calls,
        perception: session.perceiver.mode(),
        camera_views: session.perceiver.views_rendered(),
        recording,
    }
}

/// Writes the scene camera's RGB image of the session's world.
fn render_png(session: &Session, path: &std::path::Path) -> Result<(), String> {
    let camera = RaycastCamera::new(session.scene.camera.clone()).map_err(|e| e.to_string())?;
    camera
        .render(&session.world)
        .save_rgb(path)
        .map_err(|e| e.to_string())
}
