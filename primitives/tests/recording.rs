//! An episode's recording: the program line of every primitive call (found in monty's
//! suspended state), what was printed and said, and frames over the whole run.

use wand_primitives::Limits;
use wand_primitives::episode::{EpisodeRequest, run_episode};
use wand_sim::recording::What;

const PROGRAM: &str = r#"def lift(name):
    pos = get_obj_pos(name)
    move_to(add(pos, [0, 0, 0.1]))
say("starting")
names = get_obj_names()
print("objects:", len(names))
for n in names[:2]:
    lift(n)
go_home()
"#;

fn request(record: bool) -> EpisodeRequest {
    EpisodeRequest {
        scene: "tabletop".into(),
        seed: 3,
        program: PROGRAM.into(),
        limits: Limits::default(),
        png: None,
        task: None,
        prelude: String::new(),
        record,
    }
}

#[test]
fn a_recorded_episode_knows_the_line_of_each_call_and_what_was_said() {
    let result = run_episode(&request(true), |_| {});
    assert_eq!(result.error, None);
    let recording = result.recording.expect("a recording was asked for");
    let attempt = &recording.attempt;
    assert_eq!(attempt.program, PROGRAM);
    assert_eq!(attempt.outcome.success, None);
    let lines: Vec<u32> = attempt
        .events
        .iter()
        .filter_map(|e| match e.what {
            What::Line(line) => Some(line),
            _ => None,
        })
        .collect();
    // Inside lift() the innermost frame's line counts; add() and move_to() on line 3 at
    // one instant are one event.
    assert_eq!(lines, [4, 5, 2, 3, 2, 3, 9]);
    let said: Vec<&What> = attempt
        .events
        .iter()
        .map(|e| &e.what)
        .filter(|w| !matches!(w, What::Line(_)))
        .collect();
    assert_eq!(
        said,
        [
            &What::Say("starting".into()),
            &What::Print("objects: 5\n".into())
        ]
    );
    // Frames from the start to the end, about 30 a second of simulated time.
    let frames = &attempt.frames;
    assert_eq!(frames[0].t, 0.0);
    let end = frames.last().unwrap().t;
    assert!(
        (end - result.sim_time_s).abs() < 1e-3,
        "{end} vs {}",
        result.sim_time_s
    );
    let expected = (end * 30.0) as usize;
    assert!(
        frames.len().abs_diff(expected) <= 2,
        "{} frames over {end} s",
        frames.len()
    );
    assert_eq!(frames[0].objects.len(), recording.header.objects.len());
    // Times only grow.
    assert!(frames.windows(2).all(|w| w[0].t < w[1].t));
    assert!(attempt.events.windows(2).all(|w| w[0].t <= w[1].t));
}

#[test]
fn without_record_there_is_no_recording_and_the_same_outcome() {
    let plain = run_episode(&request(false), |_| {});
    let recorded = run_episode(&request(true), |_| {});
    assert!(plain.recording.is_none());
    assert_eq!(plain.objects, recorded.objects);
    assert_eq!(plain.sim_time_s, recorded.sim_time_s);
    // The result's JSON (what `wand script --json` prints) has no recording field.
    let json = serde_json::to_value(&plain).unwrap();
    assert!(json.get("recording").is_none());
}

#[test]
fn calls_inside_a_prelude_count_at_the_program_line_that_called_in() {
    // Skills run as a prelude before the program; their lines are not the program's.
    let request = EpisodeRequest {
        scene: "demo".into(),
        program: "say('hop')\nhop('red block')\nsay('done')\n".into(),
        prelude:
            "def hop(name):\n    pos = get_obj_pos(name)\n    move_to(add(pos, [0, 0, 0.1]))\n"
                .into(),
        ..request(true)
    };
    let result = run_episode(&request, |_| {});
    assert_eq!(result.error, None);
    let lines: Vec<u32> = result
        .recording
        .unwrap()
        .attempt
        .events
        .iter()
        .filter_map(|e| match e.what {
            What::Line(line) => Some(line),
            _ => None,
        })
        .collect();
    assert_eq!(lines, [1, 2, 3]);
}
