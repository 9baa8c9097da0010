//! [`OpenAiModel`]: OpenAI-compatible chat completions (`POST {base_url}/chat/completions`).
//! The same wire format serves OpenAI, Ollama (`http://localhost:11434/v1`), vLLM, the
//! llama.cpp server and OpenRouter, so one provider covers them all. Requests are shaped
//! per model by [`super::shaping`]; reasoning (`reasoning_content`, `reasoning`, inline
//! `<think>`) is kept apart from the answer.

use super::http::{
    Advice, Refusal, endpoint, http_client, is_local_url, malformed, prefix, read_events, response,
    retry_after_s, status_error, transport_error,
};
use super::shaping::{RequestShape, rejected_parameter};
use super::spec::ModelOptions;
use super::{ChatRequest, ChatResponse, LanguageModel, LlmError, Pending, Usage};
use serde_json::Value;
use std::sync::Mutex;
use std::time::Instant;

/// OpenAI's own endpoint; any OpenAI-compatible server can stand in with `--base-url`.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// Where the key is read from unless `--api-key-env` names another variable.
pub const DEFAULT_KEY_ENV: &str = "OPENAI_API_KEY";
const PROVIDER: &str = "openai";
/// Most parameters one call may adapt to before the refusal is returned.
const MAX_ADAPTATIONS: usize = 4;

/// A chat model behind an OpenAI-compatible API. One attempt per call: wrap it in
/// [`super::retry::Retrying`] for retries.
#[derive(Debug)]
pub struct OpenAiModel {
    model: String,
    base_url: String,
    api_key: Option<String>,
    api_key_env: String,
    stream: bool,
    timeout_s: f64,
    advice: Advice,
    /// The table's shape for this model, as adapted to the server's refusals so far.
    shape: Mutex<RequestShape>,
    client: reqwest::Client,
}

impl OpenAiModel {
    /// A model named `model` at `options.base_url` (default [`DEFAULT_BASE_URL`]), with the
    /// key from `options.api_key_env` (default `OPENAI_API_KEY`). A missing key is an
    /// error unless the server is on this machine (Ollama, vLLM, llama.cpp need none).
    pub fn new(model: &str, options: &ModelOptions) -> Result<OpenAiModel, LlmError> {
        let (base_url, api_key, api_key_env) =
            endpoint(PROVIDER, DEFAULT_BASE_URL, DEFAULT_KEY_ENV, options)?;
        Ok(OpenAiModel {
            model: model.into(),
            client: http_client(PROVIDER, options.timeout_s)?,
            advice: advice(&base_url),
            shape: Mutex::new(RequestShape::for_model(model)),
            base_url,
            api_key,
            api_key_env,
            stream: options.stream,
            timeout_s: options.timeout_s,
        })
    }

    /// The same model with this key instead of the one from the environment.
    pub fn with_api_key(mut self, key: impl Into<String>) -> OpenAiModel {
        self.api_key = Some(key.into());
        self
    }

    /// How requests are shaped now: the table's shape, adapted to refusals so far.
    pub fn shape(&self) -> RequestShape {
        *self.shape.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn failure(&self, status: u16, retry_after_s: Option<f64>, body: &str) -> LlmError {
        let lowered = body.to_lowercase();
        let model_missing = lowered.contains("model_not_found")
            || (lowered.contains("model") && lowered.contains("not found"))
            || (lowered.contains("model") && lowered.contains("does not exist"));
        let refusal = Refusal {
            provider: PROVIDER,
            model: &self.model,
            env_var: &self.api_key_env,
            status,
            retry_after_s,
            body,
            model_missing,
        };
        status_error(refusal, &self.advice)
    }

    /// Sends `request`, adapting to "unsupported parameter" refusals (each parameter at
    /// most once a call); the response and what was adapted.
    async fn send(
        &self,
        url: &str,
        request: &ChatRequest,
    ) -> Result<(reqwest::Response, Vec<String>), LlmError> {
        let mut adapted = Vec::new();
        let mut refused: Vec<String> = Vec::new();
        loop {
            let shape = self.shape();
            let mut call =
                self.client
                    .post(url)
                    .json(&shape.body(&self.model, request, self.stream));
            if let Some(key) = &self.api_key {
                call = call.bearer_auth(key);
            }
            let response = call
                .send()
                .await
                .map_err(|e| transport_error(PROVIDER, url, self.timeout_s, &self.advice, &e))?;
            let status = response.status().as_u16();
            if (200..300).contains(&status) {
                return Ok((response, adapted));
            }
            let retry_after_s = retry_after_s(response.headers());
            let body = response.text().await.unwrap_or_default();
            let adaptation = (status == 400 && refused.len() < MAX_ADAPTATIONS)
                .then(|| rejected_parameter(&body))
                .flatten()
                .filter(|parameter| !refused.contains(parameter))
                .and_then(|parameter| {
                    let next = shape.adapt(&parameter);
                    refused.push(parameter);
                    next
                });
            let Some((next, note)) = adaptation else {
                return Err(self.failure(status, retry_after_s, &body));
            };
            tracing::warn!(model = %self.name(), "{note}");
            *self.shape.lock().unwrap_or_else(|e| e.into_inner()) = next;
            adapted.push(note);
        }
    }
}

/// What to do about a failure, for this kind of server.
fn advice(base_url: &str) -> Advice {
    let url_advice = "check the model name and the --base-url (OpenAI-compatible servers \
                      usually end in /v1, e.g. http://localhost:11434/v1)";
    if is_local_url(base_url) {
        Advice {
            unknown_model: "check the model name; a local server may need it pulled \
                            (`ollama pull NAME`) or loaded first"
                .into(),
            not_found: url_advice.into(),
            connect: "is the server running and the --base-url right?".into(),
        }
    } else if base_url == DEFAULT_BASE_URL {
        Advice {
            unknown_model: "check the model name (https://platform.openai.com/docs/models) \
                            and that your API key's project may use it"
                .into(),
            not_found: "check the model name; OpenAI's --base-url is https://api.openai.com/v1"
                .into(),
            connect: "check the network connection (and any proxy settings)".into(),
        }
    } else {
        Advice {
            unknown_model: "check the model name as this server lists it (OpenRouter: \
                            vendor/model) and that your key may use it"
                .into(),
            not_found: url_advice.into(),
            connect: "check the network connection and the --base-url".into(),
        }
    }
}

impl LanguageModel for OpenAiModel {
    fn name(&self) -> String {
        format!("{PROVIDER}:{}", self.model)
    }

    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
        Box::pin(self.complete_once(request))
    }
}

