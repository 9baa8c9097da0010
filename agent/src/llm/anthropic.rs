//! [`AnthropicModel`]: the Anthropic messages API (`POST {base_url}/v1/messages`).
//! System messages go in the top-level `system` field; the reply is the text of its
//! `text` content blocks, and its `thinking` blocks are the reasoning.

use super::http::{
    Advice, Refusal, endpoint, http_client, malformed, response as chat_response, retry_after_s,
    status_error, transport_error, usage_from,
};
use super::spec::ModelOptions;
use super::{ChatRequest, ChatResponse, LanguageModel, LlmError, Role, Usage};
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
/// retries. Streaming is not used (`options.stream` is ignored).
#[derive(Debug, Clone)]
pub struct AnthropicModel {
    model: String,
    base_url: String,
    api_key: Option<String>,
    api_key_env: String,
    timeout_s: f64,
    advice: Advice,
    client: reqwest::blocking::Client,
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
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        });
        if !system.is_empty() {
            body["system"] = json!(system.join("\n\n"));
        }
        body
    }
}

impl LanguageModel for AnthropicModel {
    fn name(&self) -> String {
        format!("{PROVIDER}:{}", self.model)
    }

    fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
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
            .map_err(|e| transport_error(PROVIDER, &url, self.timeout_s, &self.advice, &e))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let retry_after_s = retry_after_s(response.headers());
            let body = response.text().unwrap_or_default();
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
        let body = response
            .text()
            .map_err(|e| transport_error(PROVIDER, &url, self.timeout_s, &self.advice, &e))?;
        let (text, reasoning, usage) = parse_reply(&body)?;
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
