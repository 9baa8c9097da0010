//! [`OpenAiModel`]: OpenAI-compatible chat completions (`POST {base_url}/chat/completions`).
//! The same wire format serves OpenAI, Ollama (`http://localhost:11434/v1`), vLLM, the
//! llama.cpp server and OpenRouter, so one provider covers them all.
//!
//! The HTTP helpers at the bottom (client, status → [`LlmError`], `Retry-After`, token
//! estimates) are shared with [`super::anthropic`].

use super::spec::ModelOptions;
use super::{ChatRequest, ChatResponse, LanguageModel, LlmError, Message, Usage};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

/// OpenAI's own endpoint; any OpenAI-compatible server can stand in with `--base-url`.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// Where the key is read from unless `--api-key-env` names another variable.
pub const DEFAULT_KEY_ENV: &str = "OPENAI_API_KEY";
const PROVIDER: &str = "openai";

/// A chat model behind an OpenAI-compatible API. One attempt per call: wrap it in
/// [`super::retry::Retrying`] for retries.
#[derive(Debug, Clone)]
pub struct OpenAiModel {
    model: String,
    base_url: String,
    api_key: Option<String>,
    api_key_env: String,
    stream: bool,
    timeout_s: f64,
    client: reqwest::blocking::Client,
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

    fn body(&self, request: &ChatRequest) -> Value {
        let mut body = json!({
            "model": self.model,
            "messages": request.messages,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        });
        if self.stream {
            body["stream"] = json!(true);
            // Without this, OpenAI sends no token counts when streaming.
            body["stream_options"] = json!({"include_usage": true});
        }
        body
    }

    fn failure(&self, status: u16, retry_after_s: Option<f64>, body: &str) -> LlmError {
        let lowered = body.to_lowercase();
        let model_missing = lowered.contains("model_not_found")
            || (lowered.contains("model") && lowered.contains("not found"))
            || (lowered.contains("model") && lowered.contains("does not exist"));
        status_error(
            PROVIDER,
            &self.model,
            &self.api_key_env,
            status,
            retry_after_s,
            body,
            model_missing,
        )
    }
}

impl LanguageModel for OpenAiModel {
    fn name(&self) -> String {
        format!("{PROVIDER}:{}", self.model)
    }

    fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let started = Instant::now();
        let url = format!("{}/chat/completions", self.base_url);
        let mut call = self.client.post(&url).json(&self.body(request));
        if let Some(key) = &self.api_key {
            call = call.bearer_auth(key);
        }
        let response = call
            .send()
            .map_err(|e| transport_error(PROVIDER, &url, self.timeout_s, &e))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let retry_after_s = retry_after_s(response.headers());
            let body = response.text().unwrap_or_default();
            return Err(self.failure(status, retry_after_s, &body));
        }
        let (text, usage) = if self.stream {
            read_stream(response, &url, self.timeout_s)?
        } else {
            let body = response
                .text()
                .map_err(|e| transport_error(PROVIDER, &url, self.timeout_s, &e))?;
            parse_reply(&body)?
        };
        let usage = usage.unwrap_or_else(|| estimate_usage(&request.messages, &text));
        Ok(ChatResponse {
            text,
            usage,
            latency_s: started.elapsed().as_secs_f64(),
            cached: false,
        })
    }
}

/// `choices[0].message.content` and the token counts of a whole (non-streamed) reply.
fn parse_reply(body: &str) -> Result<(String, Option<Usage>), LlmError> {
    let value: Value = serde_json::from_str(body).map_err(|e| malformed(PROVIDER, body, &e))?;
    let text = value
        .pointer("/choices/0/message/content")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            malformed(
                PROVIDER,
                body,
                &"no text at choices[0].message.content".to_string(),
            )
        })?;
    let usage = usage_from(&value, "prompt_tokens", "completion_tokens");
    Ok((text.to_string(), usage))
}

