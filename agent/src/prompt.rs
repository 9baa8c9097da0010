//! The prompt: system text, the API reference generated from the primitive registry,
//! few-shot examples, a description of the scene, and the instruction. The texts live in
//! files under agent/prompts/ (compiled in); every example is run by a test.

use crate::llm::Message;
use wand_sim::World;

/// The system text.
pub const SYSTEM: &str = include_str!("../prompts/system.md");

/// A few-shot example: an instruction and the program that carries it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// File name, for messages.
    pub file: &'static str,
    pub instruction: String,
    /// The scene the example is written for (its objects are named in the prompt).
    pub scene: String,
    /// The program, without its header.
    pub program: String,
}

const EXAMPLE_FILES: [(&str, &str); 3] = [
    (
        "put_in_bowl.py",
        include_str!("../prompts/examples/put_in_bowl.py"),
    ),
    (
        "stack_on.py",
        include_str!("../prompts/examples/stack_on.py"),
    ),
    ("corner.py", include_str!("../prompts/examples/corner.py")),
];

/// The few-shot examples, parsed from their files' `# instruction:` / `# scene:` headers.
pub fn examples() -> Vec<Example> {
    EXAMPLE_FILES
        .iter()
        .map(|(file, text)| {
            let header = |key: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(&format!("# {key}: ")))
                    .unwrap_or_else(|| panic!("prompts/examples/{file} lacks '# {key}:'"))
                    .trim()
                    .to_string()
            };
            let program = text
                .lines()
                .skip_while(|l| l.starts_with("# instruction:") || l.starts_with("# scene:"))
                .collect::<Vec<_>>()
                .join("\n");
            Example {
                file,
                instruction: header("instruction"),
                scene: header("scene"),
                program,
            }
        })
        .collect()
}

/// What the model is told about the scene: the objects (names, kinds, positions) and the
/// table. The `Objects:` line lists the names as `get_obj_names()` does.
pub fn describe_scene(world: &World, table_bounds: [[f32; 2]; 2]) -> String {
    let names = world.object_names();
    let mut text = format!("Objects: {}\n", names.join(", "));
    for name in &names {
        if let Ok(p) = world.object_position(name) {
            text.push_str(&format!(
                "- {name} at [{:.3}, {:.3}, {:.3}]\n",
                p.x, p.y, p.z
            ));
        }
    }
    let [[x0, y0], [x1, y1]] = table_bounds;
    text.push_str(&format!(
        "Table: x from {x0:.2} (near the robot) to {x1:.2} (far), y from {y0:.2} (right) to {y1:.2} (left), surface z = 0.\n"
    ));
    text
}

/// The user message that asks for a program: the scene, the skills offered (if any,
/// [`crate::skills::prompt_section`]), the instruction.
pub fn task_message(scene_description: &str, skills: &str, instruction: &str) -> String {
    let skills = if skills.is_empty() {
        String::new()
    } else {
        format!("\n{skills}")
    };
    format!("{scene_description}{skills}\nInstruction: {instruction}\n")
}

/// The opening conversation: system text with the API, the examples, then the task (with
/// the skills offered, `skills` — empty for none).
pub fn initial_messages(
    api_reference: &str,
    scene_description: &str,
    skills: &str,
    instruction: &str,
) -> Vec<Message> {
    let mut messages = vec![Message::system(format!(
        "{SYSTEM}\n# The primitives\n\n{api_reference}"
    ))];
    for example in examples() {
        messages.push(Message::user(format!(
            "(an example, for the `{}` scene)\nInstruction: {}\n",
            example.scene, example.instruction
        )));
        messages.push(Message::assistant(format!(
            "```python\n{}\n```",
            example.program.trim_end()
        )));
    }
    messages.push(Message::user(task_message(
        scene_description,
        skills,
        instruction,
    )));
    messages
}
