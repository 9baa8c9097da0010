//! The models people use now, against the fake server on 127.0.0.1: OpenAI's reasoning
//! models get `max_completion_tokens` and no temperature; a server that refuses a
//! parameter is adapted to once; reasoning (fields, thinking blocks, inline `<think>`) is
//! kept apart from the answer; each provider's errors give that provider's advice.

mod fake_server;

use fake_server::{FakeServer, Reply};
use serde_json::json;
use wand_agent::llm::anthropic::AnthropicModel;
use wand_agent::llm::openai::OpenAiModel;
use wand_agent::llm::shaping::TokenLimit;
use wand_agent::llm::spec::ModelOptions;
use wand_agent::llm::{ChatRequest, CompleteBlocking, LlmError, Message, ReasoningEffort};

const NO_KEY_ENV: &str = "WAND_TEST_UNSET_KEY";

fn request() -> ChatRequest {
    ChatRequest {
        messages: vec![
            Message::system("You write Python for a robot arm."),
            Message::user("say hello"),
        ],
        max_tokens: 512,
        ..ChatRequest::default()
    }
}

fn options(base_url: String) -> ModelOptions {
    ModelOptions {
        base_url: Some(base_url),
        api_key_env: Some(NO_KEY_ENV.into()),
        timeout_s: 5.0,
        ..ModelOptions::default()
    }
}

fn openai(server: &FakeServer, model: &str) -> OpenAiModel {
    OpenAiModel::new(model, &options(server.openai_url())).unwrap()
}

#[test]
fn reasoning_models_get_max_completion_tokens_no_temperature_and_the_effort() {
    for model in ["o3-mini", "gpt-5-mini", "o1", "o4-mini-2025-04-16"] {
        let server = FakeServer::start(vec![Reply::openai("say('hi')")]);
        let effort = ChatRequest {
            reasoning_effort: Some(ReasoningEffort::High),
            ..request()
        };
        openai(&server, model).complete_blocking(&effort).unwrap();
        let body = server.requests()[0].json();
        assert_eq!(body["max_completion_tokens"], 512, "{model}: {body}");
        assert!(body.get("max_tokens").is_none(), "{model}: {body}");
        assert!(body.get("temperature").is_none(), "{model}: {body}");
        assert_eq!(body["reasoning_effort"], "high", "{model}: {body}");
    }
}

#[test]
fn chat_models_keep_max_tokens_and_temperature_and_no_effort_unless_asked() {
    let server = FakeServer::start(vec![Reply::openai("say('hi')")]);
    openai(&server, "gpt-4o-mini")
        .complete_blocking(&request())
        .unwrap();
    let body = server.requests()[0].json();
    assert_eq!(body["max_tokens"], 512);
    assert_eq!(body["temperature"], 0.0);
    assert!(body.get("max_completion_tokens").is_none());
    assert!(body.get("reasoning_effort").is_none());
}

#[test]
fn an_unsupported_parameter_from_an_unknown_server_is_adapted_to_once() {
    // A proxy in front of a reasoning model, under a name the table does not know.
    let server = FakeServer::start(vec![
        Reply::openai_unsupported("max_tokens", "unsupported_parameter"),
        Reply::openai_unsupported("temperature", "unsupported_value"),
        Reply::openai("say('first')"),
        Reply::openai("say('second')"),
    ]);
    let model = openai(&server, "corp-reasoner");
    let first = model.complete_blocking(&request()).unwrap();
    assert_eq!(first.text, "say('first')");
    assert_eq!(first.adapted.len(), 2, "{:?}", first.adapted);
    assert!(
        first.adapted[0].contains("max_completion_tokens"),
        "{:?}",
        first.adapted
    );
    assert!(
        first.adapted[1].contains("temperature"),
        "{:?}",
        first.adapted
    );
    assert_eq!(model.shape().token_limit, TokenLimit::MaxCompletionTokens);

    // Remembered for the run: the next call is shaped right the first time.
    let second = model.complete_blocking(&request()).unwrap();
    assert_eq!(second.text, "say('second')");
    assert!(second.adapted.is_empty());
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let last = requests[3].json();
    assert_eq!(last["max_completion_tokens"], 512);
    assert!(last.get("max_tokens").is_none() && last.get("temperature").is_none());
}

