//! What the HTTP providers share: endpoint and key resolution, the client, HTTP status →
//! [`LlmError`] with advice that fits the provider, `Retry-After`, token counts and
//! estimates, and short quotes of what came back.

use super::spec::ModelOptions;
use super::{ChatRequest, ChatResponse, LlmError, Message, Usage, reasoning};
use serde_json::Value;
use std::time::{Duration, Instant};

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

/// An async client whose every request (reply body included) gives up after `timeout_s`.
pub(super) fn http_client(provider: &str, timeout_s: f64) -> Result<reqwest::Client, LlmError> {
    if !(timeout_s.is_finite() && timeout_s > 0.0) {
        return Err(LlmError::Other(format!(
            "{provider}: the timeout must be a positive number of seconds, not {timeout_s}"
        )));
    }
    reqwest::Client::builder()
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

/// What a user can do when a call to one provider fails, in that provider's terms: a
/// hosted API gets no advice about pulling models, a local server none about keys'
/// project access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Advice {
    /// After "unknown model": where the right name comes from.
    pub unknown_model: String,
    /// After a bare 404 (no model named): what the URL should look like.
    pub not_found: String,
    /// After a connection that failed.
    pub connect: String,
}

/// A reqwest failure (no HTTP status) as a timeout or a connection error; both retryable.
pub(super) fn transport_error(
    provider: &str,
    url: &str,
    timeout_s: f64,
    advice: &Advice,
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
            detail: format!("{detail}; {}", advice.connect),
        }
    }
}

/// Who failed and how, for [`status_error`].
pub(super) struct Refusal<'a> {
    pub provider: &'a str,
    pub model: &'a str,
    pub env_var: &'a str,
    pub status: u16,
    pub retry_after_s: Option<f64>,
    pub body: &'a str,
    /// Whether the body says the model does not exist.
    pub model_missing: bool,
}

/// An HTTP error status as the [`LlmError`] that says what to do about it, with the
/// provider's own `advice`.
pub(super) fn status_error(refusal: Refusal<'_>, advice: &Advice) -> LlmError {
    let Refusal {
        provider,
        model,
        env_var,
        status,
        retry_after_s,
        body,
        model_missing,
    } = refusal;
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
            detail: format!("{detail}; {}", advice.unknown_model),
        },
        404 => LlmError::UnknownModel {
            provider: provider.into(),
            model: model.into(),
            detail: format!("{detail}; {}", advice.not_found),
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
        ..Usage::default()
    })
}

/// About four characters a token: a stand-in for servers that report no counts, marked
/// [`Usage::estimated`]. The reasoning counts as output, as providers bill it.
pub(super) fn estimate_usage(messages: &[Message], reply: &str, reasoning: Option<&str>) -> Usage {
    let tokens = |s: &str| (s.chars().count() as u64).div_ceil(4);
    let reasoning_tokens = reasoning.map_or(0, tokens);
    Usage {
        // A few tokens per message go to the role and separators.
        prompt_tokens: messages.iter().map(|m| tokens(&m.content) + 4).sum(),
        completion_tokens: tokens(reply) + reasoning_tokens,
        reasoning_tokens,
        estimated: true,
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

/// The response to `request`: inline `<think>` reasoning split off the answer and joined
/// to the reasoning the server sent apart (`field_reasoning`), token counts as reported
/// or else estimated over answer and reasoning, latency since `started`.
pub(super) fn response(
    request: &ChatRequest,
    content: String,
    field_reasoning: Option<String>,
    usage: Option<Usage>,
    started: Instant,
) -> ChatResponse {
    let (text, inline) = reasoning::split_inline(&content);
    let reasoning = reasoning::join(field_reasoning, inline);
    let usage =
        usage.unwrap_or_else(|| estimate_usage(&request.messages, &text, reasoning.as_deref()));
    ChatResponse {
        text,
        reasoning,
        usage,
        latency_s: started.elapsed().as_secs_f64(),
        cached: false,
        adapted: Vec::new(),
    }
}

/// Reads a server-sent event stream, handing the text after each `data:` to `on_data`
/// until it returns `false` (the end marker) or the stream ends; `event:` lines, comments
/// and blank separators are skipped. An error if no `data:` line came at all.
pub(super) async fn read_events(
    mut response: reqwest::Response,
    provider: &str,
    url: &str,
    timeout_s: f64,
    mut on_data: impl FnMut(&str) -> Result<bool, LlmError>,
) -> Result<(), LlmError> {
    let mut pending: Vec<u8> = Vec::new();
    let mut seen_data = false;
    let mut ended = false;
    while !ended {
        let chunk = response.chunk().await.map_err(|e| {
            if e.is_timeout() {
                LlmError::Timeout {
                    provider: provider.into(),
                    timeout_s,
                    attempts: 1,
                }
            } else {
                LlmError::Connect {
                    provider: provider.into(),
                    url: url.into(),
                    detail: format!("the stream broke off: {e}"),
                }
            }
        })?;
        match chunk {
            Some(bytes) => pending.extend_from_slice(&bytes),
            // The last line may lack its newline.
            None => {
                pending.push(b'\n');
                ended = true;
            }
        }
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let Some(data) = line.trim_end().strip_prefix("data:") else {
                continue;
            };
            seen_data = true;
            if !on_data(data.trim())? {
                return Ok(());
            }
        }
    }
    if !seen_data {
        return Err(malformed(
            provider,
            "",
            &"the stream carried no `data:` lines",
        ));
    }
    Ok(())
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
        let usage = estimate_usage(&[Message::user("abcde")], "abc", Some("hmmmm"));
        assert_eq!(usage.prompt_tokens, 2 + 4);
        assert_eq!(usage.completion_tokens, 1 + 2);
        assert_eq!(usage.reasoning_tokens, 2);
        assert!(usage.estimated);
    }

    #[test]
    fn long_bodies_are_cut_in_messages() {
        let long = "x".repeat(1000);
        assert_eq!(prefix(&long).chars().count(), 201);
    }
}
