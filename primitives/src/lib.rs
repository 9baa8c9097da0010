//! wand-primitives: the functions a wand program calls, and the sandbox it runs in.
//!
//! Each primitive is one entry of the [`registry`]; the interpreter's function table,
//! `wand api`, docs/API.md and the language model's prompt are generated from it.
//! Programs are Python run by the `monty` interpreter; primitive calls suspend the
//! interpreter and are served here, in Rust, against a [`wand_sim::World`].

pub mod call_line; // the program line of a suspended primitive call (for recordings)
pub mod episode; // one program run on a scene: EpisodeRequest → EpisodeResult (the JSON)
pub mod error; // PyError: the Python exceptions primitives raise
pub mod helpers; // dist, midpoint, add, sub, scale, mean
pub mod limits; // Limits: the sandbox budgets and their defaults
pub mod motion; // move_to, pick, place, push, …
pub mod perceiver; // Perceiver: truth or the camera, and the camera's kept view
pub mod perception; // get_obj_names, get_obj_pos, …, describe_view
pub mod reference; // the API reference (text and Markdown) generated from the registry
pub mod registry; // PRIMITIVES: one entry per primitive
pub mod runtime; // the monty host loop: compile, run, serve primitive calls, budgets
pub mod session; // Session: the world, output and budgets of one run
pub mod talk; // say
pub mod task; // task families as data files: templates, parameters, Python checks, reference programs
pub mod value; // Value: Python values as primitives see them
pub mod worker; // each episode in a child process: memory deaths become MemoryError
pub mod workspace; // table_bounds, get_location, denormalize_xy

pub use error::{ExcKind, PyError};
pub use limits::Limits;
pub use registry::{ApiLevel, PRIMITIVES, Primitive};
pub use session::Session;
pub use value::Value;
/// Where perception answers come from (`--perception`, a scene's `[perception] mode`).
pub use wand_sim::scene::PerceptionMode;

/// wand's standard library of skills, `scenes/skills/` compiled in: (file name, text) for
/// each `<name>.py` and the `index.toml` (read by `wand_agent::skills`).
pub const STDLIB_SKILLS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/stdlib_skills.rs"));
