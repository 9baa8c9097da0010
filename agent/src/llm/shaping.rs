//! Per-model request shaping for OpenAI-compatible servers, in one table: which field
//! limits the reply's length and whether a temperature may be sent. OpenAI's reasoning
//! models (o1, o3, o4, gpt-5) answer HTTP 400 to `max_tokens` and to a temperature other
//! than 1; everything else keeps `max_tokens` and `temperature`.
//!
//! Servers the table does not know (a proxy, a new model) are adapted to: when one answers
//! 400 "unsupported parameter" for a field wand can rename or drop, [`RequestShape::adapt`]
//! gives the shape without it, which the provider keeps for the rest of the run.

use super::{ChatRequest, Message};
use serde_json::{Value, json};

/// The field that limits the reply's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenLimit {
    /// `max_tokens`: chat models and most OpenAI-compatible servers.
    MaxTokens,
    /// `max_completion_tokens`: OpenAI's reasoning models (reasoning counts against it).
    MaxCompletionTokens,
}

impl TokenLimit {
    /// The field's name on the wire.
    pub fn field(self) -> &'static str {
        match self {
            TokenLimit::MaxTokens => "max_tokens",
            TokenLimit::MaxCompletionTokens => "max_completion_tokens",
        }
    }
}

/// How a request to one model is shaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestShape {
    pub token_limit: TokenLimit,
    /// Whether `temperature` is sent (reasoning models accept only their default).
    pub temperature: bool,
    /// Whether `reasoning_effort` is sent when the request has one.
    pub reasoning_effort: bool,
    /// Whether a streamed request asks for a final usage chunk (`stream_options`).
    pub stream_usage: bool,
}

/// Chat models and OpenAI-compatible servers.
const CHAT: RequestShape = RequestShape {
    token_limit: TokenLimit::MaxTokens,
    temperature: true,
    reasoning_effort: true,
    stream_usage: true,
};

/// OpenAI's reasoning models.
const REASONING: RequestShape = RequestShape {
    token_limit: TokenLimit::MaxCompletionTokens,
    temperature: false,
    reasoning_effort: true,
    stream_usage: true,
};

/// Model families by name prefix (the longest match wins); a prefix matches a whole name
/// or one followed by `-`, `.` or `:` (`o3` matches `o3-mini`, not `o3x`). Names not here
/// get [`CHAT`].
const SHAPES: &[(&str, RequestShape)] = &[
    ("o1", REASONING),
    ("o3", REASONING),
    ("o4", REASONING),
    ("gpt-5", REASONING),
];

