//! [`TaskCheck`]: one task's success check, ready to run — the family's Python check with
//! its parameters and tolerances — and the sandboxed run that turns its goal conditions
//! into a [`Verdict`].
//!
//! The check runs in monty like a program, with no primitives (it reads data, it moves
//! nothing), after the shared predicates of `scenes/tasks/predicates.py`. Its inputs are
//! `start` and `final` (each a [`SceneState`] as dicts), `tol` (the family's tolerances)
//! and each parameter by name; it must set `conditions`, a list made by the predicates.
//! Anything else — an exception, a missing or malformed `conditions` — is an error of the
//! task, reported with the task file's line, and never a pass.

use super::state::{SceneState, json_to_monty};
use super::{Condition, ParamValue, TaskSpec, Verdict};
use monty::MontyRun;
use monty_types::{
    CompileOptions, MontyException, MontyObject, PrintWriter, ResourceLimits, ResourceTracker,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// The shared predicates every check may use (the one definition of "on", "inside",
/// "near", "in a line", …), in Python.
pub const PREDICATES: &str = include_str!("../../../scenes/tasks/predicates.py");

/// The names a check may not use for parameters: its inputs and its result.
pub const RESERVED: [&str; 5] = ["start", "final", "tol", "conditions", "attempt"];

/// Seconds a check may compute.
const CHECK_TIMEOUT_S: f64 = 2.0;
/// The file name a check's traceback shows.
const CHECK_FILE: &str = "check.py";

/// The functions the shared predicates define (`def name(`), in file order.
pub fn predicate_names() -> Vec<&'static str> {
    PREDICATES
        .lines()
        .filter_map(|l| l.strip_prefix("def "))
        .filter_map(|rest| rest.split('(').next())
        .collect()
}

/// A task's check, self-contained (it crosses to the worker process with the episode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskCheck {
    /// The task: the family and its parameters.
    pub task: TaskSpec,
    /// The task file, for messages.
    pub source: String,
    /// The check's Python.
    pub code: String,
    /// The task file's line where the check's first line is.
    pub first_line: usize,
    /// The family's tolerances, by name.
    pub tolerances: BTreeMap<String, f64>,
}

impl TaskCheck {
    /// Judges an episode from its start and final states.
    pub fn judge(&self, start: &SceneState, end: &SceneState) -> Verdict {
        match self.conditions(start, end) {
            Ok(Outcome::Conditions(conditions)) => Verdict::from_conditions(conditions),
            Ok(Outcome::Skip(why)) => Verdict::task_error(format!(
                "task {} does not apply to this scene: {why}",
                self.task.describe()
            )),
            Err(error) => Verdict::task_error(error),
        }
    }

    /// Whether the task applies to the scene in `start` (its check does not answer
    /// `skip(...)` there): `Err` says why not, or what is wrong with the check.
    pub fn applies(&self, start: &SceneState) -> Result<(), String> {
        match self.conditions(start, start)? {
            Outcome::Conditions(_) => Ok(()),
            Outcome::Skip(why) => Err(why),
        }
    }

    /// Checks that the check compiles (with the predicates before it); an error has the
    /// task file's line, when known.
    pub fn compile(&self) -> Result<(), (Option<usize>, String)> {
        MontyRun::new(
            self.source(),
            CHECK_FILE,
            self.input_names(),
            CompileOptions::default(),
        )
        .map(|_| ())
        .map_err(|e| self.explain_at(&e))
    }

    fn source(&self) -> String {
        format!("{PREDICATES}\n{}\nconditions\n", self.code)
    }

    fn input_names(&self) -> Vec<String> {
        let mut names: Vec<String> = ["start", "final", "tol"].map(String::from).to_vec();
        names.extend(self.task.params.keys().cloned());
        names
    }

    fn runner(&self) -> Result<MontyRun, String> {
        MontyRun::new(
            self.source(),
            CHECK_FILE,
            self.input_names(),
            CompileOptions::default(),
        )
        .map_err(|e| self.explain(&e))
    }

    /// Runs the check; the goal conditions, or what went wrong with the check.
    pub fn conditions(&self, start: &SceneState, end: &SceneState) -> Result<Outcome, String> {
        let runner = self.runner()?;
        let tolerances = self
            .tolerances
            .iter()
            .map(|(k, v)| (MontyObject::String(k.clone()), MontyObject::Float(*v)))
            .collect::<Vec<_>>();
        let mut inputs = vec![
            start.to_monty(),
            end.to_monty(),
            MontyObject::dict(tolerances),
        ];
        inputs.extend(self.task.params.values().map(param_to_monty));
        let limits = ResourceLimits::default()
            .max_duration(Duration::from_secs_f64(CHECK_TIMEOUT_S))
            .max_memory(256 << 20)
            .max_recursion_depth(200);
        let mut printed = String::new();
        let value = runner
            .run(
                inputs,
                ResourceTracker::new(limits),
                PrintWriter::CollectString(&mut printed, Some(64 << 10)),
            )
            .map_err(|e| self.explain(&e))?;
        self.read_conditions(&value)
    }

