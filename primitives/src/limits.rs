//! [`Limits`]: the sandbox's budgets, with their defaults in one place.

use crate::registry::ApiLevel;
use serde::{Deserialize, Serialize};
use wand_sim::gripper::GripperKind;
use wand_sim::scene::PerceptionMode;

/// What one program run may use. Every limit ends the run with a clear Python error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Wall-clock seconds for the whole run, primitives included (TimeoutError).
    pub timeout_s: f64,
    /// Simulated seconds the program's motions may take (TimeoutError).
    pub sim_time_s: f64,
    /// Memory for the worker process that runs the program and the simulation, MB
    /// (MemoryError).
    pub memory_mb: u64,
    /// Deepest Python call stack (RecursionError).
    pub recursion_depth: usize,
    /// Most primitive calls in one run (a loop of calls that never ends).
    pub max_primitive_calls: u64,
    /// The primitives the program may call at all (`--api`): with the composed skills,
    /// or the building blocks only.
    #[serde(default)]
    pub api: ApiLevel,
    /// Where the perception primitives' answers come from (`--perception`): ground
    /// truth or the scene's camera; `None` keeps the scene's `[perception] mode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub perception: Option<PerceptionMode>,
    /// The gripper on the arm (`--gripper`); `None` keeps the scene's `[robot] gripper`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gripper: Option<GripperKind>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout_s: 30.0,
            sim_time_s: 300.0,
            memory_mb: 512,
            recursion_depth: 200,
            max_primitive_calls: 200_000,
            api: ApiLevel::High,
            perception: None,
            gripper: None,
        }
    }
}
