//! A watched episode: the worker (the real binary) sends every frame as it is kept, the
//! same frames a recording keeps; a watcher that says stop ends the run at once with a
//! KeyboardInterrupt, and the call returns.

use std::path::Path;
use wand_primitives::Limits;
use wand_primitives::episode::EpisodeRequest;
use wand_primitives::worker::{Watch, run_in_worker_watched};

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
fn a_watcher_gets_the_frames_the_recording_keeps() {
    let exe = Path::new(env!("CARGO_BIN_EXE_wand"));
    let mut seen = Vec::new();
    let result = run_in_worker_watched(exe, &request(), &mut |frame| {
        seen.push(frame);
        Watch::Go
    });
    assert_eq!(result.error, None);
    let recording = result.recording.expect("a recording");
    assert_eq!(seen, recording.attempt.frames);
    assert!(seen.len() > 100, "{} frames", seen.len());
}

#[test]
fn a_watcher_that_says_stop_ends_the_run_as_interrupted() {
    let exe = Path::new(env!("CARGO_BIN_EXE_wand"));
    let mut seen = 0;
    let result = run_in_worker_watched(exe, &request(), &mut |_| {
        seen += 1;
        if seen == 10 { Watch::Stop } else { Watch::Go }
    });
    assert_eq!(seen, 10, "no frame after stop");
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
