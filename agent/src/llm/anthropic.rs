//! [`AnthropicModel`]: the Anthropic messages API (`POST {base_url}/v1/messages`).
//! System messages go in the top-level `system` field; the reply is the text of its
//! `text` content blocks, and its `thinking` blocks are the reasoning. With `--stream` the
//! reply comes as server-sent events (`message_start`, `content_block_start/delta/stop`
//! with text and thinking deltas, `message_delta` with the usage, `message_stop`, and an
//! `error` event when the server fails mid-stream); with a thinking budget the model
//! thinks first (extended thinking).

use super::http::{
    Advice, Refusal, endpoint, http_client, malformed, prefix, read_events,
    response as chat_response, retry_after_s, status_error, transport_error, usage_from,
};
use super::spec::ModelOptions;
use super::{ChatRequest, ChatResponse, LanguageModel, LlmError, Pending, Role, Usage};
use serde_json::{Value, json};
use std::time::Instant;

/// Anthropic's endpoint (without the `/v1`).
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// Where the key is read from unless `--api-key-env` names another variable.
pub const DEFAULT_KEY_ENV: &str = "ANTHROPIC_API_KEY";
/// The API version this module speaks.
pub const API_VERSION: &str = "2023-06-01";
const PROVIDER: &str = "anthropic";

/// A Claude model. One attempt per call: wrap it in [`super::retry::Retrying`] for
/// retries.
#[derive(Debug, Clone)]
pub struct AnthropicModel {
    model: String,
    base_url: String,
    api_key: Option<String>,
    api_key_env: String,
    timeout_s: f64,
    stream: bool,
    advice: Advice,
    client: reqwest::Client,
}

/// What to do about a failure: Anthropic is hosted, so no advice about local servers.
fn advice() -> Advice {
    Advice {
        unknown_model: "check the model name (e.g. claude-sonnet-4-20250514; the list is at \
                        https://docs.anthropic.com/en/docs/about-claude/models)"
            .into(),
        not_found: "check the model name and the --base-url (Anthropic's is \
                    https://api.anthropic.com, without /v1)"
            .into(),
        connect: "check the network connection and the --base-url".into(),
    }
}

impl AnthropicModel {
    /// A model named `model` at `options.base_url` (default [`DEFAULT_BASE_URL`]), with the
    /// key from `options.api_key_env` (default `ANTHROPIC_API_KEY`). A missing key is an
    /// error unless the server is on this machine.
    pub fn new(model: &str, options: &ModelOptions) -> Result<AnthropicModel, LlmError> {
        let (base_url, api_key, api_key_env) =
            endpoint(PROVIDER, DEFAULT_BASE_URL, DEFAULT_KEY_ENV, options)?;
        Ok(AnthropicModel {
            model: model.into(),
            client: http_client(PROVIDER, options.timeout_s)?,
            base_url,
            api_key,
            api_key_env,
            timeout_s: options.timeout_s,
            stream: options.stream,
            advice: advice(),
        })
    }

    /// The same model with this key instead of the one from the environment.
    pub fn with_api_key(mut self, key: impl Into<String>) -> AnthropicModel {
        self.api_key = Some(key.into());
        self
    }

    fn body(&self, request: &ChatRequest) -> Value {
        let system: Vec<&str> = request
            .messages
            .iter()
            .filter(|m| m.role == Role::System)
            .map(|m| m.content.as_str())
            .collect();
        let messages: Vec<&super::Message> = request
            .messages
            .iter()
            .filter(|m| m.role != Role::System)
            .collect();
        let mut body = json!({
            "model": self.model,
            "messages": messages,
            "max_tokens": request.max_tokens,
        });
        match request.thinking_budget {
            // max_tokens must exceed the budget: the answer's tokens come on top of it.
            // A temperature may not be set with thinking.
            Some(budget) => {
                body["thinking"] = json!({"type": "enabled", "budget_tokens": budget});
                body["max_tokens"] = json!(budget.saturating_add(request.max_tokens));
            }
            None => body["temperature"] = json!(request.temperature),
        }
        if !system.is_empty() {
            body["system"] = json!(system.join("\n\n"));
        }
        if self.stream {
            body["stream"] = json!(true);
        }
        body
    }
}

impl LanguageModel for AnthropicModel {
    fn name(&self) -> String {
        format!("{PROVIDER}:{}", self.model)
    }

    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
        Box::pin(self.complete_once(request))
    }
}

impl AnthropicModel {
    /// One call, the reply parsed.
    async fn complete_once(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let started = Instant::now();
        let url = format!("{}/v1/messages", self.base_url);
        let mut call = self
            .client
            .post(&url)
            .header("anthropic-version", API_VERSION)
            .json(&self.body(request));
        if let Some(key) = &self.api_key {
            call = call.header("x-api-key", key);
        }
        let response = call
            .send()
            .await
            .map_err(|e| transport_error(PROVIDER, &url, self.timeout_s, &self.advice, &e))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let retry_after_s = retry_after_s(response.headers());
            let body = response.text().await.unwrap_or_default();
            let refusal = Refusal {
                provider: PROVIDER,
                model: &self.model,
                env_var: &self.api_key_env,
                status,
                retry_after_s,
                body: &body,
                model_missing: body.contains("not_found_error"),
            };
            return Err(status_error(refusal, &self.advice));
        }
        let (text, reasoning, usage) = if self.stream {
            read_stream(response, &url, self.timeout_s).await?
        } else {
            let body = response
                .text()
                .await
                .map_err(|e| transport_error(PROVIDER, &url, self.timeout_s, &self.advice, &e))?;
            parse_reply(&body)?
        };
        Ok(chat_response(request, text, reasoning, usage, started))
    }
}

