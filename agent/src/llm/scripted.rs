//! [`ScriptedModel`]: a fake language model for tests — it answers from a list and
//! records every request it was sent.

use super::{ChatRequest, ChatResponse, LanguageModel, LlmError};
use std::cell::RefCell;
use std::collections::VecDeque;

/// Answers with `replies` in order; fails once they run out.
#[derive(Debug, Default)]
pub struct ScriptedModel {
    replies: RefCell<VecDeque<String>>,
    /// Every request received, in order.
    pub requests: RefCell<Vec<ChatRequest>>,
}

impl ScriptedModel {
    pub fn new(replies: impl IntoIterator<Item = impl Into<String>>) -> ScriptedModel {
        ScriptedModel {
            replies: RefCell::new(replies.into_iter().map(Into::into).collect()),
            requests: RefCell::new(Vec::new()),
        }
    }
}

impl LanguageModel for ScriptedModel {
    fn name(&self) -> String {
        "scripted".into()
    }

    fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, LlmError> {
        self.requests.borrow_mut().push(request.clone());
        let text = self
            .replies
            .borrow_mut()
            .pop_front()
            .ok_or_else(|| LlmError::Other("the scripted model has no more replies".into()))?;
        Ok(ChatResponse::offline(request, text))
    }
}
