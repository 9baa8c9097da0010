//! `--llm` strings into models: `openai:MODEL`, `anthropic:MODEL`, `builtin`.

use super::anthropic::AnthropicModel;
use super::builtin::BuiltinPlanner;
use super::openai::OpenAiModel;
use super::retry::{Backoff, Retrying};
use super::throttle::{Limiter, Throttled};
use super::{LanguageModel, LlmError};
use std::sync::Arc;
use std::time::Duration;

/// The `--llm` forms [`model_from_spec`] accepts, for help texts and errors.
pub const KNOWN_SPECS: &[&str] = &["openai:MODEL", "anthropic:MODEL", "builtin"];

/// How to reach a provider; the defaults suit OpenAI's and Anthropic's own endpoints.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    /// `--base-url`: another OpenAI-compatible server (Ollama `http://localhost:11434/v1`,
    /// vLLM, llama.cpp, OpenRouter) or Anthropic endpoint; `None` for the provider's own.
    pub base_url: Option<String>,
    /// `--api-key-env`: the environment variable holding the key; `None` for the
    /// provider's usual one (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`).
    pub api_key_env: Option<String>,
    /// Seconds one request may take before it counts as timed out.
    pub timeout_s: f64,
    /// Stream the reply (server-sent events; both providers).
    pub stream: bool,
    /// Calls in all for one request, retries included (1 means no retries).
    pub max_attempts: u32,
    /// Seconds before the first retry; each further retry waits twice as long.
    /// (Added beside the fields above so tests can shrink the waits.)
    pub backoff_base_s: f64,
    /// The limits shared by all of a run's model calls (`wand eval`'s `--concurrency` and
    /// `--rpm`); `None` for no limits beyond the provider's own.
    pub limiter: Option<Arc<Limiter>>,
}

impl Default for ModelOptions {
    fn default() -> ModelOptions {
        ModelOptions {
            base_url: None,
            api_key_env: None,
            timeout_s: 60.0,
            stream: false,
            max_attempts: 4,
            backoff_base_s: 0.5,
            limiter: None,
        }
    }
}

impl ModelOptions {
    /// The retry policy these options ask for.
    pub fn backoff(&self) -> Backoff {
        Backoff {
            base: Duration::try_from_secs_f64(self.backoff_base_s)
                .unwrap_or(Backoff::default().base),
            max_attempts: self.max_attempts.max(1),
            ..Backoff::default()
        }
    }
}

/// The model an `--llm` string names, with retries around the network providers.
///
/// ```
/// use wand_agent::llm::spec::{ModelOptions, model_from_spec};
/// let err = model_from_spec("gemini:pro", &ModelOptions::default()).err().unwrap();
/// assert!(err.to_string().contains("openai:MODEL"));
/// ```
pub fn model_from_spec(
    spec: &str,
    options: &ModelOptions,
) -> Result<Box<dyn LanguageModel>, LlmError> {
    let spec = spec.trim();
    if spec == "builtin" {
        return builtin();
    }
    let known = KNOWN_SPECS.join(", ");
    let Some((provider, model)) = spec.split_once(':') else {
        return Err(LlmError::Other(format!(
            "--llm '{spec}' names no provider; use one of {known} (e.g. openai:gpt-4o-mini)"
        )));
    };
    if model.trim().is_empty() {
        return Err(LlmError::Other(format!(
            "--llm '{spec}' names no model after '{provider}:'; e.g. {provider}:{}",
            if provider == "anthropic" {
                "claude-sonnet-4-20250514"
            } else {
                "gpt-4o-mini"
            }
        )));
    }
    let model = model.trim();
    match provider {
        "openai" => Ok(networked(OpenAiModel::new(model, options)?, options)),
        "anthropic" => Ok(networked(AnthropicModel::new(model, options)?, options)),
        _ => Err(LlmError::Other(format!(
            "--llm '{spec}': unknown provider '{provider}'; known: {known} \
             (Ollama, vLLM, llama.cpp and OpenRouter are openai:MODEL with --base-url)"
        ))),
    }
}

/// A provider with retries around it, and under them the run's limits, if any: each
/// retry is admitted by the limiter again.
fn networked<M: LanguageModel + 'static>(
    provider: M,
    options: &ModelOptions,
) -> Box<dyn LanguageModel> {
    match &options.limiter {
        Some(limiter) => Box::new(Retrying::new(
            Throttled::new(provider, Arc::clone(limiter)),
            options.backoff(),
        )),
        None => Box::new(Retrying::new(provider, options.backoff())),
    }
}

fn builtin() -> Result<Box<dyn LanguageModel>, LlmError> {
    // Offline and deterministic: nothing to retry.
    Ok(Box::new(BuiltinPlanner::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_server_needs_no_key() {
        let options = ModelOptions {
            base_url: Some("http://localhost:11434/v1".into()),
            api_key_env: Some("WAND_TEST_NO_SUCH_KEY".into()),
            ..ModelOptions::default()
        };
        let model = model_from_spec("openai:llama3.1:8b", &options).unwrap();
        assert_eq!(model.name(), "openai:llama3.1:8b");
    }

    #[test]
    fn a_remote_server_without_a_key_names_the_variable() {
        let options = ModelOptions {
            api_key_env: Some("WAND_TEST_NO_SUCH_KEY".into()),
            ..ModelOptions::default()
        };
        let err = model_from_spec("anthropic:claude-3-5-haiku", &options)
            .err()
            .unwrap();
        assert!(
            matches!(err, LlmError::Auth { ref env_var, .. } if env_var == "WAND_TEST_NO_SUCH_KEY")
        );
    }

    #[test]
    fn builtin_is_offline_and_not_a_language_model() {
        let model = model_from_spec("builtin", &ModelOptions::default()).unwrap();
        assert_eq!(model.name(), "builtin");
        assert!(!model.is_language_model());
    }

    #[test]
    fn malformed_specs_say_what_is_accepted() {
        for spec in ["gpt-4o", "openai:", "mistral:large"] {
            let err = model_from_spec(spec, &ModelOptions::default())
                .err()
                .unwrap();
            assert!(matches!(err, LlmError::Other(_)), "{spec}: {err}");
        }
    }
}