/// The text of the reply's `text` blocks (joined, in order), its reasoning (the
/// `thinking` blocks; `redacted_thinking` is encrypted and has none to read) and its
/// token counts.
fn parse_reply(body: &str) -> Result<(String, Option<String>, Option<Usage>), LlmError> {
    let value: Value = serde_json::from_str(body).map_err(|e| malformed(PROVIDER, body, &e))?;
    let blocks = value
        .get("content")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed(PROVIDER, body, &"no `content` list"))?;
    let of_type = |kind: &str, field: &str| -> Vec<&str> {
        blocks
            .iter()
            .filter(|b| b.get("type").and_then(Value::as_str).unwrap_or("text") == kind)
            .filter_map(|b| b.get(field).and_then(Value::as_str))
            .collect()
    };
    let texts = of_type("text", "text");
    let thinking = of_type("thinking", "thinking");
    if texts.is_empty() && thinking.is_empty() {
        return Err(malformed(PROVIDER, body, &"no text at content[0].text"));
    }
    let usage = usage_from(&value, "input_tokens", "output_tokens");
    let reasoning = (!thinking.is_empty()).then(|| thinking.join("\n\n"));
    Ok((texts.concat(), reasoning, usage))
}

/// The text and thinking deltas of a streamed reply, joined per kind; input tokens from
/// `message_start`, output tokens from `message_delta` (a running total, so the last one
/// counts). An `error` event (e.g. `overloaded_error`) ends the call: overloaded and API
/// errors as server errors, which are retried; others as they are.
async fn read_stream(
    response: reqwest::Response,
    url: &str,
    timeout_s: f64,
) -> Result<(String, Option<String>, Option<Usage>), LlmError> {
    let mut text = String::new();
    let mut thinking = String::new();
    let mut input_tokens = None;
    let mut output_tokens = None;
    let mut stopped = false;
    read_events(response, PROVIDER, url, timeout_s, |data| {
        let event: Value = serde_json::from_str(data).map_err(|e| malformed(PROVIDER, data, &e))?;
        match event.get("type").and_then(Value::as_str).unwrap_or("") {
            "message_start" => {
                let usage = event.pointer("/message/usage");
                input_tokens = usage
                    .and_then(|u| u.get("input_tokens"))
                    .and_then(Value::as_u64);
                output_tokens = usage
                    .and_then(|u| u.get("output_tokens"))
                    .and_then(Value::as_u64);
            }
            "content_block_delta" => {
                let delta = event.get("delta");
                let piece = |field: &str| {
                    delta
                        .and_then(|d| d.get(field))
                        .and_then(Value::as_str)
                        .unwrap_or("")
                };
                match delta.and_then(|d| d.get("type")).and_then(Value::as_str) {
                    Some("text_delta") => text.push_str(piece("text")),
                    Some("thinking_delta") => thinking.push_str(piece("thinking")),
                    _ => {} // signature_delta, input_json_delta
                }
            }
            "message_delta" => {
                if let Some(n) = event
                    .pointer("/usage/output_tokens")
                    .and_then(Value::as_u64)
                {
                    output_tokens = Some(n);
                }
            }
            "message_stop" => {
                stopped = true;
                return Ok(false);
            }
            "error" => return Err(stream_error(&event)),
            _ => {} // ping, content_block_start, content_block_stop
        }
        Ok(true)
    })
    .await?;
    if !stopped && text.is_empty() && thinking.is_empty() {
        return Err(malformed(
            PROVIDER,
            "",
            &"the stream ended before any text or message_stop",
        ));
    }
    let usage = match (input_tokens, output_tokens) {
        (Some(prompt_tokens), Some(completion_tokens)) => Some(Usage {
            prompt_tokens,
            completion_tokens,
            ..Usage::default()
        }),
        _ => None,
    };
    Ok((text, (!thinking.is_empty()).then_some(thinking), usage))
}

/// An `error` event in a stream as the error that says what to do.
fn stream_error(event: &Value) -> LlmError {
    let kind = event
        .pointer("/error/type")
        .and_then(Value::as_str)
        .unwrap_or("error");
    let message = event
        .pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or("");
    let status = match kind {
        "overloaded_error" => 529,
        "api_error" => 500,
        _ => {
            return LlmError::Other(format!(
                "{PROVIDER}: the server reported {kind} mid-stream: {}",
                prefix(message)
            ));
        }
    };
    LlmError::Server {
        provider: PROVIDER.into(),
        status,
        attempts: 1,
        detail: format!("{kind} mid-stream: {}", prefix(message)),
        retry_after_s: None,
    }
}