impl RequestShape {
    /// The shape for `model`: a bare name (`o3-mini`) or an OpenRouter `vendor/model` one.
    ///
    /// ```
    /// use wand_agent::llm::shaping::{RequestShape, TokenLimit};
    /// assert_eq!(RequestShape::for_model("o3-mini").token_limit, TokenLimit::MaxCompletionTokens);
    /// assert!(!RequestShape::for_model("openai/gpt-5-mini").temperature);
    /// assert!(RequestShape::for_model("gpt-4o-mini").temperature);
    /// assert!(RequestShape::for_model("o1x").temperature);
    /// ```
    pub fn for_model(model: &str) -> RequestShape {
        let bare = model.rsplit('/').next().unwrap_or(model);
        SHAPES
            .iter()
            .filter(|(prefix, _)| {
                bare.strip_prefix(prefix)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '.', ':']))
            })
            .max_by_key(|(prefix, _)| prefix.len())
            .map_or(CHAT, |&(_, shape)| shape)
    }

    /// The chat-completions body for `request` to `model`.
    pub fn body(&self, model: &str, request: &ChatRequest, stream: bool) -> Value {
        let messages: &[Message] = &request.messages;
        let mut body = json!({ "model": model, "messages": messages });
        body[self.token_limit.field()] = json!(request.max_tokens);
        if self.temperature {
            body["temperature"] = json!(request.temperature);
        }
        if let (true, Some(effort)) = (self.reasoning_effort, request.reasoning_effort) {
            body["reasoning_effort"] = json!(effort);
        }
        if stream {
            body["stream"] = json!(true);
            if self.stream_usage {
                // Without this, OpenAI sends no token counts when streaming.
                body["stream_options"] = json!({"include_usage": true});
            }
        }
        body
    }

    /// The shape without `parameter`, which a server refused, and what changed (for the
    /// transcript); `None` when wand cannot do without it or already did.
    pub fn adapt(&self, parameter: &str) -> Option<(RequestShape, String)> {
        let mut next = *self;
        let change = match parameter {
            "max_tokens" if self.token_limit == TokenLimit::MaxTokens => {
                next.token_limit = TokenLimit::MaxCompletionTokens;
                "sends max_completion_tokens instead of max_tokens"
            }
            "max_completion_tokens" if self.token_limit == TokenLimit::MaxCompletionTokens => {
                next.token_limit = TokenLimit::MaxTokens;
                "sends max_tokens instead of max_completion_tokens"
            }
            "temperature" if self.temperature => {
                next.temperature = false;
                "sends no temperature (the model's default)"
            }
            "reasoning_effort" if self.reasoning_effort => {
                next.reasoning_effort = false;
                "sends no reasoning_effort"
            }
            "stream_options" if self.stream_usage => {
                next.stream_usage = false;
                "sends no stream_options (token counts may be estimated)"
            }
            _ => return None,
        };
        Some((
            next,
            format!("the server refused '{parameter}': from now on this run {change}"),
        ))
    }
}

/// The parameter a 400 body says the server does not support, from OpenAI's error shape
/// (`{"error": {"param": "max_tokens", "code": "unsupported_parameter", …}}`, or
/// `unsupported_value`), or from a message that begins "Unsupported parameter: 'x'".
pub fn rejected_parameter(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let error = value.get("error")?;
    let code = error.get("code").and_then(Value::as_str).unwrap_or("");
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    let param = error.get("param").and_then(Value::as_str);
    if let (Some(param), "unsupported_parameter" | "unsupported_value") = (param, code) {
        return Some(param.to_string());
    }
    ["Unsupported parameter: '", "Unsupported value: '"]
        .iter()
        .find_map(|lead| message.split_once(lead))
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(name, _)| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_knows_the_reasoning_families() {
        for name in [
            "o1",
            "o1-mini",
            "o3-mini",
            "o3-pro",
            "o4-mini",
            "gpt-5",
            "gpt-5-mini",
        ] {
            assert_eq!(RequestShape::for_model(name), REASONING, "{name}");
        }
        for name in [
            "gpt-4o",
            "gpt-4.1-mini",
            "qwen2.5-coder:7b",
            "gpt-oss:20b",
            "o1x",
        ] {
            assert_eq!(RequestShape::for_model(name), CHAT, "{name}");
        }
    }

    #[test]
    fn each_parameter_is_adapted_once() {
        let (shape, note) = CHAT.adapt("max_tokens").unwrap();
        assert_eq!(shape.token_limit, TokenLimit::MaxCompletionTokens);
        assert!(note.contains("max_completion_tokens"), "{note}");
        let (shape, _) = shape.adapt("temperature").unwrap();
        assert!(!shape.temperature);
        assert_eq!(shape.adapt("temperature"), None);
        assert_eq!(shape.adapt("messages"), None);
    }

    #[test]
    fn openai_error_bodies_name_the_parameter() {
        let body = r#"{"error": {"message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", "type": "invalid_request_error", "param": "max_tokens", "code": "unsupported_parameter"}}"#;
        assert_eq!(rejected_parameter(body).as_deref(), Some("max_tokens"));
        let proxy = r#"{"error": {"message": "Unsupported value: 'temperature' does not support 0 with this model."}}"#;
        assert_eq!(rejected_parameter(proxy).as_deref(), Some("temperature"));
        let other = r#"{"error": {"message": "context too long", "param": "messages", "code": "context_length_exceeded"}}"#;
        assert_eq!(rejected_parameter(other), None);
    }
}
