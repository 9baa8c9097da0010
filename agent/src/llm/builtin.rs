//! [`BuiltinPlanner`]: an offline, deterministic, rule-based program writer for the
//! shipped task families. It is NOT a language model: it answers like one so that every
//! demo, test and CI run works without a key or a network.
//!
//! The contract with the prompt: the task's user message holds a line
//! `Instruction: <text>` and a line `Objects: <name>, <name>, …` listing the names as
//! `get_obj_names()` does. It is the last user message with both (else the last with an
//! `Instruction:` line, else the last user message, read whole as the instruction). The
//! instruction is matched to a task family by [`wand_primitives::task::match_with_names`];
//! the reply is a sentence and a fenced python block. Without an `Objects:` line the
//! programs find the objects at run time. Each assistant reply after the task message
//! (a failed attempt and its feedback) makes the next program vary deterministically: a
//! different order, base or place.

use super::{ChatRequest, ChatResponse, LanguageModel, LlmError, Role};
use wand_primitives::task::{TaskSpec, all_object_names, match_with_names};

/// The builtin planner (`--llm builtin`): rules and templates, not a language model.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuiltinPlanner;

impl BuiltinPlanner {
    /// A planner; it holds no state, so every call with the same request answers the same.
    pub fn new() -> BuiltinPlanner {
        BuiltinPlanner
    }
}

impl LanguageModel for BuiltinPlanner {
    fn name(&self) -> String {
        "builtin".into()
    }

    fn is_language_model(&self) -> bool {
        false
    }

    fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let text = reply(&read_request(request));
        Ok(ChatResponse::offline(request, text))
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

/// The reply for what was read: a sentence saying what the planner does, and a program.
pub fn reply(input: &PlannerInput) -> String {
    let names = input.objects.clone().unwrap_or_else(all_object_names);
    let Some(task) = match_with_names(&input.instruction, &names) else {
        return cannot(input);
    };
    let (program, how) = program_for(&task, input.attempt);
    let params: Vec<String> = task
        .params
        .iter()
        .filter(|(k, _)| *k != "point")
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    let about = if params.is_empty() {
        format!("task `{}`", task.name)
    } else {
        format!("task `{}` ({})", task.name, params.join(", "))
    };
    let retry = match input.attempt {
        0 => String::new(),
        n => format!(" Attempt {}: {how}.", n + 1),
    };
    format!(
        "builtin planner (rule-based, not a language model): the instruction reads as {about}.{retry}\n\n```python\n{program}```\n"
    )
}

/// The reply when no task family matches: why, and no program (the run fails).
fn cannot(input: &PlannerInput) -> String {
    let instruction = input.instruction.trim();
    let why = if instruction.is_empty() {
        "I found no instruction to carry out".to_string()
    } else if let Some((names, missing)) = missing_objects(input) {
        format!(
            "I cannot do '{instruction}': there is no {} here (the objects are: {})",
            missing.join(" or "),
            names.join(", ")
        )
    } else {
        format!(
            "I cannot do '{instruction}': the builtin planner only knows how to put the blocks \
             in the bowls of their colors, stack all the blocks, and put one object in a bowl, \
             on a block, or at a corner, a side or the middle"
        )
    };
    format!(
        "builtin planner (rule-based, not a language model): {why}. Rephrase it like \
         \"put the blocks in the bowls with matching colors\", \"stack all the blocks\", \
         \"put the red block in the green bowl\" or \"put the red block in the top left \
         corner\"."
    )
}

/// The scene's names and the ones the instruction asks for that the scene lacks, when
/// that is why it does not match.
fn missing_objects(input: &PlannerInput) -> Option<(Vec<String>, Vec<String>)> {
    let names = input.objects.clone()?;
    let task = match_with_names(&input.instruction, &all_object_names())?;
    let missing: Vec<String> = ["object", "target"]
        .iter()
        .filter_map(|k| task.param(k))
        .filter(|v| v.ends_with("block") || v.ends_with("bowl"))
        .filter(|v| !names.iter().any(|n| n == v))
        .map(String::from)
        .collect();
    (!missing.is_empty()).then_some((names, missing))
}

/// A Python string literal for `text`.
fn py_str(text: &str) -> String {
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

/// The program for a task, varied by the attempt number, and how it varies.
fn program_for(task: &TaskSpec, attempt: usize) -> (String, String) {
    let param = |key: &str| task.param(key).unwrap_or_default();
    match task.name.as_str() {
        "matching_bowls" => matching_bowls(attempt),
        "stack_all" => stack_all(attempt),
        "corner" | "side" => region(param("object"), &task.name, attempt),
        _ => {
            let (object, target) = (param("object"), param("target"));
            if target.ends_with("block") || target.ends_with("bowl") {
                onto(object, target, attempt)
            } else {
                to_location(object, target, attempt)
            }
        }
    }
}

fn matching_bowls(attempt: usize) -> (String, String) {
    let reverse = !attempt.is_multiple_of(2);
    let order = if reverse {
        "blocks = sorted(blocks, reverse=True)\n"
    } else {
        ""
    };
    let program = format!(
        r#"# Put each block into the bowl of the same color, where there is one.
names = get_obj_names()
blocks = [n for n in names if get_obj_kind(n) == "block"]
{order}moved = 0
for block in blocks:
    bowl = f"{{get_obj_color(block)}} bowl"
    if bowl in names:
        put_first_on_second(block, bowl)
        moved += 1
if moved == 0:
    say("No block has a bowl of its color.")
else:
    say(f"Put {{moved}} blocks in the bowls of their colors.")
go_home()
"#
    );
    let how = if reverse {
        "the blocks in reverse order"
    } else {
        "the blocks in name order"
    };
    (program, how.into())
}

fn stack_all(attempt: usize) -> (String, String) {
    let program = format!(
        r#"# Stack every block into one tower, on the block nearest the middle of the table
# (or, on a later attempt, the next nearest).
middle = get_location("middle")
blocks = [n for n in get_obj_names() if get_obj_kind(n) == "block"]
if len(blocks) < 2:
    say("There is nothing to stack.")
else:
    # Primitives cannot run inside a sort key: compute the distances first.
    by_distance = sorted([(dist(get_obj_pos(n), middle), n) for n in blocks])
    order = [n for _, n in by_distance]
    shift = {attempt} % len(order)
    order = order[shift:] + order[:shift]
    top = order[0]
    for name in order[1:]:
        put_first_on_second(name, top)
        top = name
    say(f"Stacked {{len(blocks)}} blocks on the {{order[0]}}.")
go_home()
"#
    );
    let how = format!(
        "the tower's base is the block {} nearest the middle",
        ordinal(attempt)
    );
    (program, how)
}

fn onto(object: &str, target: &str, attempt: usize) -> (String, String) {
    let (o, t) = (py_str(object), py_str(target));
    let done = if target.ends_with("bowl") {
        py_str(&format!("The {object} is in the {target}."))
    } else {
        py_str(&format!("The {object} is on the {target}."))
    };
    if attempt.is_multiple_of(2) {
        let program = format!("put_first_on_second({o}, {t})\nsay({done})\ngo_home()\n");
        (program, "put_first_on_second".into())
    } else {
        let program = format!(
            "# Pick it, then set it down over the target's center.\npick({o})\nplace(get_obj_pos({t})[:2])\nsay({done})\ngo_home()\n"
        );
        (program, "pick, then place over the target's center".into())
    }
}

fn to_location(object: &str, location: &str, attempt: usize) -> (String, String) {
    let (o, l) = (py_str(object), py_str(location));
    let done = py_str(&format!("The {object} is at the {location}."));
    let program = if attempt.is_multiple_of(2) {
        format!("pick({o})\nplace(get_location({l}))\nsay({done})\ngo_home()\n")
    } else {
        // Set it down 2 cm toward the middle, still within the check's 5 cm, in case
        // something at the very edge was in the way.
        format!(
            "spot = get_location({l})\nmiddle = get_location(\"middle\")\ntoward = sub(middle, spot)\nlength = dist(middle, spot)\nif length > 0:\n    spot = add(spot, scale(toward, 0.02 / length))\npick({o})\nplace(spot)\nsay({done})\ngo_home()\n"
        )
    };
    let how = if attempt.is_multiple_of(2) {
        "exactly at the named place"
    } else {
        "2 cm from the named place toward the middle"
    };
    (program, how.into())
}

fn region(object: &str, kind: &str, attempt: usize) -> (String, String) {
    let places = if kind == "corner" {
        r#"["top left corner", "top right corner", "bottom left corner", "bottom right corner"]"#
    } else {
        r#"["top side", "bottom side", "left side", "right side"]"#
    };
    let o = py_str(object);
    let program = format!(
        r#"# Put the {object} at the {kind} with the most room around it.
obj = {o}
others = [get_obj_pos(n) for n in get_obj_names() if n != obj]
places = {places}


def clearance(place_name):
    spot = get_location(place_name)
    if len(others) == 0:
        return 1.0
    return min([dist(spot, other) for other in others])


ranked = sorted([(clearance(p), p) for p in places], reverse=True)
best = ranked[{attempt} % len(ranked)][1]
pick(obj)
place(get_location(best))
say(f"The {{obj}} is at the {{best}}.")
go_home()
"#
    );
    let how = format!("the {kind} with the {} most room", ordinal(attempt));
    (program, how)
}

fn ordinal(n: usize) -> &'static str {
    ["", "2nd", "3rd", "4th"].get(n).copied().unwrap_or("next")
}
