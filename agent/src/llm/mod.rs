//! Language models behind one small trait, [`LanguageModel`], with a provider per
//! module and wrappers (retries, cache) that add behaviour without flags.

pub mod anthropic; // Anthropic messages API
pub mod builtin; // the offline rule-based planner (`--llm builtin`), not a language model
pub mod openai; // OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp, OpenRouter)
pub mod prices; // indicative USD per million tokens for well-known models
pub mod retry; // the one retry wrapper: backoff on 429, 5xx, timeouts, connection errors
pub mod scripted; // a fake for tests: replies from a list, requests recorded
pub mod spec; // `--llm openai:MODEL|anthropic:MODEL|builtin` into a boxed model

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Message {
        Message {
            role: Role::System,
            content: content.into(),
        }
    }
    pub fn user(content: impl Into<String>) -> Message {
        Message {
            role: Role::User,
            content: content.into(),
        }
    }
    pub fn assistant(content: impl Into<String>) -> Message {
        Message {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// A request for one reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    /// Sampling temperature (0 for the most repeatable replies).
    pub temperature: f64,
    /// Most tokens the reply may have.
    pub max_tokens: u32,
}

/// Token counts of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// One reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    pub text: String,
    pub usage: Usage,
    /// Wall-clock seconds the call took (0 when served from the cache).
    pub latency_s: f64,
    /// Whether the response cache served it.
    #[serde(default)]
    pub cached: bool,
}

impl ChatResponse {
    /// A reply made on this machine without a model server (the builtin planner, the
    /// scripted fake): no latency, and words counted as tokens.
    pub fn offline(request: &ChatRequest, text: String) -> ChatResponse {
        let words = |s: &str| s.split_whitespace().count() as u64;
        ChatResponse {
            usage: Usage {
                prompt_tokens: request.messages.iter().map(|m| words(&m.content)).sum(),
                completion_tokens: words(&text),
            },
            text,
            latency_s: 0.0,
            cached: false,
        }
    }
}

/// Why a model call failed; every variant says what to do about it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LlmError {
    #[error("{provider}: the API key is missing or was refused ({detail}); set {env_var}")]
    Auth {
        provider: String,
        env_var: String,
        detail: String,
    },
    #[error("{provider}: unknown model '{model}' ({detail})")]
    UnknownModel {
        provider: String,
        model: String,
        detail: String,
    },
    #[error("{provider}: rate limited (HTTP 429) after {attempts} attempts")]
    RateLimited {
        provider: String,
        attempts: u32,
        /// Seconds the provider asked us to wait (its `Retry-After` header), if it said.
        retry_after_s: Option<f64>,
    },
    #[error("{provider}: server error {status} after {attempts} attempts: {detail}")]
    Server {
        provider: String,
        status: u16,
        attempts: u32,
        detail: String,
        /// Seconds the provider asked us to wait (its `Retry-After` header), if it said.
        retry_after_s: Option<f64>,
    },
    #[error("{provider}: no answer within {timeout_s:.0} s after {attempts} attempts")]
    Timeout {
        provider: String,
        timeout_s: f64,
        attempts: u32,
    },
    #[error("{provider}: cannot connect to {url}: {detail}")]
    Connect {
        provider: String,
        url: String,
        detail: String,
    },
    #[error("{provider}: the reply is not what the API promises: {detail}")]
    Malformed { provider: String, detail: String },
    #[error(
        "cache replay: no cached reply for this request (key {key}); run once with --cache on to record it"
    )]
    CacheMiss { key: String },
    #[error("{0}")]
    Other(String),
}

/// A language model (or something that answers like one).
pub trait LanguageModel {
    /// "openai:gpt-4o-mini", "builtin", … — recorded in results and cache keys.
    fn name(&self) -> String;
    /// Whether this is a real language model (the builtin planner is not).
    fn is_language_model(&self) -> bool {
        true
    }
    /// One reply to the request.
    fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError>;
}

/// A boxed model is a model, so wrappers take `Box<dyn LanguageModel>` from
/// [`spec::model_from_spec`] as readily as a concrete provider.
impl<M: LanguageModel + ?Sized> LanguageModel for Box<M> {
    fn name(&self) -> String {
        (**self).name()
    }
    fn is_language_model(&self) -> bool {
        (**self).is_language_model()
    }
    fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        (**self).complete(request)
    }
}