impl OpenAiModel {
    /// One call (with its adaptations), the reply parsed.
    async fn complete_once(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let started = Instant::now();
        let url = format!("{}/chat/completions", self.base_url);
        let (reply, adapted) = self.send(&url, request).await?;
        let parsed = if self.stream {
            read_stream(reply, &url, self.timeout_s).await?
        } else {
            let body = reply
                .text()
                .await
                .map_err(|e| transport_error(PROVIDER, &url, self.timeout_s, &self.advice, &e))?;
            parse_reply(&body)?
        };
        let mut response = response(
            request,
            parsed.text,
            parsed.reasoning,
            parsed.usage,
            started,
        );
        response.adapted = adapted;
        Ok(response)
    }
}

/// What one reply said, before the inline reasoning is split off.
struct Parsed {
    text: String,
    reasoning: Option<String>,
    usage: Option<Usage>,
}

/// The reasoning in a message or a delta: `reasoning_content` (DeepSeek, vLLM) or
/// `reasoning` (Ollama, OpenRouter, newer vLLM).
fn reasoning_of(message: &Value) -> Option<&str> {
    ["reasoning_content", "reasoning"]
        .iter()
        .find_map(|field| message.get(field).and_then(Value::as_str))
}

/// Token counts of a reply or a chunk: `usage`, with the reasoning part from
/// `completion_tokens_details.reasoning_tokens` when given; else llama.cpp's `timings`
/// (`prompt_n` tokens read, `predicted_n` written).
fn usage_of(value: &Value) -> Option<Usage> {
    let Some(usage) = value.get("usage").filter(|u| !u.is_null()) else {
        let timings = value.get("timings")?;
        return Some(Usage {
            prompt_tokens: timings.get("prompt_n")?.as_u64()?,
            completion_tokens: timings.get("predicted_n")?.as_u64()?,
            ..Usage::default()
        });
    };
    Some(Usage {
        prompt_tokens: usage.get("prompt_tokens")?.as_u64()?,
        completion_tokens: usage.get("completion_tokens")?.as_u64()?,
        reasoning_tokens: usage
            .pointer("/completion_tokens_details/reasoning_tokens")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        estimated: false,
    })
}

/// `choices[0].message` (its content, and reasoning) and the token counts of a whole
/// (non-streamed) reply. A reasoning model cut off while thinking has no content.
fn parse_reply(body: &str) -> Result<Parsed, LlmError> {
    let value: Value = serde_json::from_str(body).map_err(|e| malformed(PROVIDER, body, &e))?;
    let message = value.pointer("/choices/0/message");
    let content = message
        .and_then(|m| m.get("content"))
        .and_then(Value::as_str);
    let reasoning = message.and_then(reasoning_of);
    if content.is_none() && reasoning.is_none() {
        return Err(malformed(
            PROVIDER,
            body,
            &"no text at choices[0].message.content",
        ));
    }
    Ok(Parsed {
        text: content.unwrap_or_default().to_string(),
        reasoning: reasoning.map(str::to_string),
        usage: usage_of(&value),
    })
}

/// Joins the `choices[0].delta` pieces (content and reasoning) of a server-sent event
/// stream; token counts come from the chunk that carries `usage` (the last one, when the
/// server sends it) or llama.cpp's `timings`.
async fn read_stream(
    response: reqwest::Response,
    url: &str,
    timeout_s: f64,
) -> Result<Parsed, LlmError> {
    let mut text = String::new();
    let mut reasoning = String::new();
    let mut usage = None;
    read_events(response, PROVIDER, url, timeout_s, |data| {
        if data == "[DONE]" {
            return Ok(false);
        }
        let chunk: Value = serde_json::from_str(data).map_err(|e| malformed(PROVIDER, data, &e))?;
        if let Some(error) = chunk.get("error") {
            return Err(LlmError::Other(format!(
                "{PROVIDER}: the server reported an error mid-stream: {}",
                prefix(&error.to_string())
            )));
        }
        if let Some(delta) = chunk.pointer("/choices/0/delta") {
            if let Some(piece) = delta.get("content").and_then(Value::as_str) {
                text.push_str(piece);
            }
            if let Some(piece) = reasoning_of(delta) {
                reasoning.push_str(piece);
            }
        }
        if let Some(u) = usage_of(&chunk) {
            usage = Some(u);
        }
        Ok(true)
    })
    .await?;
    Ok(Parsed {
        text,
        reasoning: (!reasoning.is_empty()).then_some(reasoning),
        usage,
    })
}
