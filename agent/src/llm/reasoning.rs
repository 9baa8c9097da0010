//! Reasoning kept apart from the answer. Thinking models put their reasoning in a field
//! of its own (`reasoning_content`, `reasoning`, Anthropic `thinking` blocks) or inline in
//! the content as `<think>…</think>` (Ollama without a reasoning parser, vLLM without
//! `--reasoning-parser`, llama.cpp with `--reasoning-format none`, R1 distills). A draft
//! inside the thinking is not the program: only the answer is searched for code.

const OPEN: &str = "<think>";
const CLOSE: &str = "</think>";

/// The answer and the inline reasoning of `content`: every `<think>…</think>` span goes
/// to the reasoning; an unterminated `<think>` takes the rest (the model was cut off while
/// thinking); a `</think>` with no opening tag (the chat template opened it in the
/// prompt) ends reasoning that began the content.
///
/// ```
/// use wand_agent::llm::reasoning::split_inline;
/// let (answer, reasoning) = split_inline("<think>try pick()</think>\n```python\nsay('hi')\n```");
/// assert_eq!(answer, "```python\nsay('hi')\n```");
/// assert_eq!(reasoning.as_deref(), Some("try pick()"));
/// assert_eq!(split_inline("<think>still going").0, "");
/// ```
pub fn split_inline(content: &str) -> (String, Option<String>) {
    let mut answer = String::new();
    let mut thoughts: Vec<&str> = Vec::new();
    let mut rest = content;
    // A closing tag before any opening one: the content began inside the reasoning.
    if let Some(close) = rest.find(CLOSE)
        && rest.find(OPEN).is_none_or(|open| open > close)
    {
        thoughts.push(&rest[..close]);
        rest = &rest[close + CLOSE.len()..];
    }
    while let Some(open) = rest.find(OPEN) {
        answer.push_str(&rest[..open]);
        let inside = &rest[open + OPEN.len()..];
        match inside.find(CLOSE) {
            Some(close) => {
                thoughts.push(&inside[..close]);
                rest = &inside[close + CLOSE.len()..];
            }
            None => {
                thoughts.push(inside);
                rest = "";
            }
        }
    }
    if thoughts.is_empty() {
        return (content.to_string(), None);
    }
    answer.push_str(rest);
    let reasoning: Vec<&str> = thoughts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    (
        answer.trim().to_string(),
        (!reasoning.is_empty()).then(|| reasoning.join("\n\n")),
    )
}

/// Reasoning from a separate field and from inline tags, joined; `None` when there is none.
pub fn join(field: Option<String>, inline: Option<String>) -> Option<String> {
    let parts: Vec<String> = [field, inline]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_without_tags_is_all_answer() {
        assert_eq!(split_inline("say('hi')"), ("say('hi')".into(), None));
    }

    #[test]
    fn a_closing_tag_alone_ends_reasoning_that_began_the_content() {
        let (answer, reasoning) = split_inline("draft: pick('x')\n</think>\nsay('ok')");
        assert_eq!(answer, "say('ok')");
        assert_eq!(reasoning.as_deref(), Some("draft: pick('x')"));
    }

    #[test]
    fn every_span_is_reasoning_and_an_unterminated_one_takes_the_rest() {
        let (answer, reasoning) = split_inline("<think>a</think>one <think>b</think>two<think>c");
        assert_eq!(answer, "one two");
        assert_eq!(reasoning.as_deref(), Some("a\n\nb\n\nc"));
        let (answer, reasoning) = split_inline("  <think>\n```python\npick('x')\n```");
        assert_eq!(answer, "");
        assert_eq!(reasoning.as_deref(), Some("```python\npick('x')\n```"));
    }

    #[test]
    fn empty_thinking_is_no_reasoning() {
        assert_eq!(split_inline("<think>\n</think>\nok"), ("ok".into(), None));
    }
}
