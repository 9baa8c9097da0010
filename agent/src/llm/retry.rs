//! [`Retrying`]: the one place model calls are retried. Rate limits (429), server errors
//! (5xx), timeouts and connection failures are retried with exponential backoff, honouring
//! the provider's `Retry-After`; a refused key, an unknown model or a malformed reply is
//! returned at once, since asking again cannot fix it.

use super::{ChatRequest, LanguageModel, LlmError, Pending};
use std::time::Duration;

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    /// The wait after the first failure; it doubles after each further one.
    pub base: Duration,
    /// The longest single wait, also the cap on a provider's `Retry-After`.
    pub max_delay: Duration,
    /// Calls in all, the first included (1 means no retries).
    pub max_attempts: u32,
}

impl Default for Backoff {
    /// 0.5 s, 1 s, 2 s between four attempts; no single wait over 30 s.
    fn default() -> Backoff {
        Backoff {
            base: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_attempts: 4,
        }
    }
}

impl Backoff {
    /// The wait after `failures` failed calls (1 for the first): `base · 2^(failures-1)`,
    /// or longer when the provider asked for longer, never more than `max_delay`.
    pub fn delay(&self, failures: u32, retry_after: Option<Duration>) -> Duration {
        let doubling = 2u32.saturating_pow(failures.saturating_sub(1));
        let exponential = self.base.saturating_mul(doubling);
        exponential
            .max(retry_after.unwrap_or_default())
            .min(self.max_delay)
    }
}

/// Whether asking again may succeed: rate limits, server errors, timeouts, lost
/// connections. Never a refused key, an unknown model, a malformed reply or a cache miss.
pub fn is_retryable(error: &LlmError) -> bool {
    matches!(
        error,
        LlmError::RateLimited { .. }
            | LlmError::Server { .. }
            | LlmError::Timeout { .. }
            | LlmError::Connect { .. }
    )
}

/// Wraps a model so transient failures are retried per [`Backoff`]; the error after the
/// last attempt reports how many attempts were made.
#[derive(Debug)]
pub struct Retrying<M> {
    inner: M,
    backoff: Backoff,
}

impl<M: LanguageModel> Retrying<M> {
    /// `inner`, retried per `backoff`.
    pub fn new(inner: M, backoff: Backoff) -> Retrying<M> {
        Retrying { inner, backoff }
    }

    /// The wrapped model.
    pub fn inner(&self) -> &M {
        &self.inner
    }
}

impl<M: LanguageModel> LanguageModel for Retrying<M> {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn is_language_model(&self) -> bool {
        self.inner.is_language_model()
    }

    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
        Box::pin(self.complete_retrying(request))
    }
}

impl<M: LanguageModel> Retrying<M> {
    async fn complete_retrying(
        &self,
        request: &ChatRequest,
    ) -> Result<super::ChatResponse, LlmError> {
        let max_attempts = self.backoff.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            let error = match self.inner.complete(request).await {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            if !is_retryable(&error) || attempt >= max_attempts {
                return Err(with_attempts(error, attempt));
            }
            let delay = self.backoff.delay(attempt, retry_after(&error));
            tracing::warn!(
                model = %self.inner.name(),
                attempt,
                max_attempts,
                delay_s = delay.as_secs_f64(),
                "model call failed, retrying: {error}"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

/// How long the provider asked us to wait, when it said (`Retry-After`).
pub(super) fn retry_after(error: &LlmError) -> Option<Duration> {
    match error {
        LlmError::RateLimited { retry_after_s, .. } | LlmError::Server { retry_after_s, .. } => {
            retry_after_s.and_then(|s| Duration::try_from_secs_f64(s).ok())
        }
        _ => None,
    }
}

fn with_attempts(mut error: LlmError, made: u32) -> LlmError {
    match &mut error {
        LlmError::RateLimited { attempts, .. }
        | LlmError::Server { attempts, .. }
        | LlmError::Timeout { attempts, .. } => *attempts = made,
        _ => {}
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let backoff = Backoff {
            base: Duration::from_millis(500),
            max_delay: Duration::from_secs(3),
            max_attempts: 8,
        };
        let delays: Vec<_> = (1..=5).map(|n| backoff.delay(n, None)).collect();
        let ms: Vec<u128> = delays.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [500, 1000, 2000, 3000, 3000]);
    }

    #[test]
    fn retry_after_lengthens_a_wait_but_not_past_the_cap() {
        let backoff = Backoff::default();
        assert_eq!(
            backoff.delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            backoff.delay(1, Some(Duration::from_secs(600))),
            Duration::from_secs(30)
        );
        assert_eq!(
            backoff.delay(3, Some(Duration::from_millis(10))),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let auth = LlmError::Auth {
            provider: "openai".into(),
            env_var: "OPENAI_API_KEY".into(),
            detail: String::new(),
        };
        assert!(!is_retryable(&auth));
        assert!(is_retryable(&LlmError::Timeout {
            provider: "openai".into(),
            timeout_s: 1.0,
            attempts: 1
        }));
    }
}