#[test]
fn a_parameter_wand_cannot_do_without_is_an_error_at_once() {
    let server = FakeServer::start(vec![
        Reply::openai_unsupported("messages", "unsupported_parameter"),
        Reply::openai("never()"),
    ]);
    let err = openai(&server, "gpt-4o-mini")
        .complete_blocking(&request())
        .unwrap_err();
    assert!(matches!(err, LlmError::Other(_)), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_refusal_repeated_after_adapting_is_not_adapted_again() {
    let refused = || Reply::openai_unsupported("temperature", "unsupported_value");
    let server = FakeServer::start(vec![refused(), refused(), Reply::openai("never()")]);
    let err = openai(&server, "gpt-4o-mini")
        .complete_blocking(&request())
        .unwrap_err();
    assert!(err.to_string().contains("temperature"), "{err}");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn reasoning_fields_are_kept_apart_and_counted() {
    for field in ["reasoning_content", "reasoning"] {
        let server = FakeServer::start(vec![Reply::openai_reasoning(
            field,
            "Maybe ```python\npick('purple block')\n``` — no, just say it.",
            "```python\nsay('hi')\n```",
        )]);
        let response = openai(&server, "deepseek-reasoner")
            .complete_blocking(&request())
            .unwrap();
        assert_eq!(response.text, "```python\nsay('hi')\n```", "{field}");
        assert!(
            response.reasoning.unwrap().contains("purple block"),
            "{field}"
        );
        assert_eq!(response.usage.completion_tokens, 90);
        assert_eq!(response.usage.reasoning_tokens, 70);
        assert!(!response.usage.estimated);
    }
}

#[test]
fn inline_think_is_reasoning_and_counted_in_the_estimate() {
    let draft = "<think>\nFirst try:\n```python\npick('purple block')\n```\nNo.\n</think>\n\n";
    let server = FakeServer::start(vec![
        // Ollama's OpenAI endpoint without a reasoning parser: no usage breakdown at all.
        Reply::json(
            200,
            json!({"choices": [{"message": {"role": "assistant",
                    "content": format!("{draft}```python\nsay('hi')\n```")}}]}),
        ),
        // Cut off while thinking: nothing but reasoning.
        Reply::openai("<think>\n```python\npick('purple block')\n```\nhmm"),
    ]);
    let model = openai(&server, "deepseek-r1:7b");
    let response = model.complete_blocking(&request()).unwrap();
    assert_eq!(response.text, "```python\nsay('hi')\n```");
    assert!(response.reasoning.as_deref().unwrap().contains("First try"));
    assert!(response.usage.estimated);
    assert!(response.usage.reasoning_tokens > 0);
    assert!(response.usage.completion_tokens > response.usage.reasoning_tokens);

    let cut = model.complete_blocking(&request()).unwrap();
    assert_eq!(cut.text, "");
    assert!(cut.reasoning.unwrap().contains("purple block"));
}

#[test]
fn anthropic_thinking_blocks_are_reasoning() {
    let server = FakeServer::start(vec![Reply::anthropic_thinking(
        "Draft: ```python\npick('purple block')\n```",
        "```python\nsay('hi')\n```",
    )]);
    let model = AnthropicModel::new("claude-sonnet-4-20250514", &options(server.url())).unwrap();
    let response = model.complete_blocking(&request()).unwrap();
    assert_eq!(response.text, "```python\nsay('hi')\n```");
    assert!(response.reasoning.unwrap().contains("purple block"));
    assert_eq!(response.usage.completion_tokens, 300);
}

#[test]
fn each_provider_gives_its_own_advice_for_an_unknown_model() {
    let server = FakeServer::start(vec![
        Reply::json(
            404,
            json!({"type": "error", "error": {"type": "not_found_error", "message": "model: claude-9"}}),
        ),
        Reply::json(
            404,
            json!({"error": {"message": "model 'llama9' not found, try pulling it first"}}),
        ),
    ]);
    let anthropic = AnthropicModel::new("claude-9", &options(server.url())).unwrap();
    let text = anthropic
        .complete_blocking(&request())
        .unwrap_err()
        .to_string();
    assert!(
        !text.contains("pulled") && !text.contains("loaded"),
        "{text}"
    );
    assert!(text.contains("docs.anthropic.com"), "{text}");

    let local = openai(&server, "llama9")
        .complete_blocking(&request())
        .unwrap_err()
        .to_string();
    assert!(local.contains("ollama pull"), "{local}");
}

fn streaming(base_url: String) -> ModelOptions {
    ModelOptions {
        stream: true,
        ..options(base_url)
    }
}

#[test]
fn anthropic_streams_thinking_and_text_apart_with_the_usage() {
    let server = FakeServer::start(vec![Reply::anthropic_stream(
        &["Let me try ```python\npick('purple", " block')\n```"],
        &["```python\nsay(", "'hi')\n```"],
        (41, 250),
        None,
    )]);
    let model = AnthropicModel::new("claude-sonnet-4-20250514", &streaming(server.url())).unwrap();
    let thinking = ChatRequest {
        thinking_budget: Some(2000),
        ..request()
    };
    let response = model.complete_blocking(&thinking).unwrap();
    assert_eq!(response.text, "```python\nsay('hi')\n```");
    assert!(response.reasoning.unwrap().contains("purple block"));
    assert_eq!(response.usage.prompt_tokens, 41);
    assert_eq!(response.usage.completion_tokens, 250);
    assert!(!response.usage.estimated);

    let body = server.requests()[0].json();
    assert_eq!(body["stream"], true);
    assert_eq!(
        body["thinking"],
        json!({"type": "enabled", "budget_tokens": 2000})
    );
    assert!(body["max_tokens"].as_u64().unwrap() > 2000, "{body}");
    assert!(body.get("temperature").is_none(), "{body}");
}

#[test]
fn without_a_budget_anthropic_gets_a_temperature_and_no_thinking() {
    let server = FakeServer::start(vec![Reply::anthropic("say('hi')")]);
    let model = AnthropicModel::new("claude-3-5-haiku-latest", &options(server.url())).unwrap();
    model.complete_blocking(&request()).unwrap();
    let body = server.requests()[0].json();
    assert_eq!(body["temperature"], 0.0);
    assert_eq!(body["max_tokens"], 512);
    assert!(body.get("thinking").is_none() && body.get("stream").is_none());
}

#[test]
fn an_overloaded_error_mid_stream_is_a_server_error_and_retried() {
    let server = FakeServer::start(vec![
        Reply::anthropic_stream(
            &[],
            &["```python\n", "say('x')"],
            (10, 5),
            Some("overloaded_error"),
        ),
        Reply::anthropic_stream(&[], &["say('ok')"], (10, 5), None),
    ]);
    let model = AnthropicModel::new("claude-sonnet-4-20250514", &streaming(server.url())).unwrap();
    let err = model.complete_blocking(&request()).unwrap_err();
    assert!(
        matches!(err, LlmError::Server { status: 529, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("overloaded_error"), "{err}");
    let retried = wand_agent::llm::retry::Retrying::new(
        model,
        wand_agent::llm::retry::Backoff {
            base: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(5),
            max_attempts: 2,
        },
    );
    assert_eq!(
        retried.complete_blocking(&request()).unwrap().text,
        "say('ok')"
    );
}

#[test]
fn openai_streamed_reasoning_is_apart_and_llama_cpp_timings_are_the_usage() {
    let server = FakeServer::start(vec![Reply::openai_reasoning_stream(
        &["Draft: ```python\npick('purple", " block')\n```"],
        &["```python\nsay('hi')", "\n```"],
    )]);
    let model = OpenAiModel::new("qwen3-8b", &streaming(server.openai_url())).unwrap();
    let response = model.complete_blocking(&request()).unwrap();
    assert_eq!(response.text, "```python\nsay('hi')\n```");
    assert!(response.reasoning.unwrap().contains("purple block"));
    assert_eq!(response.usage.prompt_tokens, 33);
    assert_eq!(response.usage.completion_tokens, 21);
    assert!(!response.usage.estimated);
    let body = server.requests()[0].json();
    assert_eq!(body["stream_options"]["include_usage"], true);
}

#[test]
fn an_estimate_is_marked_only_where_no_counts_came() {
    let server = FakeServer::start(vec![
        Reply::json(
            200,
            json!({"choices": [{"message": {"role": "assistant", "content": "say('hi')"}}]}),
        ),
        Reply::openai("say('hi')"),
    ]);
    let model = openai(&server, "some-local-model");
    assert!(model.complete_blocking(&request()).unwrap().usage.estimated);
    assert!(!model.complete_blocking(&request()).unwrap().usage.estimated);
}
