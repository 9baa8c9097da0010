//! [`Playback`]: where a viewer is in a [`Recording`] — one clock over all its attempts,
//! played or paused at a speed — and what the program was doing at that moment (the
//! line being executed, what it had printed and said).
//!
//! A window draws the frame at [`Playback::moment`] and shows these beside it; the
//! logic lives here, without any renderer, so it is tested like the rest of the sim.

use crate::recording::{Attempt, Recording, What};
use crate::replay::Moment;

/// The slowest and fastest playing speeds.
pub const SPEED_RANGE: (f64, f64) = (0.25, 8.0);

/// A position in a recording and how it moves.
#[derive(Debug, Clone, PartialEq)]
pub struct Playback {
    /// Each attempt's length, seconds of simulated time (0 for one that never ran).
    durations_s: Vec<f64>,
    at: Moment,
    /// Simulated seconds per wall-clock second.
    speed: f64,
    playing: bool,
}

impl Playback {
    /// At the start of the first attempt, paused, at 1×.
    pub fn new(recording: &Recording) -> Playback {
        Playback {
            durations_s: recording.attempts.iter().map(Attempt::duration_s).collect(),
            at: Moment { attempt: 0, t: 0.0 },
            speed: 1.0,
            playing: false,
        }
    }

    /// Takes in what a live recording added since (a longer last attempt, new attempts),
    /// keeping the moment: a viewer calls it as a live run's lines arrive.
    pub fn refresh(&mut self, recording: &Recording) {
        self.durations_s = recording.attempts.iter().map(Attempt::duration_s).collect();
    }

    /// Goes to the newest moment: the end of the last attempt (a live view follows the
    /// run there).
    pub fn seek_end(&mut self) {
        self.seek(self.total_s());
    }

    /// Where playback is.
    pub fn moment(&self) -> Moment {
        self.at
    }

    /// Seconds from the start of the first attempt to the end of the last.
    pub fn total_s(&self) -> f64 {
        self.durations_s.iter().sum()
    }

    /// Where attempt `attempt` starts on the one clock.
    pub fn attempt_start_s(&self, attempt: usize) -> f64 {
        self.durations_s.iter().take(attempt).sum()
    }

    /// The moment's place on the one clock (what a scrub bar shows).
    pub fn clock_s(&self) -> f64 {
        self.attempt_start_s(self.at.attempt) + self.at.t
    }

    /// Goes to `clock_s` on the one clock (clamped to the recording); at a boundary
    /// between attempts, the later one's start.
    pub fn seek(&mut self, clock_s: f64) {
        let mut rest = clock_s.clamp(0.0, self.total_s());
        for (attempt, &duration) in self.durations_s.iter().enumerate() {
            let last = attempt + 1 == self.durations_s.len();
            if rest < duration || last {
                self.at = Moment {
                    attempt,
                    t: rest.min(duration),
                };
                return;
            }
            rest -= duration;
        }
    }

    /// Goes to the start of attempt `attempt` (clamped to the attempts there are).
    pub fn jump_to_attempt(&mut self, attempt: usize) {
        let attempt = attempt.min(self.durations_s.len().saturating_sub(1));
        self.at = Moment { attempt, t: 0.0 };
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Sets the speed, kept within [`SPEED_RANGE`].
    pub fn set_speed(&mut self, speed: f64) {
        let (slowest, fastest) = SPEED_RANGE;
        self.speed = if speed.is_finite() {
            speed.clamp(slowest, fastest)
        } else {
            1.0
        };
    }

    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Plays or pauses; playing at the very end starts again from the beginning.
    pub fn set_playing(&mut self, playing: bool) {
        if playing && self.clock_s() >= self.total_s() {
            self.jump_to_attempt(0);
        }
        self.playing = playing;
    }

    /// Plays on from where it is, without starting over at the end (a live view, as new
    /// frames arrive; at the end it pauses until more come).
    pub fn resume(&mut self) {
        if self.clock_s() < self.total_s() {
            self.playing = true;
        }
    }

    /// Moves on by `wall_s` seconds of wall-clock time at the speed, while playing,
    /// from one attempt into the next; stops (paused) at the end.
    pub fn advance(&mut self, wall_s: f64) {
        if !self.playing || wall_s.is_nan() || wall_s <= 0.0 {
            return;
        }
        let target = self.clock_s() + wall_s * self.speed;
        if target >= self.total_s() {
            self.seek(self.total_s());
            self.playing = false;
        } else {
            self.seek(target);
        }
    }
}

/// The program line being executed at `t`: the last `line` event at or before it.
pub fn line_at(attempt: &Attempt, t: f64) -> Option<u32> {
    events_until(attempt, t)
        .filter_map(|what| match what {
            What::Line(line) => Some(*line),
            _ => None,
        })
        .last()
}

/// What the robot had said by `t`, in order.
pub fn said_until(attempt: &Attempt, t: f64) -> Vec<&str> {
    events_until(attempt, t)
        .filter_map(|what| match what {
            What::Say(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// What the program had printed by `t`.
pub fn printed_until(attempt: &Attempt, t: f64) -> String {
    events_until(attempt, t)
        .filter_map(|what| match what {
            What::Print(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn events_until(attempt: &Attempt, t: f64) -> impl Iterator<Item = &What> {
    attempt
        .events
        .iter()
        .take_while(move |e| e.t <= t)
        .map(|e| &e.what)
}
