//! A fake model server for tests: real HTTP/1.1 on 127.0.0.1, answering each request
//! with the next scripted response and recording what it was sent.
//!
//! ```ignore
//! mod fake_server;
//! use fake_server::{FakeServer, Reply};
//! let server = FakeServer::start(vec![Reply::openai("print('hi')")]);
//! // … point a model at server.openai_url() …
//! assert_eq!(server.requests()[0].path, "/v1/chat/completions");
//! ```
//!
//! One connection per request (`Connection: close`), each on its own thread, so a reply
//! that is held back to provoke a timeout delays nothing else. [`FakeServer::by_turn`]
//! answers by the conversation's turn instead, so episodes in flight together each get
//! the same script; the server counts the requests it holds at once.

// Each test binary that includes this module uses only part of it.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One scripted HTTP response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// How long to wait before answering (to provoke client timeouts).
    pub delay: Duration,
}

impl Reply {
    /// A response with this status and a JSON body.
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    /// A response with this status and a body sent as is.
    pub fn raw(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// A successful OpenAI chat completion whose text is `text`.
    pub fn openai(text: &str) -> Reply {
        Reply::json(
            200,
            json!({
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17},
            }),
        )
    }

    /// A successful chat completion from a thinking model that puts its reasoning in
    /// `field` (`reasoning_content` for DeepSeek and vLLM, `reasoning` for Ollama and
    /// OpenRouter), with OpenAI's reasoning-token breakdown.
    pub fn openai_reasoning(field: &str, reasoning: &str, text: &str) -> Reply {
        let mut message = json!({"role": "assistant", "content": text});
        message[field] = json!(reasoning);
        Reply::json(
            200,
            json!({
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "model": "deepseek-reasoner",
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 40, "completion_tokens": 90, "total_tokens": 130,
                          "completion_tokens_details": {"reasoning_tokens": 70}},
            }),
        )
    }

    /// OpenAI's HTTP 400 for a parameter the model does not take: `code` is
    /// `unsupported_parameter` (max_tokens) or `unsupported_value` (temperature).
    pub fn openai_unsupported(param: &str, code: &str) -> Reply {
        let message = match param {
            "max_tokens" => "Unsupported parameter: 'max_tokens' is not supported with this \
                             model. Use 'max_completion_tokens' instead."
                .to_string(),
            "temperature" => "Unsupported value: 'temperature' does not support 0 with this \
                              model. Only the default (1) value is supported."
                .to_string(),
            other => format!("Unsupported parameter: '{other}' is not supported with this model."),
        };
        Reply::json(
            400,
            json!({"error": {"message": message, "type": "invalid_request_error",
                             "param": param, "code": code}}),
        )
    }

    /// A successful Anthropic message with a thinking block before its text.
    pub fn anthropic_thinking(thinking: &str, text: &str) -> Reply {
        Reply::json(
            200,
            json!({
                "id": "msg_fake",
                "type": "message",
                "role": "assistant",
                "model": "claude-sonnet-4-20250514",
                "content": [
                    {"type": "thinking", "thinking": thinking, "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h"},
                    {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"},
                    {"type": "text", "text": text},
                ],
                "stop_reason": "end_turn",
                "stop_sequence": null,
                "usage": {"input_tokens": 25, "output_tokens": 300},
            }),
        )
    }

    /// A successful Anthropic message whose text is `text`.
    pub fn anthropic(text: &str) -> Reply {
        Reply::json(
            200,
            json!({
                "id": "msg_fake",
                "type": "message",
                "role": "assistant",
                "content": [{"type": "text", "text": text}],
                "stop_reason": "end_turn",
                "usage": {"input_tokens": 20, "output_tokens": 7},
            }),
        )
    }

    /// An OpenAI server-sent event stream of `pieces`, then a usage chunk and `[DONE]`.
    pub fn openai_stream(pieces: &[&str], prompt_tokens: u64, completion_tokens: u64) -> Reply {
        let mut body = String::new();
        for piece in pieces {
            let chunk = json!({"choices": [{"index": 0, "delta": {"content": piece}}]});
            body.push_str(&format!("data: {chunk}\n\n"));
        }
        let usage = json!({"choices": [], "usage": {"prompt_tokens": prompt_tokens,
                           "completion_tokens": completion_tokens}});
        body.push_str(&format!("data: {usage}\n\ndata: [DONE]\n\n"));
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "text/event-stream".into())],
            body,
            delay: Duration::ZERO,
        }
    }

    /// An OpenAI-compatible stream from a thinking model (vLLM, DeepSeek): reasoning
    /// deltas in `reasoning_content`, then content deltas, then llama.cpp-style `timings`
    /// in the last chunk instead of `usage`.
    pub fn openai_reasoning_stream(reasoning: &[&str], pieces: &[&str]) -> Reply {
        let mut body = String::new();
        for piece in reasoning {
            let chunk = json!({"choices": [{"index": 0, "delta": {"reasoning_content": piece}}]});
            body.push_str(&format!("data: {chunk}\n\n"));
        }
        for piece in pieces {
            let chunk = json!({"choices": [{"index": 0, "delta": {"content": piece}}]});
            body.push_str(&format!("data: {chunk}\n\n"));
        }
        let last = json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                          "timings": {"prompt_n": 33, "prompt_ms": 40.1,
                                      "predicted_n": 21, "predicted_ms": 300.2}});
        body.push_str(&format!("data: {last}\n\ndata: [DONE]\n\n"));
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "text/event-stream".into())],
            body,
            delay: Duration::ZERO,
        }
    }

    /// An Anthropic message stream as the API sends it: `message_start` (input tokens),
    /// a thinking block of `thinking` deltas with its signature, a text block of `text`
    /// deltas, a `ping`, `message_delta` with the output tokens and `message_stop`. With
    /// `error`, an `error` event of that type comes after the first text delta instead
    /// of the rest.
    pub fn anthropic_stream(
        thinking: &[&str],
        text: &[&str],
        usage: (u64, u64),
        error: Option<&str>,
    ) -> Reply {
        let mut events: Vec<(&str, Value)> = vec![(
            "message_start",
            json!({"type": "message_start", "message": {
                "id": "msg_fake", "type": "message", "role": "assistant",
                "model": "claude-sonnet-4-20250514", "content": [], "stop_reason": null,
                "stop_sequence": null, "usage": {"input_tokens": usage.0, "output_tokens": 1}}}),
        )];
        let mut index = 0;
        if !thinking.is_empty() {
            events.push((
                "content_block_start",
                json!({"type": "content_block_start",
                "index": index, "content_block": {"type": "thinking", "thinking": ""}}),
            ));
            for piece in thinking {
                events.push((
                    "content_block_delta",
                    json!({"type": "content_block_delta",
                    "index": index, "delta": {"type": "thinking_delta", "thinking": piece}}),
                ));
            }
            events.push((
                "content_block_delta",
                json!({"type": "content_block_delta",
                "index": index, "delta": {"type": "signature_delta",
                "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3h"}}),
            ));
            events.push((
                "content_block_stop",
                json!({"type": "content_block_stop", "index": index}),
            ));
            index += 1;
        }
        events.push((
            "content_block_start",
            json!({"type": "content_block_start",
            "index": index, "content_block": {"type": "text", "text": ""}}),
        ));
        events.push(("ping", json!({"type": "ping"})));
        for (n, piece) in text.iter().enumerate() {
            events.push((
                "content_block_delta",
                json!({"type": "content_block_delta",
                "index": index, "delta": {"type": "text_delta", "text": piece}}),
            ));
            if let (0, Some(kind)) = (n, error) {
                events.push((
                    "error",
                    json!({"type": "error",
                    "error": {"type": kind, "message": "Overloaded"}}),
                ));
                break;
            }
        }
        if error.is_none() {
            events.push((
                "content_block_stop",
                json!({"type": "content_block_stop", "index": index}),
            ));
            events.push((
                "message_delta",
                json!({"type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": null},
                "usage": {"output_tokens": usage.1}}),
            ));
            events.push(("message_stop", json!({"type": "message_stop"})));
        }
        let body: String = events
            .iter()
            .map(|(name, data)| format!("event: {name}\ndata: {data}\n\n"))
            .collect();
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "text/event-stream".into())],
            body,
            delay: Duration::ZERO,
        }
    }

    /// The same response with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same response, held back for `delay` first.
    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// When it arrived.
    pub at: Instant,
}

