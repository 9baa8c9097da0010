//! Recordings: the file round-trips, other versions and broken files are refused with
//! messages that say why, and a world shown from a frame looks as the world did.

use wand_sim::Scene;
use wand_sim::camera::{Camera, RaycastCamera};
use wand_sim::gripper::GripperKind;
use wand_sim::recording::{
    Attempt, Event, FORMAT, Frame, Header, Outcome, Reader, Recording, RecordingError, VERSION,
    What,
};
use wand_sim::robot::MotionOptions;
use wand_sim::world::WorldConfig;

/// A recording of the arm moving in the tabletop scene for a second and a half.
fn recorded() -> Recording {
    let scene = Scene::load("tabletop").unwrap();
    let mut world = scene.build(3).unwrap();
    world.record_frames(30.0);
    let header = Header::describe(&world, "tabletop", 3, &scene.camera);
    world
        .move_tool([0.45, 0.1, 0.2], 0.0, false, &MotionOptions::default())
        .unwrap();
    world.wait(0.5);
    let frames = world.take_frames();
    let events = vec![
        Event {
            t: 0.0,
            what: What::Line(1),
        },
        Event {
            t: 0.5,
            what: What::Print("hello\n".into()),
        },
        Event {
            t: 0.5,
            what: What::Say("moving \"there\"".into()),
        },
    ];
    let attempt = |number| Attempt {
        number,
        program: "move_to([0.45, 0.1, 0.2])\nprint('hello')\n".into(),
        frames: frames.clone(),
        events: events.clone(),
        outcome: Outcome {
            success: Some(number == 2),
            error: (number == 1).then(|| "ValueError: nope (line 2)".to_string()),
            error_line: (number == 1).then_some(2),
            verdict: Some("the red block is on the table".into()),
        },
    };
    Recording {
        header,
        attempts: vec![attempt(1), attempt(2)],
    }
}

