//! Talking: `say` records a line for the person watching (transcript, viewer).

use crate::error::PyError;
use crate::registry::{Args, Category, Level, Primitive, req};
use crate::session::Session;
use crate::value::Value;

/// Longest line `say` keeps, in characters.
const SAY_MAX_CHARS: usize = 1000;

pub const SAY: Primitive = Primitive {
    name: "say",
    params: &[req("text")],
    returns: "None",
    category: Category::Talking,
    level: Level::Low,
    doc: "Says a line to the person watching: it is recorded in the result and shown in the \
          viewer. Use print for debugging output.",
    example: "say('All blocks are stacked.')",
    handler: say,
};

fn say(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let text = match args.get(0) {
        Some(Value::Str(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "None".to_string(),
    };
    let text: String = text.chars().take(SAY_MAX_CHARS).collect();
    session.note(wand_sim::recording::What::Say(text.clone()));
    session.said.push(text);
    Ok(Value::None)
}
