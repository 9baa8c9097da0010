//! A watched episode: the worker (the real binary) sends every frame as it is kept and
//! every event as it happens, the same a recording keeps; a watcher that says stop ends
//! the run at once with a KeyboardInterrupt, and the call returns.

use std::path::Path;
use wand_primitives::Limits;
use wand_primitives::episode::EpisodeRequest;
use wand_primitives::worker::{Watch, run_in_worker_watched};
use wand_sim::recording::{Line, What};

fn request() -> EpisodeRequest {
    let program = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/programs/stack_all.py");
    EpisodeRequest {
        scene: "tabletop".into(),
        seed: 3,
        program: std::fs::read_to_string(program).unwrap(),
        limits: Limits::default(),
        png: None,
        task: None,
        prelude: String::new(),
        record: true,
    }
}

#[test]
fn a_watcher_gets_the_frames_and_events_the_recording_keeps() {
    let exe = Path::new(env!("CARGO_BIN_EXE_wand"));
    let (mut frames, mut events) = (Vec::new(), Vec::new());
    let result = run_in_worker_watched(exe, &request(), &mut |line| {
        match line {
            Line::Frame(frame) => frames.push(frame),
            Line::Event(event) => events.push(event),
            other => panic!("a watcher gets frames and events, not {other:?}"),
        }
        Watch::Go
    });
    assert_eq!(result.error, None);
    let recording = result.recording.expect("a recording");
    assert_eq!(frames, recording.attempt.frames);
    assert!(frames.len() > 100, "{} frames", frames.len());
    // Lines and says arrive as kept; prints piece by piece, adding up to the same text.
    assert_eq!(events.len(), recording.attempt.events.len(), "{events:?}");
    assert_eq!(events, recording.attempt.events);
    assert!(
        events.iter().any(|e| matches!(e.what, What::Line(_))),
        "{events:?}"
    );
}

#[test]
fn a_watcher_that_says_stop_ends_the_run_as_interrupted() {
    let exe = Path::new(env!("CARGO_BIN_EXE_wand"));
    let mut seen = 0;
    let result = run_in_worker_watched(exe, &request(), &mut |line| {
        if !matches!(line, Line::Frame(_)) {
            return Watch::Go;
        }
        seen += 1;
        if seen == 10 { Watch::Stop } else { Watch::Go }
    });
    assert_eq!(seen, 10, "no frame after stop");
    assert!(result.interrupted());
    let error = result.error.expect("an interrupted run has an error");
    assert_eq!(error.kind, "KeyboardInterrupt");
    assert!(
        error
            .message
            .contains("stopped before the program finished"),
        "{}",
        error.message
    );
    assert_eq!(result.success, Some(false));
    assert!(result.recording.is_none());
}
