//! Tasks: what an instruction asks for, and the success check that judges an episode
//! from the simulation's ground truth.
//!
//! (Interface fixed; the task families are filled in by their own change.)

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wand_sim::World;

/// A task with its parameters, e.g. `matching_bowls {}` or
/// `pick_place {"object": "red block", "target": "green bowl"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSpec {
    /// The task family's name (see [`task_names`]).
    pub name: String,
    /// Parameters filled from the instruction or the seed.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

/// A success check's verdict and, for feedback, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub success: bool,
    /// What was right or wrong, e.g. "red block is not inside green bowl: 0.21 m from its center".
    pub reason: String,
}

/// The task families wand knows.
pub fn task_names() -> Vec<&'static str> {
    Vec::new()
}

/// Judges the world against the task. An error names what is wrong with the task itself
/// (an unknown family, a missing parameter, an object the scene lacks).
pub fn check(task: &TaskSpec, world: &World) -> Result<Verdict, String> {
    let _ = world;
    Err(format!(
        "unknown task '{}'; known tasks: {}",
        task.name,
        task_names().join(", ")
    ))
}

/// The task an instruction asks for, when it matches a known template for this world.
pub fn match_instruction(instruction: &str, world: &World) -> Option<TaskSpec> {
    let _ = (instruction, world);
    None
}