#[test]
fn a_recording_round_trips_through_its_file() {
    let recording = recorded();
    let frames = &recording.attempts[0].frames;
    // About 30 frames a second, the first at the start and the last at the end.
    let duration = frames.last().unwrap().t;
    assert!(duration > 0.5, "{duration}");
    let expected = (duration * 30.0).round() as usize + 1;
    assert!(
        frames.len().abs_diff(expected) <= 1,
        "{} frames",
        frames.len()
    );
    assert_eq!(frames[0].t, 0.0);
    assert_eq!(frames[0].links.len(), 7, "base and six links");
    assert_eq!(frames[0].joints.len(), 6);
    let dir = std::env::temp_dir().join(format!("wand-recording-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("run.rec");
    recording.save(&path).unwrap();
    let back = Recording::load(&path).unwrap();
    assert_eq!(back, recording);
    assert_eq!(back.to_text(), recording.to_text());
    let first = std::fs::read_to_string(&path).unwrap();
    let header: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(header["format"], FORMAT);
    assert_eq!(header["version"], VERSION);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The recording's text with its first line's version replaced.
fn with_version(version: &str) -> String {
    let text = recorded().to_text();
    let (first, rest) = text.split_once('\n').unwrap();
    let first = first.replace(
        &format!("\"version\":{VERSION}"),
        &format!("\"version\":{version}"),
    );
    format!("{first}\n{rest}")
}

#[test]
fn an_older_or_newer_version_is_refused_for_its_version() {
    let older = Recording::parse(&with_version("0"), "old.rec").unwrap_err();
    assert!(matches!(older, RecordingError::TooOld { found: 0, .. }));
    assert_eq!(
        older.to_string(),
        format!(
            "old.rec is a recording of format version 0, older than the version {VERSION} this \
             wand reads; record the run again with this wand"
        )
    );
    // A newer version may have other fields: it is refused for its version, not for those.
    let newer = with_version("7").replacen("\"seed\"", "\"future\":1,\"seed\"", 1);
    let newer = Recording::parse(&newer, "new.rec").unwrap_err();
    assert!(
        newer
            .to_string()
            .starts_with("new.rec is a recording of format version 7, newer than the version"),
        "{newer}"
    );
}

#[test]
fn broken_files_get_errors_that_say_where_and_what() {
    let text = recorded().to_text();
    let error = |text: &str| Recording::parse(text, "x.rec").unwrap_err().to_string();
    assert_eq!(
        error(""),
        "x.rec is empty: a recording starts with a header line (see docs/RECORDINGS.md)"
    );
    assert!(error("hello\n").starts_with("x.rec is not a wand recording"));
    assert!(error("{\"format\": \"png\"}\n").starts_with("x.rec is not a wand recording"));
    // A line in the middle that is not JSON: its line number and serde's reason.
    let mut lines: Vec<&str> = text.lines().collect();
    lines[5] = "{\"frame\": [1, 2";
    let e = error(&lines.join("\n"));
    assert!(e.starts_with("x.rec:6: malformed recording: "), "{e}");
    // A frame with a pose too few.
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let frame_line = lines
        .iter()
        .position(|l| l.starts_with("{\"frame\""))
        .unwrap();
    let mut frame: serde_json::Value = serde_json::from_str(&lines[frame_line]).unwrap();
    frame["frame"]["objects"].as_array_mut().unwrap().pop();
    lines[frame_line] = frame.to_string();
    let e = error(&lines.join("\n"));
    assert!(
        e.contains(&format!(
            "x.rec:{}: malformed recording: a frame has",
            frame_line + 1
        )),
        "{e}"
    );
    // Cut off before the end.
    let cut: Vec<&str> = text.lines().take(text.lines().count() - 1).collect();
    assert!(error(&cut.join("\n")).contains("the last attempt has no end line"));
    // A missing file names the path.
    let missing = Recording::load(std::path::Path::new("/no/such/run.rec")).unwrap_err();
    assert!(
        missing
            .to_string()
            .starts_with("cannot read recording /no/such/run.rec: "),
        "{missing}"
    );
}

#[test]
fn a_world_shown_from_a_frame_looks_as_the_recorded_world_did() {
    shown_as_recorded(GripperKind::Suction, 7);
}

/// The fingers are parts of the arm in a recording: the header names the gripper, each
/// frame poses both fingers after the links, and a replay world shows them closed on
/// the block they hold.
#[test]
fn a_recording_shows_the_parallel_grippers_fingers() {
    shown_as_recorded(GripperKind::Parallel, 9);
}

/// Records the tabletop scene with `gripper` (picking a block with fingers), and checks
/// that a world built from the header and posed by the last frame looks the same.
fn shown_as_recorded(gripper: GripperKind, parts: usize) {
    let mut scene = Scene::load("tabletop").unwrap();
    scene.robot.gripper = gripper;
    let mut live = scene.build(3).unwrap();
    live.record_frames(30.0);
    if gripper == GripperKind::Parallel {
        let block = live
            .object_names()
            .into_iter()
            .find(|n| n.ends_with("block"))
            .unwrap();
        live.pick(&block).unwrap();
        assert!(live.gripper_opening_m().unwrap() < 0.05);
    }
    live.move_tool([0.45, 0.1, 0.2], 0.0, false, &MotionOptions::default())
        .unwrap();
    let last: Frame = live.take_frames().pop().unwrap();
    assert_eq!(last.links.len(), parts, "base, six links and the fingers");
    let header = Header::describe(&live, "tabletop", 3, &scene.camera);
    assert_eq!(header.gripper, gripper);
    let header = Recording::parse(&header.to_text(), "h.rec").unwrap().header;
    let camera = RaycastCamera::new(scene.camera.clone()).unwrap();
    let seen_live = camera.render(&live);
    // A replay world from the header alone, with other physics: it is never stepped.
    let config = WorldConfig {
        gravity_z: -1.0,
        solver_iterations: 1,
        ..WorldConfig::default()
    };
    let mut replay = header.build_world(config).unwrap();
    assert_eq!(replay.gripper_kind(), gripper);
    replay.show(&last);
    let seen_replay = camera.render(&replay);
    // Who each pixel sees is the same; where poses were rounded to 10 µm a ray may hit
    // the next face of the same shape at an edge, so a few pixels shade differently.
    let moved = seen_live
        .segmentation
        .iter()
        .zip(&seen_replay.segmentation)
        .filter(|(a, b)| a != b)
        .count();
    // Poses are rounded to 10 µm: at the edge of a small part (a finger pad) a ray may
    // pass the other side of it; a handful of such pixels, no more.
    let pixels = (seen_live.width * seen_live.height) as usize;
    assert!(moved * 5000 < pixels, "{moved} pixels see another body");
    let differing = seen_live
        .rgb
        .chunks(3)
        .zip(seen_replay.rgb.chunks(3))
        .filter(|(a, b)| a != b)
        .count();
    assert!(
        differing * 1000 < pixels,
        "{differing} of {pixels} pixels differ"
    );
}

#[test]
fn a_reader_takes_a_live_run_line_by_line() {
    let recording = recorded();
    let text = recording.to_text();
    let lines: Vec<&str> = text.lines().collect();
    let mut reader = Reader::new("live");
    assert!(reader.recording().is_none());
    reader.push_line(lines[0]).unwrap();
    assert_eq!(reader.recording().unwrap().header, recording.header);
    assert!(reader.recording().unwrap().attempts.is_empty());
    // Halfway through the first attempt: its frames so far, still going on.
    let first_end = lines
        .iter()
        .position(|l| l.starts_with("{\"end\""))
        .unwrap();
    let half = first_end / 2;
    for line in &lines[1..half] {
        reader.push_line(line).unwrap();
    }
    assert!(reader.in_attempt());
    let so_far = &reader.recording().unwrap().attempts[0];
    assert!(!so_far.frames.is_empty());
    assert_eq!(
        so_far.frames[..],
        recording.attempts[0].frames[..so_far.frames.len()]
    );
    for line in &lines[half..] {
        reader.push_line(line).unwrap();
    }
    assert!(!reader.in_attempt());
    assert_eq!(reader.finish().unwrap(), recording);
}

#[test]
fn a_reader_says_which_line_is_wrong_and_a_cut_off_run_is_an_error() {
    let text = recorded().to_text();
    let lines: Vec<&str> = text.lines().collect();
    let mut reader = Reader::new("live");
    for line in &lines[..3] {
        reader.push_line(line).unwrap();
    }
    let cut = reader.clone().finish().unwrap_err().to_string();
    assert!(cut.contains("live:3") && cut.contains("cut off"), "{cut}");
    let wrong = reader.push_line("{\"frame\": 1}").unwrap_err().to_string();
    assert!(wrong.starts_with("live:4: malformed recording"), "{wrong}");
    let early = Reader::new("live").push_line("{\"frame\": 1}").unwrap_err();
    assert!(
        early.to_string().contains("not a wand recording"),
        "{early}"
    );
}
