//! Tasks as data. A task family is one TOML file under `scenes/tasks/` (or a folder given
//! with `--tasks-dir`): its parameters and how a seed draws them, its instruction
//! templates (seen and held-out), a success check in Python and a reference program.
//! Adding a family touches no Rust: the builtin planner, `wand tasks`, the checks and the
//! tests find it here.
//!
//! - [`TaskSet`] loads the families (the shipped ones are compiled in) and answers for
//!   all of them: [`TaskSet::match_instruction`], [`TaskSet::draw`], [`TaskSet::resolve`].
//! - A check runs in the same sandbox as programs, over plain data: the start and final
//!   [`SceneState`] and the parameters. It returns goal conditions, each with a reason;
//!   the [`Verdict`] is success when all hold and its reward is the fraction that hold.
//!   The shared predicates (`on`, `inside`, `near`, `in_line`, …) live in
//!   `scenes/tasks/predicates.py`; what an object rests on or is inside comes from the
//!   simulation's one definition ([`wand_sim::World::is_on`], [`wand_sim::World::is_inside`]).
//! - A check that raises or returns garbage is an error of the task
//!   ([`Verdict::task_error`]), never a pass.

mod check; // TaskCheck: a family's Python check run in the sandbox → Verdict
mod draw; // parameters drawn from a scene for a seed
mod family; // Family: a parsed family, its check and reference program
mod format; // the task file format (serde structs) and its JSON schema
mod matcher; // instruction templates: parse, match, render
mod set; // TaskSet: the shipped families and --tasks-dir, matching instructions
mod slots; // how parameters read in instructions and back
mod state; // SceneState: the plain data checks read
mod validate; // a family file's meaning checked, and a task's parameters

pub use check::{Outcome, PREDICATES, TaskCheck, predicate_names};
pub use draw::{NoTask, Skip};
pub use family::Family;
pub use format::{
    CheckSpec, ChoiceValue, FamilyFile, ParamSpec, ParamType, ReferenceSpec, Requires, Split,
    Templates, Unit, json_schema,
};
pub use matcher::normalize;
pub use set::{SHIPPED, TaskSet};
pub use state::{ObjectState, SceneState};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

/// A parameter's value: an object or place name, a number, or an ordinal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    Int(i64),
    Float(f64),
    Text(String),
}

impl ParamValue {
    /// The value as a Python literal.
    pub fn python(&self) -> String {
        match self {
            ParamValue::Int(i) => i.to_string(),
            ParamValue::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.1}"),
            ParamValue::Float(f) => format!("{f}"),
            ParamValue::Text(s) => py_str(s),
        }
    }

    /// The text, for names and places.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ParamValue::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The number, for numbers and ordinals.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            ParamValue::Int(i) => Some(*i as f64),
            ParamValue::Float(f) => Some(*f),
            ParamValue::Text(_) => None,
        }
    }
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Int(i) => write!(f, "{i}"),
            ParamValue::Float(x) => write!(f, "{x}"),
            ParamValue::Text(s) => f.write_str(s),
        }
    }
}

/// A task: a family's name and its parameters, e.g.
/// `block_in_bowl {"block": "red block", "bowl": "green bowl"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSpec {
    /// The family's name (`wand tasks` lists them).
    pub name: String,
    /// Parameters, from the instruction or drawn for a seed.
    #[serde(default)]
    pub params: BTreeMap<String, ParamValue>,
}

impl TaskSpec {
    /// A task of family `name` with text parameters.
    pub fn new(name: &str, params: &[(&str, &str)]) -> TaskSpec {
        TaskSpec {
            name: name.to_string(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), ParamValue::Text(v.to_string())))
                .collect(),
        }
    }

    /// The parameter `key`, if given.
    pub fn param(&self, key: &str) -> Option<&ParamValue> {
        self.params.get(key)
    }

    /// "block_in_bowl (block = red block, bowl = green bowl)".
    pub fn describe(&self) -> String {
        if self.params.is_empty() {
            return self.name.clone();
        }
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        format!("{} ({})", self.name, params.join(", "))
    }
}

/// One goal condition of a check, with why it holds or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub holds: bool,
    /// E.g. "red block is not inside green bowl: 0.21 m from its center".
    pub reason: String,
}

/// A verdict on an episode and, for feedback, why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Whether every goal condition holds (and the check itself worked).
    pub success: bool,
    /// The fraction of goal conditions that hold, in [0, 1] (partial credit).
    pub reward: f64,
    /// What is right or wrong, in words.
    pub reason: String,
    /// The goal conditions, as the check returned them.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Set when the check itself failed (raised, returned garbage): an error of the task,
    /// not of the program. Such a verdict is never a success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_error: Option<String>,
}

impl Verdict {
    /// A verdict from a judge other than a task check (a language model's yes or no).
    pub fn judged(success: bool, reason: impl Into<String>) -> Verdict {
        Verdict {
            success,
            reward: if success { 1.0 } else { 0.0 },
            reason: reason.into(),
            conditions: Vec::new(),
            task_error: None,
        }
    }

    /// The verdict for goal conditions: success when all hold.
    pub fn from_conditions(conditions: Vec<Condition>) -> Verdict {
        let held = conditions.iter().filter(|c| c.holds).count();
        let total = conditions.len();
        let success = total > 0 && held == total;
        let reason = if success {
            conditions
                .iter()
                .map(|c| c.reason.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            let failing: Vec<&str> = conditions
                .iter()
                .filter(|c| !c.holds)
                .map(|c| c.reason.as_str())
                .collect();
            format!(
                "{held} of {total} goal conditions hold; not yet: {}",
                failing.join("; ")
            )
        };
        Verdict {
            success,
            reward: if total == 0 {
                0.0
            } else {
                held as f64 / total as f64
            },
            reason,
            conditions,
            task_error: None,
        }
    }

    /// The verdict when the check itself failed.
    pub fn task_error(error: String) -> Verdict {
        Verdict {
            success: false,
            reward: 0.0,
            reason: format!("the task's check failed, so nothing was judged: {error}"),
            conditions: Vec::new(),
            task_error: Some(error),
        }
    }
}

/// What is wrong with a task file, a task, or its parameters.
#[derive(Debug, Error)]
pub enum TaskError {
    /// A task file that does not parse: file:line:column and the field.
    #[error(transparent)]
    Parse(#[from] wand_sim::SimError),
    /// A task file that parses but says something impossible.
    #[error("{file}:{line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    /// An unknown family, or parameters that do not fit it.
    #[error("{0}")]
    Spec(String),
}

/// A Python string literal for `text`.
pub fn py_str(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