impl Received {
    /// The value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Default)]
struct State {
    replies: VecDeque<Reply>,
    /// With [`FakeServer::by_turn`]: the reply for each turn.
    turns: Option<Vec<Reply>>,
    /// With [`FakeServer::routed`]: (text the request contains, reply), first match wins.
    routes: Vec<(String, Reply)>,
    received: Vec<Received>,
    /// Requests being answered now, and the most there were at once.
    in_flight: usize,
    peak_in_flight: usize,
}

/// The server; it stops when dropped (or by [`FakeServer::stop`]).
pub struct FakeServer {
    port: u16,
    state: Arc<Mutex<State>>,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl FakeServer {
    /// Listens on a free port of 127.0.0.1 and answers with `replies` in order; once they
    /// run out, every request gets a 500 saying so.
    pub fn start(replies: Vec<Reply>) -> FakeServer {
        FakeServer::with_state(State {
            replies: replies.into(),
            ..State::default()
        })
    }

    /// Answers each request by its conversation's turn: `turns[k]` to a request with k
    /// assistant messages after the task (the last message saying "Instruction:"): the
    /// k-th attempt's, from 0; a 500 past the end. Every conversation gets the same script, however many are in flight.
    pub fn by_turn(turns: Vec<Reply>) -> FakeServer {
        FakeServer::with_state(State {
            turns: Some(turns),
            ..State::default()
        })
    }

    /// Answers each request with the reply of the first route whose text the request's
    /// body contains (a 500 when none does), however many times it is asked.
    pub fn routed(routes: Vec<(&str, Reply)>) -> FakeServer {
        FakeServer::with_state(State {
            routes: routes
                .into_iter()
                .map(|(needle, reply)| (needle.to_string(), reply))
                .collect(),
            ..State::default()
        })
    }

    /// [`FakeServer::by_turn`], except that a request containing a route's text gets that
    /// route's reply (first match wins).
    pub fn by_turn_with_routes(turns: Vec<Reply>, routes: Vec<(&str, Reply)>) -> FakeServer {
        let server = FakeServer::routed(routes);
        server.state.lock().unwrap().turns = Some(turns);
        server
    }

    /// The most requests the server was answering at once.
    pub fn peak_in_flight(&self) -> usize {
        self.state.lock().unwrap().peak_in_flight
    }

    fn with_state(state: State) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let port = listener.local_addr().expect("local address").port();
        let state = Arc::new(Mutex::new(state));
        let stopping = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let state = Arc::clone(&state);
            let stopping = Arc::clone(&stopping);
            std::thread::spawn(move || accept_loop(listener, state, stopping))
        };
        FakeServer {
            port,
            state,
            stopping,
            acceptor: Some(acceptor),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The base URL an OpenAI-compatible client wants: `http://127.0.0.1:PORT/v1`.
    pub fn openai_url(&self) -> String {
        format!("{}/v1", self.url())
    }

    /// Adds a reply to the end of the script.
    pub fn push(&self, reply: Reply) {
        self.state.lock().unwrap().replies.push_back(reply);
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// Stops listening: later connections are refused.
    pub fn stop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(listener: TcpListener, state: Arc<Mutex<State>>, stopping: Arc<AtomicBool>) {
    while !stopping.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let state = Arc::clone(&state);
                std::thread::spawn(move || {
                    let _ = serve(stream, &state);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => break,
        }
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body = String::from_utf8_lossy(&body).into_owned();
    let reply = {
        let mut state = state.lock().unwrap();
        state.in_flight += 1;
        state.peak_in_flight = state.peak_in_flight.max(state.in_flight);
        let routed = state
            .routes
            .iter()
            .find(|(needle, _)| body.contains(needle.as_str()))
            .map(|(_, reply)| reply.clone());
        let scripted = match &state.turns {
            _ if routed.is_some() => routed,
            None if !state.routes.is_empty() => None,
            Some(turns) => {
                let request: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let messages = request["messages"].as_array().cloned().unwrap_or_default();
                let task = messages
                    .iter()
                    .rposition(|m| {
                        m["content"]
                            .as_str()
                            .is_some_and(|c| c.contains("Instruction:"))
                    })
                    .unwrap_or(0);
                let turn = messages[task..]
                    .iter()
                    .filter(|m| m["role"] == "assistant")
                    .count();
                turns.get(turn).cloned()
            }
            None => state.replies.pop_front(),
        };
        state.received.push(Received {
            method,
            path,
            headers,
            body,
            at: Instant::now(),
        });
        scripted.unwrap_or_else(|| {
            Reply::json(
                500,
                json!({"error": {"message": "fake server: no scripted reply left"}}),
            )
        })
    };
    let answered = answer(stream, &reply);
    state.lock().unwrap().in_flight -= 1;
    answered
}

fn answer(stream: TcpStream, reply: &Reply) -> std::io::Result<()> {
    std::thread::sleep(reply.delay);
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(reply.body.as_bytes())?;
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
