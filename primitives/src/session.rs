//! [`Session`]: what primitives act on during one program run — the world, the scene
//! it came from, what the program printed and said, and the simulated-time budget.

use crate::error::{ExcKind, PyError};
use crate::perceiver::Perceiver;
use crate::registry::ApiLevel;
use wand_sim::recording::{Event, What};
use wand_sim::{Scene, World};

/// Most text a program may print before the rest is dropped (with a note).
pub const OUTPUT_CAP_BYTES: usize = 1 << 20;

/// Where a watched session's events go as they happen.
pub type EventSink = Box<dyn FnMut(&Event) + Send>;

/// One program run's state.
pub struct Session {
    pub world: World,
    pub scene: Scene,
    /// What the program printed, capped at [`OUTPUT_CAP_BYTES`].
    output: String,
    output_cut: bool,
    /// What the program said with `say`, in order.
    pub said: Vec<String>,
    /// Simulated seconds the program may use.
    pub sim_time_limit_s: f64,
    /// The primitives the program is offered.
    pub api: ApiLevel,
    /// What happened when, kept only while recording (`None` otherwise).
    pub events: Option<Vec<Event>>,
    /// Where each event goes as it happens too (a live viewer), if anywhere.
    pub on_event: Option<EventSink>,
    /// The line of the source run where the program starts (after a prelude of skills),
    /// so recorded lines are the program's own.
    pub first_program_line: u32,
    /// Where perception answers come from (truth or the camera) and the camera's view.
    pub perceiver: Perceiver,
}

impl Session {
    /// A session over `world` (built from `scene`).
    /// Perception is the scene's, seeded 0; [`crate::episode`] seeds it from the episode.
    pub fn new(world: World, scene: Scene, sim_time_limit_s: f64) -> Session {
        Session {
            perceiver: Perceiver::for_scene(&scene, 0, None),
            world,
            scene,
            output: String::new(),
            output_cut: false,
            said: Vec::new(),
            sim_time_limit_s,
            api: ApiLevel::default(),
            events: None,
            on_event: None,
            first_program_line: 1,
        }
    }

    /// Whether events are being kept for a recording.
    pub fn recording(&self) -> bool {
        self.events.is_some()
    }

    /// Keeps an event at the world's time now, while recording. Printed text written
    /// in pieces at one instant (`print(a, b)`) becomes one event, and so do calls from
    /// one line at one instant.
    pub fn note(&mut self, what: What) {
        let t = (self.world.time_s() * 1e5).round() / 1e5;
        let Some(events) = &mut self.events else {
            return;
        };
        let last = events.last_mut().filter(|last| last.t == t);
        // Calls in one comprehension: one event says the line is running.
        if let (Some(last), What::Line(b)) = (&last, &what)
            && last.what == What::Line(*b)
        {
            return;
        }
        // A watcher gets a print's every piece (they add up to the same text).
        if let Some(sink) = &mut self.on_event {
            sink(&Event {
                t,
                what: what.clone(),
            });
        }
        match (last, what) {
            (
                Some(Event {
                    what: What::Print(text),
                    ..
                }),
                What::Print(more),
            ) => text.push_str(&more),
            (_, what) => events.push(Event { t, what }),
        }
    }

    /// Appends printed text, keeping at most [`OUTPUT_CAP_BYTES`].
    pub fn print(&mut self, text: &str) {
        if self.output_cut {
            return;
        }
        let room = OUTPUT_CAP_BYTES.saturating_sub(self.output.len());
        if self.recording() {
            self.note(What::Print(
                text[..floor_char_boundary(text, room)].to_string(),
            ));
        }
        if text.len() <= room {
            self.output.push_str(text);
        } else {
            self.output
                .push_str(&text[..floor_char_boundary(text, room)]);
            self.output_cut = true;
        }
    }

    /// Everything printed, with a note when the cap cut it.
    pub fn output(&self) -> String {
        if self.output_cut {
            format!(
                "{}\n[output cut at {} MB: the program printed more]\n",
                self.output,
                OUTPUT_CAP_BYTES >> 20
            )
        } else {
            self.output.clone()
        }
    }

    /// Fails with a TimeoutError once the simulated-time budget is spent.
    pub fn check_sim_time(&self) -> Result<(), PyError> {
        if self.world.time_s() > self.sim_time_limit_s {
            return Err(PyError::new(
                ExcKind::TimeoutError,
                format!(
                    "the program used up its simulated time budget of {:.0} s; \
                     each motion takes time, so loops of motions must end",
                    self.sim_time_limit_s
                ),
            ));
        }
        Ok(())
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
fn floor_char_boundary(text: &str, max: usize) -> usize {
    let mut cut = max.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}
