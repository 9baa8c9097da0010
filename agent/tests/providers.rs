//! The real providers, the retry wrapper and the response cache, talking HTTP to a fake
//! server on 127.0.0.1. No test measures time: a timeout is an outcome, and backoffs are
//! shrunk to milliseconds so the suite runs in a few seconds.

mod fake_server;

use fake_server::{FakeServer, Reply};
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;
use wand_agent::cache::{CacheMode, CachedModel};
use wand_agent::llm::anthropic::AnthropicModel;
use wand_agent::llm::openai::OpenAiModel;
use wand_agent::llm::prices::cost_usd;
use wand_agent::llm::retry::{Backoff, Retrying};
use wand_agent::llm::spec::{ModelOptions, model_from_spec};
use wand_agent::llm::{ChatRequest, CompleteBlocking, LanguageModel, LlmError, Message, Usage};

/// An environment variable no machine sets, so no real key can leak into a test.
const NO_KEY_ENV: &str = "WAND_TEST_UNSET_KEY";

fn request() -> ChatRequest {
    ChatRequest {
        messages: vec![
            Message::system("You write Python for a robot arm."),
            Message::user("stack the red block on the blue block"),
        ],
        temperature: 0.0,
        max_tokens: 512,
        reasoning_effort: None,
        thinking_budget: None,
        sample: 0,
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

fn openai(server: &FakeServer) -> OpenAiModel {
    OpenAiModel::new("gpt-4o-mini", &options(server.openai_url())).unwrap()
}

fn quick(max_attempts: u32) -> Backoff {
    Backoff {
        base: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        max_attempts,
    }
}

/// A fresh directory under the system's temp dir for one test's cache.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wand-providers-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn openai_reply_text_usage_and_request_body() {
    let server = FakeServer::start(vec![Reply::openai("put_on('red block', 'blue block')")]);
    let model = openai(&server).with_api_key("sk-test-123");
    let response = model.complete_blocking(&request()).unwrap();
    assert_eq!(response.text, "put_on('red block', 'blue block')");
    assert_eq!(
        response.usage,
        Usage {
            prompt_tokens: 12,
            completion_tokens: 5,
            ..Usage::default()
        }
    );
    assert!(!response.cached);
    assert_eq!(model.name(), "openai:gpt-4o-mini");

    let sent = &server.requests()[0];
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/v1/chat/completions");
    assert_eq!(sent.header("authorization"), Some("Bearer sk-test-123"));
    let body = sent.json();
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(body["temperature"], 0.0);
    assert_eq!(body["max_tokens"], 512);
    assert_eq!(
        body["messages"],
        json!([
            {"role": "system", "content": "You write Python for a robot arm."},
            {"role": "user", "content": "stack the red block on the blue block"},
        ])
    );
    assert!(body.get("stream").is_none());
}

#[test]
fn a_local_server_without_a_key_gets_no_authorization_header() {
    let server = FakeServer::start(vec![Reply::openai("done()")]);
    openai(&server).complete_blocking(&request()).unwrap();
    assert_eq!(server.requests()[0].header("authorization"), None);
}

#[test]
fn openai_missing_usage_is_estimated() {
    let server = FakeServer::start(vec![Reply::json(
        200,
        json!({"choices": [{"message": {"role": "assistant", "content": "abcdefgh"}}]}),
    )]);
    let response = openai(&server).complete_blocking(&request()).unwrap();
    assert_eq!(response.usage.completion_tokens, 2);
    assert!(response.usage.prompt_tokens > 0);
}

#[test]
fn openai_streaming_joins_the_deltas_and_takes_the_final_usage() {
    let server = FakeServer::start(vec![Reply::openai_stream(
        &["pick('red", " block')\n", "place()"],
        30,
        9,
    )]);
    let model = OpenAiModel::new(
        "gpt-4o-mini",
        &ModelOptions {
            stream: true,
            ..options(server.openai_url())
        },
    )
    .unwrap();
    let response = model.complete_blocking(&request()).unwrap();
    assert_eq!(response.text, "pick('red block')\nplace()");
    assert_eq!(
        response.usage,
        Usage {
            prompt_tokens: 30,
            completion_tokens: 9,
            ..Usage::default()
        }
    );
    let body = server.requests()[0].json();
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"]["include_usage"], true);
}

#[test]
fn rate_limited_once_then_success_takes_two_requests() {
    let server = FakeServer::start(vec![
        Reply::json(429, json!({"error": {"message": "slow down"}}))
            .with_header("Retry-After", "0"),
        Reply::openai("ok()"),
    ]);
    let model = Retrying::new(openai(&server), quick(4));
    let response = model.complete_blocking(&request()).unwrap();
    assert_eq!(response.text, "ok()");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn server_errors_until_the_budget_is_spent() {
    let failing = || Reply::json(500, json!({"error": {"message": "boom"}}));
    let server = FakeServer::start(vec![
        failing(),
        failing(),
        failing(),
        Reply::openai("late()"),
    ]);
    let model = Retrying::new(openai(&server), quick(3));
    let err = model.complete_blocking(&request()).unwrap_err();
    assert!(
        matches!(
            err,
            LlmError::Server {
                status: 500,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[test]
fn a_slow_server_is_a_timeout() {
    let server = FakeServer::start(vec![
        Reply::openai("too late").delayed(Duration::from_secs(3)),
    ]);
    let model = OpenAiModel::new(
        "gpt-4o-mini",
        &ModelOptions {
            timeout_s: 1.0,
            ..options(server.openai_url())
        },
    )
    .unwrap();
    let err = Retrying::new(model, quick(1))
        .complete_blocking(&request())
        .unwrap_err();
    assert!(
        matches!(err, LlmError::Timeout { attempts: 1, .. }),
        "{err:?}"
    );
}

#[test]
fn a_stopped_server_is_a_connection_error_and_is_retried() {
    let mut server = FakeServer::start(vec![]);
    let model = openai(&server);
    server.stop();
    let err = Retrying::new(model, quick(2))
        .complete_blocking(&request())
        .unwrap_err();
    assert!(matches!(err, LlmError::Connect { .. }), "{err:?}");
}

#[test]
fn garbage_is_malformed_and_quotes_the_reply() {
    let server = FakeServer::start(vec![Reply::raw(200, "<html>not json</html>")]);
    let err = Retrying::new(openai(&server), quick(3))
        .complete_blocking(&request())
        .unwrap_err();
    assert!(matches!(err, LlmError::Malformed { .. }), "{err:?}");
    assert!(err.to_string().contains("<html>not json"), "{err}");
    assert_eq!(
        server.requests().len(),
        1,
        "malformed replies are not retried"
    );
}

#[test]
fn json_without_choices_is_malformed() {
    let server = FakeServer::start(vec![Reply::json(200, json!({"object": "list"}))]);
    let err = openai(&server).complete_blocking(&request()).unwrap_err();
    assert!(matches!(err, LlmError::Malformed { .. }), "{err:?}");
    assert!(
        err.to_string().contains("choices[0].message.content"),
        "{err}"
    );
}

#[test]
fn a_refused_key_names_the_variable_and_is_not_retried() {
    let server = FakeServer::start(vec![Reply::json(
        401,
        json!({"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}),
    )]);
    let err = Retrying::new(openai(&server), quick(3))
        .complete_blocking(&request())
        .unwrap_err();
    assert!(
        matches!(err, LlmError::Auth { ref env_var, .. } if env_var == NO_KEY_ENV),
        "{err:?}"
    );
    assert!(err.to_string().contains(NO_KEY_ENV), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn an_unknown_model_is_named() {
    let server = FakeServer::start(vec![Reply::json(
        404,
        json!({"error": {"message": "The model `gpt-9` does not exist", "code": "model_not_found"}}),
    )]);
    let model = OpenAiModel::new("gpt-9", &options(server.openai_url())).unwrap();
    let err = Retrying::new(model, quick(3))
        .complete_blocking(&request())
        .unwrap_err();
    assert!(
        matches!(err, LlmError::UnknownModel { ref model, .. } if model == "gpt-9"),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_bare_404_points_at_the_base_url() {
    // What Ollama answers when the base URL lacks its /v1.
    let server = FakeServer::start(vec![Reply::raw(404, "404 page not found")]);
    let model = OpenAiModel::new("llama3.1", &options(server.url())).unwrap();
    let err = model.complete_blocking(&request()).unwrap_err();
    assert!(matches!(err, LlmError::UnknownModel { .. }), "{err:?}");
    assert!(err.to_string().contains("--base-url"), "{err}");
    assert_eq!(server.requests()[0].path, "/chat/completions");
}

#[test]
fn an_unknown_model_reported_as_bad_request_is_still_unknown() {
    // Some OpenAI-compatible servers answer 400 rather than 404.
    let server = FakeServer::start(vec![Reply::json(
        400,
        json!({"error": {"message": "model 'llama9' not found, try pulling it first"}}),
    )]);
    let err = openai(&server).complete_blocking(&request()).unwrap_err();
    assert!(matches!(err, LlmError::UnknownModel { .. }), "{err:?}");
}

#[test]
fn anthropic_request_and_reply_formats() {
    let server = FakeServer::start(vec![Reply::anthropic("stack('red block', 'blue block')")]);
    let model = AnthropicModel::new("claude-3-5-haiku-latest", &options(server.url()))
        .unwrap()
        .with_api_key("sk-ant-test");
    let response = model.complete_blocking(&request()).unwrap();
    assert_eq!(response.text, "stack('red block', 'blue block')");
    assert_eq!(
        response.usage,
        Usage {
            prompt_tokens: 20,
            completion_tokens: 7,
            ..Usage::default()
        }
    );
    assert_eq!(model.name(), "anthropic:claude-3-5-haiku-latest");

    let sent = &server.requests()[0];
    assert_eq!(sent.path, "/v1/messages");
    assert_eq!(sent.header("x-api-key"), Some("sk-ant-test"));
    assert_eq!(sent.header("anthropic-version"), Some("2023-06-01"));
    let body = sent.json();
    assert_eq!(body["model"], "claude-3-5-haiku-latest");
    assert_eq!(body["system"], "You write Python for a robot arm.");
    assert_eq!(body["max_tokens"], 512);
    assert_eq!(body["temperature"], 0.0);
    assert_eq!(
        body["messages"],
        json!([{"role": "user", "content": "stack the red block on the blue block"}])
    );
}

#[test]
fn anthropic_errors_map_like_openai() {
    let server = FakeServer::start(vec![
        Reply::json(
            401,
            json!({"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}),
        ),
        Reply::json(
            404,
            json!({"type": "error", "error": {"type": "not_found_error", "message": "model: claude-9"}}),
        ),
        Reply::json(200, json!({"content": []})),
        Reply::json(
            529,
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        ),
        Reply::anthropic("fine"),
    ]);
    let model = AnthropicModel::new("claude-9", &options(server.url())).unwrap();
    let err = model.complete_blocking(&request()).unwrap_err();
    assert!(
        matches!(err, LlmError::Auth { ref env_var, .. } if env_var == NO_KEY_ENV),
        "{err:?}"
    );
    let err = model.complete_blocking(&request()).unwrap_err();
    assert!(matches!(err, LlmError::UnknownModel { .. }), "{err:?}");
    let err = model.complete_blocking(&request()).unwrap_err();
    assert!(matches!(err, LlmError::Malformed { .. }), "{err:?}");
    // Overloaded (529) is a server error, so the wrapper retries it.
    let response = Retrying::new(model, quick(2))
        .complete_blocking(&request())
        .unwrap();
    assert_eq!(response.text, "fine");
}

#[test]
fn cache_on_serves_the_second_call_without_a_request() {
    let dir = temp_dir("on");
    let server = FakeServer::start(vec![Reply::openai("first()"), Reply::openai("second()")]);
    let model = CachedModel::new(openai(&server), CacheMode::On, &dir);
    let first = model.complete_blocking(&request()).unwrap();
    assert!(!first.cached);
    let again = model.complete_blocking(&request()).unwrap();
    assert_eq!(again.text, "first()");
    assert!(again.cached);
    assert_eq!(again.latency_s, 0.0);
    assert_eq!(again.usage, first.usage);
    assert_eq!(server.requests().len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cache_replay_needs_no_server_and_a_miss_says_so() {
    let dir = temp_dir("replay");
    let mut server = FakeServer::start(vec![Reply::openai("recorded()")]);
    CachedModel::new(openai(&server), CacheMode::On, &dir)
        .complete_blocking(&request())
        .unwrap();
    let model = openai(&server);
    server.stop();

    let replay = CachedModel::new(model, CacheMode::Replay, &dir);
    let response = replay.complete_blocking(&request()).unwrap();
    assert_eq!(response.text, "recorded()");
    assert!(response.cached);

    let mut other = request();
    other.messages.push(Message::user("and then the green one"));
    let err = replay.complete_blocking(&other).unwrap_err();
    assert!(matches!(err, LlmError::CacheMiss { .. }), "{err:?}");
    assert!(err.to_string().contains("--cache on"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_cache_file_is_a_miss_when_on_and_an_error_in_replay() {
    let dir = temp_dir("corrupt");
    let server = FakeServer::start(vec![Reply::openai("fresh()")]);
    let on = CachedModel::new(openai(&server), CacheMode::On, &dir);
    let path = on.path_for(&request());
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&path, "{ half a file").unwrap();

    let replay = CachedModel::new(openai(&server), CacheMode::Replay, &dir);
    let err = replay.complete_blocking(&request()).unwrap_err();
    assert!(err.to_string().contains("unreadable"), "{err}");

    assert_eq!(on.complete_blocking(&request()).unwrap().text, "fresh()");
    assert_eq!(
        replay.complete_blocking(&request()).unwrap().text,
        "fresh()"
    );
    assert_eq!(server.requests().len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cache_off_always_asks() {
    let dir = temp_dir("off");
    let server = FakeServer::start(vec![Reply::openai("a()"), Reply::openai("b()")]);
    let model = CachedModel::new(openai(&server), CacheMode::Off, &dir);
    assert_eq!(model.complete_blocking(&request()).unwrap().text, "a()");
    assert_eq!(model.complete_blocking(&request()).unwrap().text, "b()");
    assert!(!dir.exists());
}

#[test]
fn spec_models_retry_and_talk_to_the_server() {
    let server = FakeServer::start(vec![
        Reply::json(503, json!({"error": "warming up"})),
        Reply::openai("hello()"),
    ]);
    let options = ModelOptions {
        max_attempts: 2,
        backoff_base_s: 0.001,
        ..options(server.openai_url())
    };
    let model = model_from_spec("openai:gpt-4o-mini", &options).unwrap();
    assert_eq!(model.complete_blocking(&request()).unwrap().text, "hello()");
    assert_eq!(server.requests().len(), 2);

    let err = model_from_spec("palm:bison", &options).err().unwrap();
    let text = err.to_string();
    assert!(
        text.contains("openai:MODEL") && text.contains("anthropic:MODEL"),
        "{text}"
    );
}

#[test]
fn cost_of_a_known_model_and_none_for_a_local_one() {
    let usage = Usage {
        prompt_tokens: 1_000_000,
        completion_tokens: 1_000_000,
        ..Usage::default()
    };
    let cost = cost_usd("openai:gpt-4o-mini", &usage).unwrap();
    assert!((cost - 0.75).abs() < 1e-9, "{cost}");
    let cost = cost_usd("anthropic:claude-3-5-sonnet-20241022", &usage).unwrap();
    assert!((cost - 18.0).abs() < 1e-9, "{cost}");
    assert_eq!(cost_usd("openai:qwen2.5-coder:7b", &usage), None);
}
