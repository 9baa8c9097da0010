//! [`BuiltinPlanner`]: an offline, deterministic program writer for the task families. It
//! is NOT a language model: it answers like one so that every demo, test and CI run works
//! without a key or a network.
//!
//! It matches the instruction against the families' templates (from the task files,
//! [`TaskSet::match_instruction`]), and answers with that family's reference program,
//! parameters filled in. When nothing matches it writes no program and says what it can
//! do (the family summaries): the run fails.
//!
//! The contract with the prompt: the task's user message holds a line
//! `Instruction: <text>` and a line `Objects: <name>, <name>, …` listing the names as
//! `get_obj_names()` does. It is the last user message with both (else the last with an
//! `Instruction:` line, else the last user message, read whole as the instruction).
//! Without an `Objects:` line any "<color> block/bowl" name is taken. Each assistant reply
//! after the task message (a failed attempt and its feedback) raises the reference
//! program's `attempt`, which some programs vary on (a different order, base or place).

use super::{ChatRequest, ChatResponse, LanguageModel, Pending, Role};
use wand_primitives::task::{TaskSet, TaskSpec};
use wand_sim::{Color, Kind};

/// The builtin planner (`--llm builtin`): templates and reference programs, not a
/// language model.
#[derive(Debug, Clone)]
pub struct BuiltinPlanner {
    tasks: TaskSet,
}

impl Default for BuiltinPlanner {
    fn default() -> Self {
        BuiltinPlanner::new()
    }
}

impl BuiltinPlanner {
    /// A planner for the shipped task families.
    pub fn new() -> BuiltinPlanner {
        BuiltinPlanner::with_tasks(TaskSet::shipped())
    }

    /// A planner for these families (the shipped ones and any from `--tasks-dir`). It
    /// holds no other state: every call with the same request answers the same.
    pub fn with_tasks(tasks: TaskSet) -> BuiltinPlanner {
        BuiltinPlanner { tasks }
    }
}

impl LanguageModel for BuiltinPlanner {
    fn name(&self) -> String {
        "builtin".into()
    }

    fn is_language_model(&self) -> bool {
        false
    }

    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
        // Offline and quick: the answer is ready when the future is first polled.
        Box::pin(async move {
            let text = reply(&read_request(request), &self.tasks);
            Ok(ChatResponse::offline(request, text))
        })
    }
}

/// What the planner reads from a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannerInput {
    /// The instruction (empty when there is none).
    pub instruction: String,
    /// The scene's object names, when the request lists them.
    pub objects: Option<Vec<String>>,
    /// How many replies came after the task message: 0 for a first attempt.
    pub attempt: usize,
}

/// Finds the instruction, the objects and the attempt number in a request.
pub fn read_request(request: &ChatRequest) -> PlannerInput {
    let messages = &request.messages;
    let has = |content: &str, key: &str| content.lines().any(|l| field(l, key).is_some());
    let user_with = |key: &str| {
        messages.iter().rposition(|m| {
            m.role == Role::User && has(&m.content, "instruction") && has(&m.content, key)
        })
    };
    // The task message describes the scene; feedback may repeat the instruction without it.
    let task_index = user_with("objects")
        .or_else(|| user_with("instruction"))
        .or_else(|| messages.iter().rposition(|m| m.role == Role::User));
    let Some(index) = task_index else {
        return PlannerInput {
            instruction: String::new(),
            objects: None,
            attempt: 0,
        };
    };
    let content = &messages[index].content;
    let lines: Vec<&str> = content.lines().collect();
    let instruction = match lines
        .iter()
        .rposition(|l| field(l, "instruction").is_some())
    {
        Some(i) => {
            let value = field(lines[i], "instruction").unwrap_or_default();
            if value.is_empty() {
                // The instruction on the line below its label.
                lines[i + 1..]
                    .iter()
                    .map(|l| l.trim())
                    .find(|l| !l.is_empty())
                    .unwrap_or_default()
                    .to_string()
            } else {
                value
            }
        }
        None => content.trim().to_string(),
    };
    let objects = lines
        .iter()
        .rposition(|l| field(l, "objects").is_some())
        .map(|i| parse_objects(&lines[i..]));
    let attempt = messages[index..]
        .iter()
        .filter(|m| m.role == Role::Assistant)
        .count();
    PlannerInput {
        instruction: instruction
            .trim_matches(|c: char| c == '"' || c == '\'' || c == '`' || c.is_whitespace())
            .to_string(),
        objects,
        attempt,
    }
}