/// Joins the `choices[0].delta.content` pieces of a server-sent event stream; token
/// counts come from the chunk that carries `usage` (the last one, when the server sends it).
fn read_stream(
    response: reqwest::blocking::Response,
    url: &str,
    timeout_s: f64,
) -> Result<(String, Option<Usage>), LlmError> {
    let mut text = String::new();
    let mut usage = None;
    let mut seen_data = false;
    for line in BufReader::new(response).lines() {
        let line = line.map_err(|e| {
            if e.kind() == std::io::ErrorKind::TimedOut || e.to_string().contains("timed out") {
                LlmError::Timeout {
                    provider: PROVIDER.into(),
                    timeout_s,
                    attempts: 1,
                }
            } else {
                LlmError::Connect {
                    provider: PROVIDER.into(),
                    url: url.into(),
                    detail: format!("the stream broke off: {e}"),
                }
            }
        })?;
        let Some(data) = line.strip_prefix("data:") else {
            continue; // blank separators, comments, `event:` lines
        };
        let data = data.trim();
        if data == "[DONE]" {
            break;
        }
        seen_data = true;
        let chunk: Value = serde_json::from_str(data).map_err(|e| malformed(PROVIDER, data, &e))?;
        if let Some(error) = chunk.get("error") {
            return Err(LlmError::Other(format!(
                "{PROVIDER}: the server reported an error mid-stream: {}",
                prefix(&error.to_string())
            )));
        }
        if let Some(piece) = chunk
            .pointer("/choices/0/delta/content")
            .and_then(Value::as_str)
        {
            text.push_str(piece);
        }
        if let Some(u) = usage_from(&chunk, "prompt_tokens", "completion_tokens") {
            usage = Some(u);
        }
    }
    if !seen_data {
        return Err(malformed(
            PROVIDER,
            "",
            &"the stream carried no `data:` lines".to_string(),
        ));
    }
    Ok((text, usage))
}

// ---- shared with anthropic.rs ----

/// A blocking client whose every request gives up after `timeout_s`.
/// A provider's base URL (without a trailing slash), API key and the key's variable,
/// from `options` or the provider's defaults. A missing key is an error unless the
/// server is on this machine (Ollama, vLLM, llama.cpp need none).
pub(super) fn endpoint(
    provider: &str,
    default_url: &str,
    default_key_env: &str,
    options: &ModelOptions,
) -> Result<(String, Option<String>, String), LlmError> {
    let base_url = options
        .base_url
        .as_deref()
        .unwrap_or(default_url)
        .trim_end_matches('/')
        .to_string();
    let api_key_env = options
        .api_key_env
        .clone()
        .unwrap_or_else(|| default_key_env.into());
    let api_key = key_from_env(&api_key_env);
    if api_key.is_none() && !is_local_url(&base_url) {
        return Err(LlmError::Auth {
            provider: provider.into(),
            env_var: api_key_env,
            detail: format!("no key in the environment for {base_url}"),
        });
    }
    Ok((base_url, api_key, api_key_env))
}

pub(super) fn http_client(
    provider: &str,
    timeout_s: f64,
) -> Result<reqwest::blocking::Client, LlmError> {
    if !(timeout_s.is_finite() && timeout_s > 0.0) {
        return Err(LlmError::Other(format!(
            "{provider}: the timeout must be a positive number of seconds, not {timeout_s}"
        )));
    }
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs_f64(timeout_s))
        .build()
        .map_err(|e| LlmError::Other(format!("{provider}: cannot build the HTTP client: {e}")))
}

/// The key in `env_var`, if set and not blank.
pub(super) fn key_from_env(env_var: &str) -> Option<String> {
    std::env::var(env_var)
        .ok()
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
}

/// Whether the URL's host is this machine (a local server needs no key).
pub(super) fn is_local_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or("");
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    host == "localhost" || host == "0.0.0.0" || host == "::1" || host.starts_with("127.")
}

/// A reqwest failure (no HTTP status) as a timeout or a connection error; both retryable.
pub(super) fn transport_error(
    provider: &str,
    url: &str,
    timeout_s: f64,
    error: &reqwest::Error,
) -> LlmError {
    if error.is_timeout() {
        LlmError::Timeout {
            provider: provider.into(),
            timeout_s,
            attempts: 1,
        }
    } else {
        let mut detail = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            detail.push_str(": ");
            detail.push_str(&cause.to_string());
            source = cause.source();
        }
        LlmError::Connect {
            provider: provider.into(),
            url: url.into(),
            detail: format!("{detail}; is the server running and the --base-url right?"),
        }
    }
}

