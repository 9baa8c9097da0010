//! [`Session`]: what primitives act on during one program run — the world, the scene
//! it came from, what the program printed and said, and the simulated-time budget.

use crate::error::{ExcKind, PyError};
use crate::registry::ApiLevel;
use wand_sim::{Scene, World};

/// Most text a program may print before the rest is dropped (with a note).
pub const OUTPUT_CAP_BYTES: usize = 1 << 20;

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
}

impl Session {
    /// A session over `world` (built from `scene`).
    pub fn new(world: World, scene: Scene, sim_time_limit_s: f64) -> Session {
        Session {
            world,
            scene,
            output: String::new(),
            output_cut: false,
            said: Vec::new(),
            sim_time_limit_s,
            api: ApiLevel::default(),
        }
    }

    /// Appends printed text, keeping at most [`OUTPUT_CAP_BYTES`].
    pub fn print(&mut self, text: &str) {
        if self.output_cut {
            return;
        }
        let room = OUTPUT_CAP_BYTES.saturating_sub(self.output.len());
        if text.len() <= room {
            self.output.push_str(text);
        } else {
            let mut cut = room;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            self.output.push_str(&text[..cut]);
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