/// The value of a `Key: value` line (markdown emphasis and list marks allowed), if the
/// line has that key.
fn field(line: &str, key: &str) -> Option<String> {
    let line = line.trim_start_matches(|c: char| c.is_whitespace() || "#*->_".contains(c));
    let (label, value) = line.split_once(':')?;
    let label = label.trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
    label
        .eq_ignore_ascii_case(key)
        .then(|| value.trim_start_matches(['*', '_']).trim().to_string())
}

/// Object names from an `Objects:` line (and the lines after it while it ends in a comma).
fn parse_objects(lines: &[&str]) -> Vec<String> {
    let mut text = field(lines[0], "objects").unwrap_or_default();
    for line in &lines[1..] {
        if !text.trim_end().ends_with(',') {
            break;
        }
        text.push(' ');
        text.push_str(line.trim());
    }
    text.split(',')
        .map(|item| {
            item.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|item| !item.is_empty() && item != "none")
        .collect()
}

/// Every name an object can have ("red block", …, "gray bowl"): what the instruction is
/// matched against when the request does not list the scene's objects.
pub fn all_object_names() -> Vec<String> {
    [Kind::Block, Kind::Bowl]
        .iter()
        .flat_map(|k| {
            Color::ALL
                .iter()
                .map(move |c| format!("{} {}", c.name(), k.name()))
        })
        .collect()
}

/// The reply for what was read: a sentence saying what the planner does, and a program.
pub fn reply(input: &PlannerInput, tasks: &TaskSet) -> String {
    let names = input.objects.clone().unwrap_or_else(all_object_names);
    let matched = tasks.match_instruction(&input.instruction, &names);
    let Some((task, family)) = matched.and_then(|t| tasks.get(&t.name).ok().map(|f| (t, f))) else {
        return cannot(input, tasks);
    };
    let program = family.reference_program(&task, input.attempt);
    let retry = match input.attempt {
        0 => String::new(),
        n => format!(" Attempt {}: the reference program's variant {n}.", n + 1),
    };
    format!(
        "builtin planner (rule-based, not a language model): the instruction reads as task `{}`.{retry}\n\n```python\n{program}```\n",
        task.describe()
    )
}

/// The reply when no task family matches: why, what it can do, and no program (the run
/// fails).
fn cannot(input: &PlannerInput, tasks: &TaskSet) -> String {
    let instruction = input.instruction.trim();
    let why = if instruction.is_empty() {
        "I found no instruction to carry out".to_string()
    } else if let Some((names, missing)) = missing_objects(input, tasks) {
        format!(
            "I cannot do '{instruction}': there is no {} here (the objects are: {})",
            missing.join(" or "),
            names.join(", ")
        )
    } else {
        format!(
            "I cannot do '{instruction}': it matches none of the task templates I know, \
             and I only carry out those"
        )
    };
    format!(
        "builtin planner (rule-based, not a language model): {why}. What I can do:\n{}",
        tasks.summaries()
    )
}

/// The scene's names and the ones the instruction asks for that the scene lacks, when
/// that is why it does not match.
fn missing_objects(input: &PlannerInput, tasks: &TaskSet) -> Option<(Vec<String>, Vec<String>)> {
    let names = input.objects.clone()?;
    let task: TaskSpec = tasks.match_instruction(&input.instruction, &all_object_names())?;
    let missing: Vec<String> = task
        .params
        .values()
        .filter_map(|v| v.as_text())
        .filter(|v| v.ends_with("block") || v.ends_with("bowl"))
        .filter(|v| !names.iter().any(|n| n == v))
        .map(String::from)
        .collect();
    (!missing.is_empty()).then_some((names, missing))
}
