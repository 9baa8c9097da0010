//! Playback over a recording's attempts: one clock, seeking, jumping to an attempt,
//! speeds within 0.25×–8×, playing into the next attempt and stopping at the end, and
//! the line, print and say shown at each moment.

use wand_sim::objects::{Color, Kind, ObjectSpec};
use wand_sim::playback::{Playback, line_at, printed_until, said_until};
use wand_sim::recording::{Attempt, Event, Frame, Header, Outcome, Recording, What};
use wand_sim::replay::Moment;

fn frame(t: f64) -> Frame {
    Frame {
        t,
        objects: vec![[0.5, 0.0, 0.02, 0.0, 0.0, 0.0, 1.0]],
        links: Vec::new(),
        joints: Vec::new(),
        held: None,
    }
}

fn attempt(number: u32, duration_s: f64, events: Vec<Event>) -> Attempt {
    let frames = if duration_s > 0.0 {
        vec![frame(0.0), frame(duration_s)]
    } else {
        Vec::new()
    };
    Attempt {
        number,
        program: String::new(),
        frames,
        events,
        outcome: Outcome::default(),
    }
}

fn event(t: f64, what: What) -> Event {
    Event { t, what }
}

/// Three attempts: 4 s, one that never ran, 6 s.
fn recording() -> Recording {
    let header = Header {
        format: "wand-recording".into(),
        version: 1,
        scene: "demo".into(),
        seed: 0,
        instruction: None,
        table_center_m: [0.5, 0.0],
        table_half_extents_m: [0.4, 0.4],
        robot: None,
        gripper: Default::default(),
        objects: vec![ObjectSpec {
            kind: Kind::Block,
            color: Color::Red,
            pos_m: vec![0.5, 0.0],
            yaw_rad: 0.0,
        }],
        camera: Default::default(),
        frame_hz: 30.0,
    };
    let events = vec![
        event(0.0, What::Line(1)),
        event(1.0, What::Print("a\n".into())),
        event(1.0, What::Line(2)),
        event(2.5, What::Say("half way".into())),
        event(2.5, What::Print("b\n".into())),
        event(3.0, What::Line(4)),
    ];
    Recording {
        header,
        attempts: vec![
            attempt(1, 4.0, events),
            attempt(2, 0.0, Vec::new()),
            attempt(3, 6.0, Vec::new()),
        ],
    }
}

#[test]
fn one_clock_runs_over_every_attempt() {
    let recording = recording();
    let mut playback = Playback::new(&recording);
    assert_eq!(playback.total_s(), 10.0);
    assert_eq!(playback.moment(), Moment { attempt: 0, t: 0.0 });
    playback.seek(5.5);
    assert_eq!(playback.moment(), Moment { attempt: 2, t: 1.5 });
    assert_eq!(playback.clock_s(), 5.5);
    // At the boundary, the later attempt's start; past the end, the end.
    playback.seek(4.0);
    assert_eq!(playback.moment(), Moment { attempt: 2, t: 0.0 });
    playback.seek(99.0);
    assert_eq!(playback.moment(), Moment { attempt: 2, t: 6.0 });
    playback.seek(-1.0);
    assert_eq!(playback.moment(), Moment { attempt: 0, t: 0.0 });
    // An attempt that never ran can be jumped to (to read its program and error).
    playback.jump_to_attempt(1);
    assert_eq!(playback.moment(), Moment { attempt: 1, t: 0.0 });
    assert_eq!(playback.attempt_start_s(2), 4.0);
    playback.jump_to_attempt(7);
    assert_eq!(playback.moment().attempt, 2);
}

#[test]
fn playing_moves_at_the_speed_into_the_next_attempt_and_stops_at_the_end() {
    let recording = recording();
    let mut playback = Playback::new(&recording);
    playback.advance(1.0);
    assert_eq!(playback.clock_s(), 0.0, "paused: nothing moves");
    playback.set_playing(true);
    playback.set_speed(2.0);
    playback.advance(1.5);
    assert_eq!(playback.moment(), Moment { attempt: 0, t: 3.0 });
    playback.advance(1.0);
    assert_eq!(playback.moment(), Moment { attempt: 2, t: 1.0 });
    playback.set_speed(100.0);
    assert_eq!(playback.speed(), 8.0);
    playback.set_speed(0.0);
    assert_eq!(playback.speed(), 0.25);
    playback.set_speed(8.0);
    playback.advance(10.0);
    assert_eq!(playback.moment(), Moment { attempt: 2, t: 6.0 });
    assert!(!playback.playing(), "it stops at the end");
    // Playing again from the end starts over.
    playback.set_playing(true);
    assert_eq!(playback.moment(), Moment { attempt: 0, t: 0.0 });
}

#[test]
fn the_line_and_what_was_said_follow_the_moment() {
    let recording = recording();
    let first = &recording.attempts[0];
    assert_eq!(line_at(first, 0.0), Some(1));
    assert_eq!(line_at(first, 0.99), Some(1));
    assert_eq!(line_at(first, 1.0), Some(2));
    assert_eq!(line_at(first, 3.5), Some(4));
    assert_eq!(line_at(&recording.attempts[1], 0.0), None);
    assert!(said_until(first, 2.4).is_empty());
    assert_eq!(said_until(first, 2.5), ["half way"]);
    assert_eq!(printed_until(first, 2.0), "a\n");
    assert_eq!(printed_until(first, 4.0), "a\nb\n");
}

#[test]
fn a_live_recording_grows_under_a_playback_that_keeps_its_place() {
    let mut recording = recording();
    let mut playback = Playback::new(&recording);
    playback.seek_end();
    assert_eq!(playback.clock_s(), 10.0);
    // At the end, resuming does nothing until more arrives.
    playback.resume();
    assert!(!playback.playing());
    // The last attempt goes on for 2 s more: the place stays, and playing on goes there.
    recording.attempts[2].frames.push(frame(8.0));
    playback.refresh(&recording);
    assert_eq!(playback.clock_s(), 10.0);
    assert_eq!(playback.total_s(), 12.0);
    playback.resume();
    assert!(playback.playing());
    playback.advance(1.0);
    assert_eq!(playback.moment(), Moment { attempt: 2, t: 7.0 });
    playback.advance(5.0);
    assert_eq!(playback.clock_s(), 12.0);
    assert!(!playback.playing(), "paused at the newest frame");
}