/// An HTTP error status as the [`LlmError`] that says what to do about it.
pub(super) fn status_error(
    provider: &str,
    model: &str,
    env_var: &str,
    status: u16,
    retry_after_s: Option<f64>,
    body: &str,
    model_missing: bool,
) -> LlmError {
    let detail = format!("HTTP {status}: {}", prefix(body));
    match status {
        401 | 403 => LlmError::Auth {
            provider: provider.into(),
            env_var: env_var.into(),
            detail,
        },
        429 => LlmError::RateLimited {
            provider: provider.into(),
            attempts: 1,
            retry_after_s,
        },
        500..=599 => LlmError::Server {
            provider: provider.into(),
            status,
            attempts: 1,
            detail: prefix(body),
            retry_after_s,
        },
        _ if model_missing => LlmError::UnknownModel {
            provider: provider.into(),
            model: model.into(),
            detail: format!(
                "{detail}; check the model name (a local server may need it pulled or loaded first)"
            ),
        },
        404 => LlmError::UnknownModel {
            provider: provider.into(),
            model: model.into(),
            detail: format!(
                "{detail}; check the model name and the --base-url (OpenAI-compatible servers \
                 usually end in /v1, e.g. http://localhost:11434/v1)"
            ),
        },
        _ => LlmError::Other(format!(
            "{provider}: the server refused the request ({detail}); check the model's limits \
             (context length, max tokens) and the --base-url"
        )),
    }
}

/// Seconds from a `Retry-After: <seconds>` header (the HTTP-date form is ignored).
pub(super) fn retry_after_s(headers: &reqwest::header::HeaderMap) -> Option<f64> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds)
}

/// Token counts under `usage.{input_field, output_field}`, when the reply has them.
pub(super) fn usage_from(value: &Value, input_field: &str, output_field: &str) -> Option<Usage> {
    let usage = value.get("usage")?;
    Some(Usage {
        prompt_tokens: usage.get(input_field)?.as_u64()?,
        completion_tokens: usage.get(output_field)?.as_u64()?,
    })
}

/// About four characters a token: a stand-in for servers that report no counts.
pub(super) fn estimate_usage(messages: &[Message], reply: &str) -> Usage {
    let tokens = |s: &str| (s.chars().count() as u64).div_ceil(4);
    Usage {
        // A few tokens per message go to the role and separators.
        prompt_tokens: messages.iter().map(|m| tokens(&m.content) + 4).sum(),
        completion_tokens: tokens(reply),
    }
}

/// A [`LlmError::Malformed`] quoting the start of what came back.
pub(super) fn malformed(provider: &str, body: &str, why: &dyn std::fmt::Display) -> LlmError {
    LlmError::Malformed {
        provider: provider.into(),
        detail: format!("{why}; the reply began: {:?}", prefix(body)),
    }
}

/// The first 200 characters, enough to recognise a reply without flooding a message.
pub(super) fn prefix(text: &str) -> String {
    const LIMIT: usize = 200;
    let mut short: String = text.chars().take(LIMIT).collect();
    if text.chars().count() > LIMIT {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls_need_no_key() {
        assert!(is_local_url("http://localhost:11434/v1"));
        assert!(is_local_url("http://127.0.0.1:8000/v1"));
        assert!(is_local_url("http://[::1]:8080"));
        assert!(!is_local_url("https://api.openai.com/v1"));
        assert!(!is_local_url("https://openrouter.ai/api/v1"));
    }

    #[test]
    fn estimates_round_up_and_count_messages() {
        let usage = estimate_usage(&[Message::user("abcde")], "abc");
        assert_eq!(usage.prompt_tokens, 2 + 4);
        assert_eq!(usage.completion_tokens, 1);
    }

    #[test]
    fn long_bodies_are_cut_in_messages() {
        let long = "x".repeat(1000);
        assert_eq!(prefix(&long).chars().count(), 201);
    }
}
