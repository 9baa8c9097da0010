//! [`ScriptedModel`]: a fake language model for tests — it answers from a list and
//! records every request it was sent.

use super::{ChatRequest, ChatResponse, LanguageModel, LlmError, Pending};
use std::collections::VecDeque;
use std::sync::Mutex;

/// Answers with `replies` in order; fails once they run out.
#[derive(Debug, Default)]
pub struct ScriptedModel {
    replies: Mutex<VecDeque<String>>,
    /// Every request received, in order.
    pub requests: Mutex<Vec<ChatRequest>>,
}

impl ScriptedModel {
    /// A model that answers with `replies`, in order.
    pub fn new(replies: impl IntoIterator<Item = impl Into<String>>) -> ScriptedModel {
        ScriptedModel {
            replies: Mutex::new(replies.into_iter().map(Into::into).collect()),
            requests: Mutex::new(Vec::new()),
        }
    }
}

impl LanguageModel for ScriptedModel {
    fn name(&self) -> String {
        "scripted".into()
    }

    fn complete<'a>(&'a self, request: &'a ChatRequest) -> Pending<'a> {
        Box::pin(async move {
            self.requests.lock().unwrap().push(request.clone());
            let text =
                self.replies.lock().unwrap().pop_front().ok_or_else(|| {
                    LlmError::Other("the scripted model has no more replies".into())
                })?;
            Ok(ChatResponse::offline(request, text))
        })
    }
}
