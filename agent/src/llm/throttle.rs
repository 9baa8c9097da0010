//! [`Throttled`]: the limits one run puts on all its model calls together, whichever
//! episode makes them — how many are in flight at once (`--concurrency`), how many start
//! per minute (`--rpm`) — and, when a server answers with `Retry-After`, every call is held
//! back until then, not only the one that was refused. It sits under [`Retrying`]
//! (each retry is admitted again) and over the provider.
//!
//! [`Retrying`]: super::retry::Retrying

use super::retry::retry_after;
use super::{ChatRequest, ChatResponse, LanguageModel, LlmError, Pending};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// The limits shared by every model of a run.
#[derive(Debug)]
pub struct Limiter {
    in_flight: Semaphore,
    /// The least time between two starts, from `--rpm`.
    interval: Option<Duration>,
    /// The earliest the next call may start.
    next_start: Mutex<Instant>,
}

impl Limiter {
    /// At most `concurrency` (at least 1) calls in flight; with `rpm`, at most that many
    /// calls start in any minute, evenly spaced.
    pub fn new(concurrency: usize, rpm: Option<f64>) -> Arc<Limiter> {
        Arc::new(Limiter {
            in_flight: Semaphore::new(concurrency.max(1)),
            interval: rpm
                .filter(|r| *r > 0.0)
                .and_then(|r| Duration::try_from_secs_f64(60.0 / r).ok()),
            next_start: Mutex::new(Instant::now()),
        })
    }

    /// Holds every call that has not started yet back for `wait`.
    fn hold_back(&self, wait: Duration) {
        let mut next = self.next_start.lock().expect("no panics while held");
        *next = (*next).max(Instant::now() + wait);
    }

    /// Takes the start slot this call may have: now, or after the previous one by the
    /// interval, or after a server's hold-back.
    fn slot(&self) -> Instant {
        let mut next = self.next_start.lock().expect("no panics while held");
        let start = (*next).max(Instant::now());
        *next = start + self.interval.unwrap_or_default();
        start
    }
}

/// A model whose calls go through a [`Limiter`].
#[derive(Debug)]
pub struct Throttled<M> {
    inner: M,
    limiter: Arc<Limiter>,
}

impl<M: LanguageModel> Throttled<M> {
    /// `inner`, its calls admitted by `limiter`.
    pub fn new(inner: M, limiter: Arc<Limiter>) -> Throttled<M> {
        Throttled { inner, limiter }
    }
}

impl<M: LanguageModel> LanguageModel for Throttled<M> {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn is_language_model(&self) -> bool {
        self.inner.is_language_model()
    }

    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
        Box::pin(self.complete_throttled(request))
    }
}

impl<M: LanguageModel> Throttled<M> {
    async fn complete_throttled(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        let _permit = self
            .limiter
            .in_flight
            .acquire()
            .await
            .expect("the limiter never closes");
        tokio::time::sleep_until(self.limiter.slot()).await;
        let reply = self.inner.complete(request).await;
        if let Err(error) = &reply
            && let Some(wait) = retry_after(error)
        {
            self.limiter.hold_back(wait);
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::scripted::ScriptedModel;

    #[test]
    fn starts_are_spaced_by_the_rate() {
        let limiter = Limiter::new(4, Some(600.0));
        let first = limiter.slot();
        let second = limiter.slot();
        let third = limiter.slot();
        assert_eq!(second - first, Duration::from_millis(100));
        assert_eq!(third - second, Duration::from_millis(100));
    }

    #[test]
    fn a_hold_back_delays_every_later_start() {
        let limiter = Limiter::new(4, None);
        let before = Instant::now();
        limiter.hold_back(Duration::from_secs(5));
        assert!(limiter.slot() >= before + Duration::from_secs(5));
        assert!(limiter.slot() >= before + Duration::from_secs(5));
    }

    /// Refused once with a Retry-After, then answers.
    struct RefusesOnce(std::sync::atomic::AtomicBool);

    impl LanguageModel for RefusesOnce {
        fn name(&self) -> String {
            "refuses-once".into()
        }
        fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
            let refused = self.0.swap(true, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async move {
                if refused {
                    Ok(ChatResponse::offline(request, "ok".into()))
                } else {
                    Err(LlmError::RateLimited {
                        provider: "test".into(),
                        attempts: 1,
                        retry_after_s: Some(0.3),
                    })
                }
            })
        }
    }

    #[test]
    fn a_retry_after_holds_back_the_next_call_of_any_caller() {
        let limiter = Limiter::new(8, None);
        let model = Throttled::new(RefusesOnce(Default::default()), Arc::clone(&limiter));
        let request = ChatRequest::default();
        crate::llm::block_on(async {
            assert!(model.complete(&request).await.is_err());
            let refused_at = Instant::now();
            // Another caller (not a retry of the first) waits as well.
            assert_eq!(model.complete(&request).await.unwrap().text, "ok");
            assert!(Instant::now() - refused_at >= Duration::from_millis(290));
        });
    }

    #[test]
    fn calls_pass_through() {
        let model = Throttled::new(ScriptedModel::new(["hello"]), Limiter::new(1, None));
        let reply = crate::llm::block_on(model.complete(&ChatRequest::default())).unwrap();
        assert_eq!(reply.text, "hello");
        assert_eq!(model.name(), "scripted");
    }
}
