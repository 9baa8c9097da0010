//! [`CachedModel`]: replies remembered on disk, one JSON file per request, so a run can be
//! repeated without the network and reproduce the same programs bit for bit.
//!
//! The key is the SHA-256 of a canonical JSON of (model name, messages, temperature,
//! max tokens); the model name carries the provider (`openai:gpt-4o-mini`).

use crate::llm::{
    ChatRequest, ChatResponse, LanguageModel, LlmError, Message, Pending, ReasoningEffort,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where replies are kept unless told otherwise.
pub const DEFAULT_CACHE_DIR: &str = ".wand/cache";

/// `--cache off|on|replay`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum CacheMode {
    /// Every call goes to the model; nothing is read or written.
    Off,
    /// A cached reply is served; otherwise the model is called and its reply stored.
    #[default]
    On,
    /// Only cached replies; a miss is [`LlmError::CacheMiss`] and the model is never called.
    Replay,
}

impl FromStr for CacheMode {
    type Err = String;
    fn from_str(text: &str) -> Result<CacheMode, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "off" => Ok(CacheMode::Off),
            "on" => Ok(CacheMode::On),
            "replay" => Ok(CacheMode::Replay),
            other => Err(format!(
                "unknown cache mode '{other}'; use off, on (the default) or replay"
            )),
        }
    }
}

impl fmt::Display for CacheMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CacheMode::Off => "off",
            CacheMode::On => "on",
            CacheMode::Replay => "replay",
        })
    }
}

/// What the key is a hash of; field order is the canonical order.
#[derive(Serialize)]
struct KeyInput<'a> {
    model: &'a str,
    messages: &'a [Message],
    temperature: f64,
    max_tokens: u32,
    // Left out when unset, so keys made before the field existed still match.
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_effort: Option<ReasoningEffort>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thinking_budget: Option<u32>,
    #[serde(skip_serializing_if = "crate::llm::is_zero")]
    sample: u32,
}

/// One cache file: the request it answers (for people reading the cache) and the reply.
#[derive(Serialize, Deserialize)]
struct Entry {
    model: String,
    request: ChatRequest,
    response: ChatResponse,
}

/// The cache key of `request` sent to the model called `model_name`: 64 hex digits.
pub fn cache_key(model_name: &str, request: &ChatRequest) -> String {
    let input = KeyInput {
        model: model_name,
        messages: &request.messages,
        temperature: request.temperature,
        max_tokens: request.max_tokens,
        reasoning_effort: request.reasoning_effort,
        thinking_budget: request.thinking_budget,
        sample: request.sample,
    };
    let canonical = serde_json::to_vec(&input).expect("plain data always serialises");
    Sha256::digest(&canonical)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Wraps a model with the response cache in `dir`.
#[derive(Debug)]
pub struct CachedModel<M> {
    inner: M,
    mode: CacheMode,
    dir: PathBuf,
}

impl<M: LanguageModel> CachedModel<M> {
    /// `inner` behind the cache in `dir` (usually [`DEFAULT_CACHE_DIR`]), used per `mode`.
    pub fn new(inner: M, mode: CacheMode, dir: impl Into<PathBuf>) -> CachedModel<M> {
        CachedModel {
            inner,
            mode,
            dir: dir.into(),
        }
    }

    /// The wrapped model.
    pub fn inner(&self) -> &M {
        &self.inner
    }

    /// The file that holds (or would hold) the reply to `request`.
    pub fn path_for(&self, request: &ChatRequest) -> PathBuf {
        self.dir
            .join(format!("{}.json", cache_key(&self.inner.name(), request)))
    }

    fn load(&self, path: &Path) -> Result<Option<ChatResponse>, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let entry: Entry = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        // What was adapted happened on the call that was recorded, not on this one.
        Ok(Some(ChatResponse {
            latency_s: 0.0,
            cached: true,
            adapted: Vec::new(),
            ..entry.response
        }))
    }

    fn store(&self, path: &Path, request: &ChatRequest, response: &ChatResponse) {
        let entry = Entry {
            model: self.inner.name(),
            request: request.clone(),
            response: response.clone(),
        };
        if let Err(e) = write_atomically(path, &entry) {
            // A reply the cache could not keep is still a good reply.
            tracing::warn!(path = %path.display(), "cannot write the response cache: {e}");
        }
    }
}

