//! Language models behind one small trait, [`LanguageModel`], with a provider per
//! module and wrappers (retries, cache) that add behaviour without flags.

pub mod anthropic; // Anthropic messages API
pub mod builtin; // the offline rule-based planner (`--llm builtin`), not a language model
mod http; // what the HTTP providers share: endpoints, client, errors with advice, usage
pub mod openai; // OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp, OpenRouter)
pub mod prices; // indicative USD per million tokens for well-known models
pub mod reasoning; // reasoning kept apart from the answer: fields and inline <think>
pub mod retry; // the one retry wrapper: backoff on 429, 5xx, timeouts, connection errors
pub mod scripted; // a fake for tests: replies from a list, requests recorded
pub mod shaping; // per-model request fields for OpenAI-compatible servers, in one table
pub mod spec; // `--llm openai:MODEL|anthropic:MODEL|builtin` into a boxed model
pub mod throttle; // a run's limits on all its model calls: in flight, per minute, Retry-After

use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
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

/// `--reasoning-effort`: how hard a reasoning model thinks before it answers (OpenAI's
/// `reasoning_effort`; also gpt-oss on vLLM and Ollama).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReasoningEffort {
    Low,
    Medium,
    High,
}

/// A request for one reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    /// Sampling temperature (0 for the most repeatable replies); reasoning models that
    /// accept only their default are sent none (see [`shaping`]).
    pub temperature: f64,
    /// Most tokens the reply may have (reasoning included, for reasoning models).
    pub max_tokens: u32,
    /// How hard a reasoning model should think; `None` for the model's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<ReasoningEffort>,
    /// Tokens an Anthropic model may think for before it answers (extended thinking);
    /// `None` for no extended thinking. `max_tokens` is for the answer, on top of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking_budget: Option<u32>,
    /// Which of several programs drawn for one attempt this is (`--samples`), from 0. Never
    /// sent to a server; it keeps the samples apart in the response cache.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub sample: u32,
}

/// For `skip_serializing_if`: the field is left out at its default, so keys and files
/// written before it existed still match.
pub(crate) fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Default for ChatRequest {
    /// No messages, temperature 0, 2000 tokens, the model's default effort, no extended
    /// thinking, the first sample.
    fn default() -> ChatRequest {
        ChatRequest {
            messages: Vec::new(),
            temperature: 0.0,
            max_tokens: 2000,
            reasoning_effort: None,
            thinking_budget: None,
            sample: 0,
        }
    }
}

/// Token counts of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    /// Output tokens, reasoning included (as providers count and bill them).
    pub completion_tokens: u64,
    /// The part of `completion_tokens` spent reasoning, when known.
    #[serde(default)]
    pub reasoning_tokens: u64,
    /// Whether the counts are wand's estimate (about four characters a token) because the
    /// server reported none.
    #[serde(default)]
    pub estimated: bool,
}

impl std::ops::AddAssign for Usage {
    /// Sums the counts; the sum is an estimate when any part is.
    fn add_assign(&mut self, other: Usage) {
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
        self.reasoning_tokens += other.reasoning_tokens;
        self.estimated |= other.estimated;
    }
}

/// One reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    /// The answer: the only text searched for code.
    pub text: String,
    /// The model's reasoning, kept apart from the answer (a reasoning field, thinking
    /// blocks or inline `<think>`), for the transcript; never searched for code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<String>,
    pub usage: Usage,
    /// Wall-clock seconds the call took (0 when served from the cache).
    pub latency_s: f64,
    /// Whether the response cache served it.
    #[serde(default)]
    pub cached: bool,
    /// How the request was changed during this call because the server refused a
    /// parameter (see [`shaping`]); the change holds for the rest of the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adapted: Vec<String>,
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
                ..Usage::default()
            },
            text,
            reasoning: None,
            latency_s: 0.0,
            cached: false,
            adapted: Vec::new(),
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

impl LlmError {
    /// The kind of failure in a few words, for failure classes ("rate limited").
    pub fn kind(&self) -> &'static str {
        match self {
            LlmError::Auth { .. } => "auth",
            LlmError::UnknownModel { .. } => "unknown model",
            LlmError::RateLimited { .. } => "rate limited",
            LlmError::Server { .. } => "server error",
            LlmError::Timeout { .. } => "timeout",
            LlmError::Connect { .. } => "connection",
            LlmError::Malformed { .. } => "malformed reply",
            LlmError::CacheMiss { .. } => "cache miss",
            LlmError::Other(_) => "other",
        }
    }
}

/// A reply on its way: what [`LanguageModel::complete`] returns. Boxed so the trait
/// stays object-safe (`Box<dyn LanguageModel>`) and `Send` so many calls can be in flight
/// on a multi-threaded runtime.
pub type Pending<'a> = Pin<Box<dyn Future<Output = Result<ChatResponse, LlmError>> + Send + 'a>>;

/// A language model (or something that answers like one). Calls are async (tokio and
/// reqwest's async client underneath), so a caller can keep many requests in flight.
pub trait LanguageModel: Send + Sync {
    /// "openai:gpt-4o-mini", "builtin", … — recorded in results and cache keys.
    fn name(&self) -> String;
    /// Whether this is a real language model (the builtin planner is not).
    fn is_language_model(&self) -> bool {
        true
    }
    /// One reply to the request.
    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a>;
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
    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
        (**self).complete(request)
    }
}

/// For callers outside async code (tests, one-off tools): [`LanguageModel::complete`],
/// waited for on a current-thread runtime of its own.
pub trait CompleteBlocking: LanguageModel {
    /// One reply to the request, waited for.
    fn complete_blocking(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        block_on(self.complete(request))
    }
}

impl<M: LanguageModel + ?Sized> CompleteBlocking for M {}

/// Runs `future` to the end on a new current-thread runtime (timers and sockets on).
pub fn block_on<T>(future: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime always builds")
        .block_on(future)
}