    /// "the check of task 'x' raised ValueError in the predicate obj, called at
    /// scenes/tasks/x.toml line 31 (`…`): …".
    fn explain(&self, error: &MontyException) -> String {
        self.explain_at(error).1
    }

    /// The message, and the task file's line it points at, when known.
    fn explain_at(&self, error: &MontyException) -> (Option<usize>, String) {
        let prelude_lines = PREDICATES.lines().count() as u32 + 1;
        let frames = error.traceback();
        // The innermost frame in the check's own code, and the predicate it called.
        let check_frame = frames.iter().rposition(|f| f.start.line > prelude_lines);
        let in_check = check_frame.map(|i| frames[i].start.line - prelude_lines);
        let predicate = frames
            .get(check_frame.map_or(0, |i| i + 1))
            .filter(|f| f.start.line <= prelude_lines)
            .and_then(|f| f.frame_name.clone());
        let code_lines = self.code.lines().count() as u32;
        let kind = error.exc_type().to_string();
        let (line, place) = match in_check {
            Some(line) if line <= code_lines => {
                let text = self
                    .code
                    .lines()
                    .nth(line as usize - 1)
                    .unwrap_or("")
                    .trim();
                let file_line = self.first_line + line as usize - 1;
                let called = if predicate.is_some() { ", called" } else { "" };
                (
                    Some(file_line),
                    format!("{called} at {} line {file_line} (`{text}`)", self.source),
                )
            }
            // The appended `conditions` line: the check never set it.
            Some(_) if kind == "NameError" => {
                return (
                    None,
                    format!(
                        "the check of task '{}' ({}) did not set `conditions`; end it with \
                         `conditions = [...]`, a list of goal conditions made by the predicates \
                         (cond, on, inside, near, ...)",
                        self.task.name, self.source
                    ),
                );
            }
            _ => (None, format!(" in {}", self.source)),
        };
        let predicate = predicate.map_or(String::new(), |p| format!(" in the predicate {p}"));
        (
            line,
            format!(
                "the check of task '{}' raised {kind}{predicate}{place}: {}",
                self.task.name,
                error.message().unwrap_or_default()
            ),
        )
    }

    fn read_conditions(&self, value: &MontyObject) -> Result<Outcome, String> {
        let garbage = |what: String| {
            format!(
                "the check of task '{}' ({}) returned {what}; `conditions` must be a non-empty \
                 list of goal conditions made by the predicates (cond(holds, reason), on, \
                 inside, near, ...)",
                self.task.name, self.source
            )
        };
        if let Some(why) = skip_reason(value) {
            return Ok(Outcome::Skip(why));
        }
        let items = match value {
            MontyObject::List(items) | MontyObject::Tuple(items) => items,
            other => return Err(garbage(format!("a {}", other.type_name()))),
        };
        if items.is_empty() {
            return Err(garbage("an empty list".into()));
        }
        if let Some(why) = items.iter().find_map(skip_reason) {
            return Ok(Outcome::Skip(why));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let MontyObject::Dict(pairs) = item else {
                    return Err(garbage(format!(
                        "a {} at conditions[{i}]",
                        item.type_name()
                    )));
                };
                let field = |key: &str| {
                    pairs
                        .iter()
                        .find(|(k, _)| matches!(k, MontyObject::String(s) if s == key))
                        .map(|(_, v)| v)
                };
                match (field("holds"), field("reason")) {
                    (Some(MontyObject::Bool(holds)), Some(MontyObject::String(reason))) => {
                        Ok(Condition {
                            holds: *holds,
                            reason: reason.clone(),
                        })
                    }
                    _ => Err(garbage(format!(
                        "a dict without a bool 'holds' and a str 'reason' at conditions[{i}]"
                    ))),
                }
            })
            .collect::<Result<Vec<_>, String>>()
            .map(Outcome::Conditions)
    }
}

/// What a check that ran answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Goal conditions.
    Conditions(Vec<Condition>),
    /// `skip(reason)`: the task does not apply to this scene.
    Skip(String),
}

/// The reason of a `skip(reason)` value.
fn skip_reason(value: &MontyObject) -> Option<String> {
    let MontyObject::Dict(pairs) = value else {
        return None;
    };
    pairs.iter().find_map(|(k, v)| match (k, v) {
        (MontyObject::String(k), MontyObject::String(v)) if k == "skip" => Some(v.clone()),
        _ => None,
    })
}

fn param_to_monty(value: &ParamValue) -> MontyObject {
    json_to_monty(&serde_json::to_value(value).expect("a parameter serializes"))
}