/// Writes a temporary file beside `path` and renames it over `path`, so a reader never
/// sees half a file even when two runs share the cache.
fn write_atomically(path: &Path, entry: &Entry) -> std::io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("entry");
    let temp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let text = serde_json::to_string_pretty(entry).map_err(std::io::Error::other)?;
    std::fs::write(&temp, text)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

impl<M: LanguageModel> LanguageModel for CachedModel<M> {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn is_language_model(&self) -> bool {
        self.inner.is_language_model()
    }

    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
        Box::pin(self.complete_cached(request))
    }
}

impl<M: LanguageModel> CachedModel<M> {
    async fn complete_cached(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        // An offline planner answers the same every time, and a stored answer would go
        // stale when its task files change: never cache it.
        if self.mode == CacheMode::Off || !self.inner.is_language_model() {
            return self.inner.complete(request).await;
        }
        let path = self.path_for(request);
        match (self.load(&path), self.mode) {
            (Ok(Some(hit)), _) => return Ok(hit),
            (Ok(None), CacheMode::Replay) => {
                return Err(LlmError::CacheMiss {
                    key: cache_key(&self.inner.name(), request),
                });
            }
            (Err(e), CacheMode::Replay) => {
                return Err(LlmError::Other(format!(
                    "cache replay: the cached reply {} is unreadable ({e}); delete it and run \
                     once with --cache on to record it again",
                    path.display()
                )));
            }
            (Err(e), _) => {
                tracing::warn!(path = %path.display(), "unreadable cache entry, asking the model again: {e}");
            }
            (Ok(None), _) => {}
        }
        let response = self.inner.complete(request).await?;
        self.store(&path, request, &response);
        Ok(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> ChatRequest {
        ChatRequest {
            messages: vec![Message::system("be brief"), Message::user(text)],
            temperature: 0.0,
            max_tokens: 100,
            reasoning_effort: None,
            thinking_budget: None,
            sample: 0,
        }
    }

    #[test]
    fn keys_depend_on_everything_that_changes_the_reply() {
        let base = cache_key("openai:gpt-4o", &request("hi"));
        assert_eq!(base.len(), 64);
        assert_eq!(base, cache_key("openai:gpt-4o", &request("hi")));
        assert_ne!(base, cache_key("openai:gpt-4o-mini", &request("hi")));
        assert_ne!(base, cache_key("openai:gpt-4o", &request("hello")));
        let mut warmer = request("hi");
        warmer.temperature = 0.7;
        assert_ne!(base, cache_key("openai:gpt-4o", &warmer));
        let mut longer = request("hi");
        longer.max_tokens = 200;
        assert_ne!(base, cache_key("openai:gpt-4o", &longer));
        let harder = ChatRequest {
            reasoning_effort: Some(ReasoningEffort::High),
            ..request("hi")
        };
        assert_ne!(base, cache_key("openai:gpt-4o", &harder));
        let thinking = ChatRequest {
            thinking_budget: Some(2000),
            ..request("hi")
        };
        assert_ne!(base, cache_key("openai:gpt-4o", &thinking));
        let second = ChatRequest {
            sample: 1,
            ..request("hi")
        };
        assert_ne!(base, cache_key("openai:gpt-4o", &second));
    }

    #[test]
    fn modes_parse_and_print() {
        for mode in [CacheMode::Off, CacheMode::On, CacheMode::Replay] {
            assert_eq!(mode.to_string().parse::<CacheMode>(), Ok(mode));
        }
        assert_eq!(" Replay ".parse::<CacheMode>(), Ok(CacheMode::Replay));
        assert!(
            "sometimes"
                .parse::<CacheMode>()
                .unwrap_err()
                .contains("replay")
        );
    }
}
