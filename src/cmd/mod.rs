//! One module per subcommand; each has `Args` (clap) and `run(args) -> Result<ExitCode>`.

pub mod api;
pub mod bench;
pub mod eval;
pub mod render;
pub mod replay;
pub mod run;
pub mod scenes;
pub mod script;
pub mod skills;
pub mod tasks;
pub mod view;
pub mod window;

use std::process::ExitCode;
use wand_sim::scene::DEFAULT_SCENE;

/// The scene and seed an episode starts from (`script`, `run` and `render` share them).
#[derive(Debug, clap::Args)]
pub struct SceneArgs {
    /// A shipped scene's name (see `wand scenes`) or the path of a scene file (.toml).
    #[arg(long, default_value = DEFAULT_SCENE)]
    pub scene: String,
    /// The episode seed that lays out the scene's random objects.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// `--gripper suction|parallel` and `--perception truth|camera` (`script`, `run`, `tasks
/// verify`; `eval` takes both as grid axes): the arm's gripper and where perception's
/// answers come from, instead of the scene's `[robot] gripper` and `[perception] mode`.
#[derive(Debug, Clone, clap::Args)]
pub struct RigArgs {
    /// The gripper on the arm. Default: the scene's `[robot] gripper`.
    #[arg(long, value_enum)]
    pub gripper: Option<wand_sim::gripper::GripperKind>,
    /// Where the perception primitives' answers come from. Default: the scene's
    /// `[perception] mode`.
    #[arg(long, value_enum)]
    pub perception: Option<wand_primitives::PerceptionMode>,
}

impl RigArgs {
    /// Puts the choices into `limits` (what a program run may use).
    pub fn apply(&self, limits: &mut wand_primitives::Limits) {
        limits.gripper = self.gripper;
        limits.perception = self.perception;
    }
}

/// For clap: a number above zero (a rate, a budget).
pub fn positive(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x.is_finite() => Ok(x),
        _ => Err(format!("'{text}' is not a number above 0")),
    }
}

/// For clap: a sampling temperature, 0 to 2.
pub fn temperature(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(t) if (0.0..=2.0).contains(&t) => Ok(t),
        _ => Err(format!("'{text}' is not a temperature from 0 to 2")),
    }
}

/// Exit code 0: the command did what was asked.
pub const EXIT_OK: u8 = 0;
/// Exit code 1: the task or program failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit code 2: bad usage or bad input (missing file, malformed scene).
pub const EXIT_USAGE: u8 = 2;
/// Exit code 130 (as for Ctrl-C): the run was stopped halfway (its window was closed).
pub const EXIT_INTERRUPTED: u8 = 130;

/// An error caused by the user's input: exits with code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Input errors (and scene errors) exit with 2; everything else with 1.
pub fn exit_code_for(error: &anyhow::Error) -> ExitCode {
    let input = error.chain().any(|cause| {
        cause.is::<InputError>()
            || cause.is::<wand_sim::SimError>()
            || cause.is::<wand_primitives::task::TaskError>()
            || cause.is::<std::io::Error>()
    });
    ExitCode::from(if input { EXIT_USAGE } else { EXIT_FAILED })
}
