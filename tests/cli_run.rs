//! `wand run` end to end through the real binary: the builtin planner out of the box, and
//! a local fake OpenAI-compatible server on 127.0.0.1 speaking the real protocol.

#[path = "../agent/tests/fake_server/mod.rs"]
mod fake_server;

use fake_server::{FakeServer, Reply};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// A fresh folder for one test's cache and transcripts.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wand-cli-run-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn wand_run(dir: &Path, args: &[&str]) -> (Output, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_wand"))
        .arg("run")
        .arg("--json")
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .arg("--runs-dir")
        .arg(dir.join("runs"))
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out, json)
}

fn with_server(server: &FakeServer, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["--llm".to_string(), "openai:test-model".to_string()];
    args.push("--base-url".into());
    args.push(server.openai_url());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn run_with(dir: &Path, server: &FakeServer, extra: &[&str]) -> (Output, Value) {
    let args = with_server(server, extra);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    wand_run(dir, &refs)
}

fn fenced(code: &str) -> String {
    format!("```python\n{code}\n```")
}

fn last_user_message(request: &fake_server::Received) -> String {
    let body = request.json();
    let messages = body["messages"].as_array().unwrap();
    messages.last().unwrap()["content"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn builtin_puts_blocks_in_matching_bowls_out_of_the_box() {
    let dir = scratch("builtin");
    let (out, json) = wand_run(
        &dir,
        &[
            "--scene",
            "tabletop",
            "put the blocks in the bowls with matching colors",
        ],
    );
    assert!(out.status.success(), "{json}");
    assert_eq!(json["success"], true);
    assert_eq!(json["llm"], "builtin");
    assert_eq!(json["is_language_model"], false);
    assert_eq!(json["task"]["name"], "matching_bowls");
    assert_eq!(json["attempts"].as_array().unwrap().len(), 1);
    let transcript = std::fs::read_to_string(json["transcript"].as_str().unwrap()).unwrap();
    let events: Vec<Value> = transcript
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "start", "request", "reply", "code", "run", "verdict", "done"
        ]
    );
}

#[test]
fn an_instruction_the_builtin_planner_cannot_do_is_a_failure() {
    let dir = scratch("cannot");
    let instruction = "arrange the blocks in a circle around the middle of the table and juggle";
    let (out, json) = wand_run(&dir, &["--scene", "tabletop", instruction]);
    assert_eq!(out.status.code(), Some(1), "{json}");
    assert_eq!(json["success"], false, "{json}");
    let stopped = json["stopped"].as_str().unwrap();
    assert!(stopped.contains("builtin wrote no program"), "{stopped}");
    assert!(stopped.contains("I cannot do"), "{stopped}");
    assert_eq!(json["attempts"].as_array().unwrap().len(), 1, "{json}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.is_empty() || !stderr.contains("succeeded"),
        "{stderr}"
    );
}

#[test]
fn an_exception_is_repaired_on_the_second_attempt() {
    let dir = scratch("exception");
    let server = FakeServer::start(vec![
        Reply::openai(&fenced("say('starting')\nx = get_obj_pos('purple block')")),
        Reply::openai(&fenced(
            "pick('red block')\nplace([0.5, -0.2])\nsay('moved it')",
        )),
    ]);
    let (out, json) = run_with(&dir, &server, &["--scene", "demo", "move the red block"]);
    // Nothing judges "move the red block": exit 0, success null, and why.
    assert!(out.status.success(), "{json}");
    assert_eq!(json["success"], Value::Null, "{json}");
    assert!(
        json["not_judged"]
            .as_str()
            .unwrap()
            .contains("no task check applies"),
        "{json}"
    );
    assert_eq!(json["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(json["attempts"][0]["error"]["line"], 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let feedback = last_user_message(&requests[1]);
    assert!(feedback.contains("at line 2 with ValueError"), "{feedback}");
    assert!(
        feedback.contains("x = get_obj_pos('purple block')"),
        "{feedback}"
    );
    assert!(
        feedback.contains("unknown object 'purple block'"),
        "{feedback}"
    );
    assert_eq!(json["said"][0], "moved it");
}

#[test]
fn a_failed_success_check_is_repaired() {
    let dir = scratch("check");
    let server = FakeServer::start(vec![
        Reply::openai(&fenced("put_first_on_second('red block', 'blue bowl')")),
        Reply::openai(&fenced("put_first_on_second('red block', 'green bowl')")),
    ]);
    let (out, json) = run_with(
        &dir,
        &server,
        &["--scene", "demo", "put the red block in the green bowl"],
    );
    assert!(out.status.success(), "{json}");
    assert_eq!(json["task"]["name"], "block_in_bowl");
    assert_eq!(json["attempts"][0]["verdict"]["success"], false);
    let feedback = last_user_message(&server.requests()[1]);
    assert!(
        feedback.contains("the task is not done: 0 of 1 goal conditions hold; not yet: red block is inside blue bowl, not green bowl"),
        "{feedback}"
    );
}

#[test]
fn a_reply_without_code_is_answered_with_feedback() {
    let dir = scratch("nocode");
    let server = FakeServer::start(vec![
        Reply::openai("Sorry, I would rather not."),
        Reply::openai(&fenced("say('ok')")),
    ]);
    let (out, json) = run_with(&dir, &server, &["--scene", "demo", "say ok"]);
    assert!(out.status.success(), "{json}");
    assert_eq!(json["attempts"].as_array().unwrap().len(), 2);
    assert!(last_user_message(&server.requests()[1]).contains("no Python program"));
}

#[test]
fn a_429_is_retried_within_one_attempt() {
    let dir = scratch("ratelimit");
    let server = FakeServer::start(vec![
        Reply::json(429, serde_json::json!({"error": {"message": "slow down"}}))
            .with_header("Retry-After", "0"),
        Reply::openai(&fenced("say('ok')")),
    ]);
    let (out, json) = run_with(&dir, &server, &["--scene", "demo", "say ok"]);
    assert!(out.status.success(), "{json}");
    assert_eq!(server.requests().len(), 2);
    assert_eq!(json["attempts"].as_array().unwrap().len(), 1);
}

#[test]
fn a_model_that_never_answers_times_out_clearly() {
    let dir = scratch("timeout");
    let server = FakeServer::start(vec![
        Reply::openai(&fenced("say('late')")).delayed(Duration::from_secs(4)),
    ]);
    let (out, json) = run_with(
        &dir,
        &server,
        &[
            "--scene",
            "demo",
            "--llm-timeout-s",
            "1",
            "--llm-tries",
            "1",
            "say late",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json["success"], false);
    assert!(
        json["stopped"]
            .as_str()
            .unwrap()
            .contains("no answer within 1 s"),
        "{json}"
    );
}

#[test]
fn garbage_from_the_server_is_a_clear_error() {
    let dir = scratch("garbage");
    let server = FakeServer::start(vec![Reply::raw(200, "<html>not json</html>")]);
    let (out, json) = run_with(&dir, &server, &["--scene", "demo", "say hi"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        json["stopped"]
            .as_str()
            .unwrap()
            .contains("not what the API promises"),
        "{json}"
    );
}

#[test]
fn an_undefined_function_is_written_by_a_further_call() {
    let dir = scratch("hierarchy");
    let server = FakeServer::start(vec![
        Reply::openai(&fenced(
            "put_in_corner('blue block', 'top right corner')\nsay('done')",
        )),
        Reply::openai(&fenced(
            "def put_in_corner(name, corner):\n    pick(name)\n    place(get_location(corner))",
        )),
    ]);
    let (out, json) = run_with(
        &dir,
        &server,
        &[
            "--scene",
            "demo",
            "put the blue block in the top right corner",
        ],
    );
    assert!(out.status.success(), "{json}");
    assert_eq!(json["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(json["attempts"][0]["llm_calls"], 2);
    let question = last_user_message(&server.requests()[1]);
    assert!(
        question.contains("put_in_corner('blue block', 'top right corner')"),
        "{question}"
    );
    let blue = &json["objects"]["blue block"]["pos"];
    assert!((blue[0].as_f64().unwrap() - 0.8).abs() < 0.03, "{blue}");
    assert!((blue[1].as_f64().unwrap() + 0.3).abs() < 0.03, "{blue}");
}

#[test]
fn a_cached_run_replays_with_the_server_stopped_bit_for_bit() {
    let dir = scratch("replay");
    let mut server = FakeServer::start(vec![
        Reply::openai(&fenced("x = get_obj_pos('nope')")),
        Reply::openai(&fenced("put_first_on_second('green block', 'red block')")),
    ]);
    let args = ["--scene", "demo", "stack the green block on the red block"];
    let (first_out, first) = run_with(&dir, &server, &args);
    assert!(first_out.status.success(), "{first}");
    let url = server.openai_url();
    server.stop();
    let replay_args = [
        "--llm",
        "openai:test-model",
        "--base-url",
        &url,
        "--cache",
        "replay",
    ];
    let (second_out, second) = wand_run(&dir, &[&replay_args[..], &args[..]].concat());
    assert!(second_out.status.success(), "{second}");
    assert_eq!(first["objects"], second["objects"]);
    let codes = |j: &Value| {
        j["attempts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&first), codes(&second));
    // A request that was never recorded fails clearly, without the network.
    let (miss_out, miss) = wand_run(
        &dir,
        &[&replay_args[..], &["--scene", "demo", "something new"][..]].concat(),
    );
    assert_eq!(miss_out.status.code(), Some(1));
    assert!(
        miss["stopped"]
            .as_str()
            .unwrap()
            .contains("no cached reply"),
        "{miss}"
    );
}

#[test]
fn an_unknown_task_is_a_usage_error() {
    let dir = scratch("badtask");
    let out = Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(["run", "--task", "juggle", "--runs-dir"])
        .arg(dir.join("runs"))
        .arg("juggle the blocks")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown task 'juggle'; known tasks:"));
}

#[test]
fn an_llm_judge_that_errs_or_answers_garbage_never_passes() {
    let cases = [
        // A judge that answers neither yes nor no.
        (
            "judge-garbage",
            Reply::openai("It is hard to say from a description."),
            "the judge answered neither yes nor no",
        ),
        // A judge whose call fails (HTTP 400 is not retried).
        (
            "judge-error",
            Reply::json(
                400,
                serde_json::json!({"error": {"message": "bad request"}}),
            ),
            "the judge call failed",
        ),
    ];
    for (name, judge_reply, why) in cases {
        let dir = scratch(name);
        let server = FakeServer::start(vec![Reply::openai(&fenced("say('done')")), judge_reply]);
        let (out, json) = run_with(
            &dir,
            &server,
            &["--scene", "demo", "--judge", "llm", "tidy up the table"],
        );
        assert!(out.status.success(), "{json}");
        assert_eq!(json["success"], Value::Null, "{json}");
        assert!(
            json["not_judged"].as_str().unwrap().starts_with(why),
            "{json}"
        );
        assert!(json["attempts"][0]["verdict"].is_null(), "{json}");
    }
}

fn transcript_events(json: &Value) -> Vec<Value> {
    std::fs::read_to_string(json["transcript"].as_str().unwrap())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_think_draft_never_reaches_the_sandbox() {
    let dir = scratch("think");
    let reply = format!(
        "<think>\nA first idea:\n{}\nBut that object does not exist.\n</think>\n\n{}",
        fenced("x = get_obj_pos('purple block')"),
        fenced("say('thought it through')")
    );
    let server = FakeServer::start(vec![Reply::openai(&reply)]);
    let (out, json) = run_with(&dir, &server, &["--scene", "demo", "say something"]);
    assert!(out.status.success(), "{json}");
    assert_eq!(json["attempts"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json["attempts"][0]["code"], "say('thought it through')");
    assert_eq!(json["said"][0], "thought it through");
    let events = transcript_events(&json);
    let reply = events.iter().find(|e| e["event"] == "reply").unwrap();
    assert!(
        reply["reasoning"]
            .as_str()
            .unwrap()
            .contains("purple block"),
        "{reply}"
    );
    assert!(
        !reply["text"].as_str().unwrap().contains("<think>"),
        "{reply}"
    );
}

#[test]
fn a_reasoning_model_refusing_max_tokens_is_adapted_to_and_the_transcript_says_so() {
    let dir = scratch("adapt");
    let server = FakeServer::start(vec![
        Reply::openai_unsupported("max_tokens", "unsupported_parameter"),
        Reply::openai(&fenced("say('ok')")),
    ]);
    let (out, json) = run_with(
        &dir,
        &server,
        &["--scene", "demo", "--reasoning-effort", "low", "say ok"],
    );
    assert!(out.status.success(), "{json}");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let body = requests[1].json();
    assert_eq!(body["max_completion_tokens"], 2000, "{body}");
    assert_eq!(body["reasoning_effort"], "low", "{body}");
    let events = transcript_events(&json);
    let reply = events.iter().find(|e| e["event"] == "reply").unwrap();
    let adapted = reply["adapted"][0].as_str().unwrap();
    assert!(adapted.contains("max_completion_tokens"), "{adapted}");
}

#[test]
fn anthropic_streams_with_extended_thinking_through_wand_run() {
    let dir = scratch("anthropic-stream");
    let server = FakeServer::start(vec![Reply::anthropic_stream(
        &["Perhaps ```python\nx = get_obj_pos('purple block')\n```"],
        &["```python\nsay('", "streamed')\n```"],
        (120, 480),
        None,
    )]);
    let url = server.url();
    let (out, json) = wand_run(
        &dir,
        &[
            "--llm",
            "anthropic:claude-sonnet-4-20250514",
            "--base-url",
            &url,
            "--stream",
            "--thinking-budget",
            "2000",
            "--scene",
            "demo",
            "say something",
        ],
    );
    assert!(out.status.success(), "{json}");
    assert_eq!(json["said"][0], "streamed");
    assert_eq!(json["tokens"]["completion_tokens"], 480);
    assert_eq!(json["tokens"]["estimated"], false);
    let body = server.requests()[0].json();
    assert_eq!(body["thinking"]["budget_tokens"], 2000);
    assert!(body.get("temperature").is_none(), "{body}");
    let events = transcript_events(&json);
    let reply = events.iter().find(|e| e["event"] == "reply").unwrap();
    assert!(
        reply["reasoning"]
            .as_str()
            .unwrap()
            .contains("purple block"),
        "{reply}"
    );
}

#[test]
fn a_thinking_budget_for_an_openai_model_is_a_usage_error() {
    let dir = scratch("budget-openai");
    let out = Command::new(env!("CARGO_BIN_EXE_wand"))
        .args([
            "run",
            "--llm",
            "openai:gpt-4o-mini",
            "--thinking-budget",
            "2000",
        ])
        .arg("--runs-dir")
        .arg(dir.join("runs"))
        .arg("say hi")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reasoning-effort"));
}
