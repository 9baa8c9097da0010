//! The agent loop, a closed state machine: generate → check → (complete) → run → judge →
//! feedback → generate … until the task succeeds or the attempt budget (counted in one
//! place, [`RunConfig::max_attempts`]) is spent. Every attempt restarts from the seeded
//! initial scene: the program runs in a fresh episode.

use crate::extract::{extract_code, undefined_calls};
use crate::llm::{
    ChatRequest, ChatResponse, LanguageModel, LlmError, Message, ReasoningEffort, Usage,
};
use crate::transcript::Transcript;
use serde::Serialize;
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;
use wand_primitives::episode::{self, EpisodeRecording, EpisodeRequest, EpisodeResult};
use wand_primitives::runtime::{self, ProgramError};
use wand_primitives::task::{TaskCheck, Verdict};
use wand_primitives::{Limits, registry, worker};

/// How an episode is executed: in this process (tests) or in a worker process (the CLI).
pub trait EpisodeRunner {
    fn run(&self, request: &EpisodeRequest) -> EpisodeResult;
}

/// Runs episodes in this process (no memory isolation: for tests and trusted programs).
pub struct InProcess;

impl EpisodeRunner for InProcess {
    fn run(&self, request: &EpisodeRequest) -> EpisodeResult {
        episode::run_episode(request, |_| {})
    }
}

/// Runs each episode in a worker process started from `exe` (the `wand` binary).
pub struct WorkerProcess {
    pub exe: PathBuf,
}

impl EpisodeRunner for WorkerProcess {
    fn run(&self, request: &EpisodeRequest) -> EpisodeResult {
        worker::run_in_worker(&self.exe, request)
    }
}

/// Who decides whether an attempt succeeded (`--judge none|llm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Judge {
    /// Only the task's success check (when a task is known); without one, a program
    /// that finishes is "not judged".
    None,
    /// Inner Monologue-style: the model is shown the final scene in words and answers
    /// yes or no with a reason (used when no task check applies).
    Llm,
}

/// What goes back to the model between attempts (`--feedback`): each kind adds to the one
/// before it, as the survey of code-execution feedback names them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackKind {
    /// Nothing: one attempt, whatever `max_attempts` says.
    None,
    /// Only that the attempt failed.
    Binary,
    /// Plus the error: the exception with its traceback and the failing line.
    Error,
    /// Plus the check's reasons (which goal conditions fail and why), what the program
    /// printed and what the robot said.
    Explain,
    /// Plus the objects' final poses and what the gripper holds (the default).
    Full,
}

impl FeedbackKind {
    /// The name used on the command line and in results ("explain").
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackKind::None => "none",
            FeedbackKind::Binary => "binary",
            FeedbackKind::Error => "error",
            FeedbackKind::Explain => "explain",
            FeedbackKind::Full => "full",
        }
    }
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunConfig {
    pub scene: String,
    pub seed: u64,
    pub instruction: String,
    /// The task whose check judges attempts, if known.
    pub task: Option<TaskCheck>,
    pub judge: Judge,
    /// The attempt budget: the loop never generates more programs than this.
    pub max_attempts: u32,
    /// What goes back to the model after a failed attempt.
    pub feedback: FeedbackKind,
    pub limits: Limits,
    /// How deep undefined functions are written by further model calls.
    pub max_depth: u32,
    pub temperature: f64,
    pub max_tokens: u32,
    /// `--reasoning-effort`, for reasoning models; `None` for the model's default.
    pub reasoning_effort: Option<ReasoningEffort>,
    /// `--thinking-budget`: tokens an Anthropic model may think before it answers.
    pub thinking_budget: Option<u32>,
    /// A PNG of the final scene of the last attempt.
    pub png: Option<PathBuf>,
    /// Keep each attempt's recording (frames and events) in [`Attempt::recording`].
    pub record: bool,
}

impl RunConfig {
    /// Defaults for an instruction on a scene.
    pub fn new(scene: &str, seed: u64, instruction: &str) -> RunConfig {
        RunConfig {
            scene: scene.to_string(),
            seed,
            instruction: instruction.to_string(),
            task: None,
            judge: Judge::None,
            max_attempts: 4,
            feedback: FeedbackKind::Full,
            limits: Limits::default(),
            max_depth: 2,
            temperature: 0.0,
            max_tokens: 2000,
            reasoning_effort: None,
            thinking_budget: None,
            png: None,
            record: false,
        }
    }
}

/// One attempt, as recorded in results and transcripts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Attempt {
    pub number: u32,
    /// The program that ran (with any generated helper functions), if the reply had one.
    pub code: Option<String>,
    pub error: Option<ProgramError>,
    /// The judge's verdict, when the program ran to the end and something judged it.
    pub verdict: Option<Verdict>,
    /// Why the attempt finished without a verdict (no check applies, or the judge erred).
    pub not_judged: Option<String>,
    pub tokens: Usage,
    /// Seconds spent waiting for the model in this attempt.
    pub llm_latency_s: f64,
    /// Model calls in this attempt (more than one with hierarchical generation).
    pub llm_calls: u32,
    /// Seconds the episode took.
    pub run_time_s: f64,
    /// Seconds of the agent's own work (prompting, checks, bookkeeping).
    pub agent_overhead_s: f64,
    /// The episode's recording, when [`RunConfig::record`] asked for one.
    #[serde(skip)]
    pub recording: Option<Box<EpisodeRecording>>,
}

/// How a run ended.
#[derive(Debug, Clone, Serialize)]
pub struct RunOutcome {
    /// `Some(true)` only when a check (or the judge) passed the last attempt;
    /// `Some(false)` when it failed, the program raised, or no program could be written;
    /// `None` when the last program finished and nothing judged it ("not judged").
    pub success: Option<bool>,
    /// Why the run was not judged, when `success` is `None`.
    pub not_judged: Option<String>,
    pub attempts: Vec<Attempt>,
    /// The last attempt's episode result.
    pub result: Option<EpisodeResult>,
    pub tokens: Usage,
    /// Why the loop stopped early (a model error), if it did.
    pub stopped: Option<String>,
}

/// The states of the loop.
enum State {
    /// Ask the model for a program (the conversation holds the feedback so far).
    Generate,
    /// Check the reply: it has code, the code parses, imports are allowed.
    Check {
        reply: String,
    },
    /// Write functions the program calls but nobody defined.
    Complete {
        code: String,
    },
    Run {
        code: String,
    },
    Judge {
        result: Box<EpisodeResult>,
    },
    /// Tell the model what went wrong; then generate again, or stop.
    Feedback {
        text: String,
    },
    Done {
        success: Option<bool>,
    },
}

/// What judging a finished episode gave.
enum Judgement {
    /// The program raised: the attempt failed, there is nothing to judge.
    Raised,
    /// A check or the judge decided.
    Verdict(Verdict),
    /// Nothing decided, and why.
    NotJudged(String),
}

/// Runs the loop for `config` with `model`, executing programs with `runner`. Async for
/// the model calls; the episode runs on this thread (it is CPU work, or a wait on a
/// worker process). Outside async code, wrap it in [`crate::llm::block_on`].
pub async fn run(
    model: &dyn LanguageModel,
    runner: &dyn EpisodeRunner,
    config: &RunConfig,
    mut conversation: Vec<Message>,
    transcript: &mut Transcript,
) -> RunOutcome {
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut last_result: Option<EpisodeResult> = None;
    let mut stopped = None;
    let mut state = State::Generate;
    let mut attempt_started = Instant::now();
    transcript.record(
        "start",
        json!({
            "llm": model.name(), "is_language_model": model.is_language_model(),
            "scene": config.scene, "seed": config.seed, "instruction": config.instruction,
            "task": config.task.as_ref().map(|t| &t.task), "max_attempts": config.max_attempts,
        }),
    );
    let success = loop {
        state = match state {
            State::Generate => {
                attempt_started = Instant::now();
                let number = attempts.len() as u32 + 1;
                attempts.push(Attempt {
                    number,
                    ..Attempt::default()
                });
                let attempt = attempts.last_mut().expect("just pushed");
                transcript.record(
                    "request",
                    json!({ "attempt": number, "messages": conversation }),
                );
                match ask(model, config, &conversation, attempt).await {
                    Ok(response) => {
                        let mut event = json!({
                            "attempt": number, "text": response.text,
                            "reasoning": response.reasoning, "tokens": attempt.tokens,
                            "latency_s": attempt.llm_latency_s,
                        });
                        if !response.adapted.is_empty() {
                            event["adapted"] = json!(response.adapted);
                        }
                        transcript.record("reply", event);
                        // Only the answer goes back: the reasoning is not part of it.
                        let reply = response.text;
                        conversation.push(Message::assistant(reply.clone()));
                        State::Check { reply }
                    }
                    Err(e) => {
                        stopped = Some(e.to_string());
                        transcript.record(
                            "model_error",
                            json!({ "attempt": number, "error": e.to_string() }),
                        );
                        State::Done {
                            success: Some(false),
                        }
                    }
                }
            }
            State::Check { reply } => match extract_code(&reply) {
                // An offline planner that writes no program cannot do the task; asking
                // it again would give the same answer.
                None if !model.is_language_model() => {
                    stopped = Some(format!(
                        "{} wrote no program: {}",
                        model.name(),
                        reply.trim()
                    ));
                    State::Done {
                        success: Some(false),
                    }
                }
                None => State::Feedback {
                    text: if config.feedback == FeedbackKind::Binary {
                        binary_feedback(attempts.len() as u32)
                    } else {
                        "Your reply had no Python program. Answer with one complete program in a \
                         single ```python block."
                            .into()
                    },
                },
                Some(code) => match runtime::check(&code) {
                    Err(error) => {
                        let attempt = attempts.last_mut().expect("an attempt");
                        attempt.code = Some(code);
                        attempt.error = Some(error.clone());
                        State::Feedback {
                            text: if config.feedback == FeedbackKind::Binary {
                                binary_feedback(attempt.number)
                            } else {
                                format!(
                                    "The program does not compile, so nothing ran:\n{}\nWrite the whole corrected program in one ```python block.",
                                    error.traceback
                                )
                            },
                        }
                    }
                    Ok(()) => State::Complete { code },
                },
            },
            State::Complete { code } => {
                let attempt = attempts.last_mut().expect("an attempt");
                match complete_functions(model, config, code, attempt, transcript).await {
                    Ok(code) => State::Run { code },
                    Err(e) => {
                        stopped = Some(e.to_string());
                        State::Done {
                            success: Some(false),
                        }
                    }
                }
            }
            State::Run { code } => {
                let request = EpisodeRequest {
                    scene: config.scene.clone(),
                    seed: config.seed,
                    program: code.clone(),
                    limits: config.limits.clone(),
                    png: config.png.clone(),
                    task: config.task.clone(),
                    record: config.record,
                };
                transcript.record("code", json!({ "attempt": attempts.len(), "code": code }));
                let run_started = Instant::now();
                let mut result = runner.run(&request);
                let attempt = attempts.last_mut().expect("an attempt");
                attempt.recording = result.recording.take();
                attempt.run_time_s = run_started.elapsed().as_secs_f64();
                attempt.code = Some(code.clone());
                attempt.error = result.error.clone();
                transcript.record(
                    "run",
                    json!({ "attempt": attempt.number, "result": result }),
                );
                State::Judge {
                    result: Box::new(result),
                }
            }
            State::Judge { result } => {
                let judgement = judge(
                    model,
                    config,
                    &result,
                    attempts.last_mut().expect("an attempt"),
                )
                .await;
                let attempt = attempts.last_mut().expect("an attempt");
                let (verdict, not_judged) = match &judgement {
                    Judgement::Verdict(v) => (Some(v.clone()), None),
                    Judgement::NotJudged(why) => (None, Some(why.clone())),
                    Judgement::Raised => (None, None),
                };
                attempt.verdict = verdict.clone();
                attempt.not_judged = not_judged.clone();
                transcript.record(
                    "verdict",
                    json!({
                        "attempt": attempt.number, "verdict": verdict, "not_judged": not_judged,
                    }),
                );
                let number = attempt.number;
                let next = match judgement {
                    Judgement::Verdict(v) if v.success => State::Done {
                        success: Some(true),
                    },
                    Judgement::NotJudged(_) => State::Done { success: None },
                    _ => State::Feedback {
                        text: feedback(config.feedback, &result, verdict.as_ref(), number),
                    },
                };
                last_result = Some(*result);
                next
            }
            State::Feedback { text } => {
                let attempt = attempts.last_mut().expect("an attempt");
                attempt.agent_overhead_s = (attempt_started.elapsed().as_secs_f64()
                    - attempt.llm_latency_s
                    - attempt.run_time_s)
                    .max(0.0);
                transcript.record(
                    "feedback",
                    json!({ "attempt": attempt.number, "text": text }),
                );
                // `none` is one shot: nothing goes back, so there is no second attempt.
                if attempts.len() as u32 >= config.max_attempts
                    || config.feedback == FeedbackKind::None
                {
                    State::Done {
                        success: Some(false),
                    }
                } else {
                    conversation.push(Message::user(text));
                    State::Generate
                }
            }
            State::Done { success } => break success,
        };
    };
    if let Some(attempt) = attempts.last_mut()
        && attempt.agent_overhead_s == 0.0
    {
        attempt.agent_overhead_s =
            (attempt_started.elapsed().as_secs_f64() - attempt.llm_latency_s - attempt.run_time_s)
                .max(0.0);
    }
    let tokens = attempts.iter().fold(Usage::default(), |mut sum, a| {
        sum += a.tokens;
        sum
    });
    let not_judged = match success {
        None => attempts.last().and_then(|a| a.not_judged.clone()),
        Some(_) => None,
    };
    transcript.record(
        "done",
        json!({
            "success": success, "not_judged": not_judged, "attempts": attempts.len(),
            "tokens": tokens, "stopped": stopped,
        }),
    );
    RunOutcome {
        success,
        not_judged,
        attempts,
        result: last_result,
        tokens,
        stopped,
    }
}

/// One model call, accounted to the attempt (reasoning tokens included).
async fn ask(
    model: &dyn LanguageModel,
    config: &RunConfig,
    messages: &[Message],
    attempt: &mut Attempt,
) -> Result<ChatResponse, LlmError> {
    let request = ChatRequest {
        messages: messages.to_vec(),
        temperature: config.temperature,
        max_tokens: config.max_tokens,
        reasoning_effort: config.reasoning_effort,
        thinking_budget: config.thinking_budget,
    };
    let response = model.complete(&request).await?;
    attempt.llm_calls += 1;
    attempt.llm_latency_s += response.latency_s;
    attempt.tokens += response.usage;
    Ok(response)
}

/// Hierarchical generation (Code as Policies): functions the program calls but nobody
/// defined are written by further model calls, from their name and how they are used,
/// recursively up to `max_depth`; their definitions go before the program.
async fn complete_functions(
    model: &dyn LanguageModel,
    config: &RunConfig,
    code: String,
    attempt: &mut Attempt,
    transcript: &mut Transcript,
) -> Result<String, LlmError> {
    // Only what the program is offered counts as defined: at --api low a call to pick()
    // is a function the model must write.
    let primitives: Vec<&str> = registry::offered(config.limits.api)
        .map(|p| p.name)
        .collect();
    let mut definitions: Vec<String> = Vec::new();
    for depth in 1..=config.max_depth {
        let combined = join(&definitions, &code);
        let missing = undefined_calls(&combined, &primitives);
        if missing.is_empty() {
            break;
        }
        for (name, usage) in missing {
            let question = format!(
                "Write the Python function `{name}` that this program calls as:\n    {usage}\n\n\
                 The program:\n```python\n{combined}\n```\n\
                 Answer with one ```python block that defines `def {name}(...)` (and nothing that \
                 runs at the top level), using the same primitives."
            );
            let messages = vec![
                Message::system(format!(
                    "{}\n# The primitives\n\n{}",
                    crate::prompt::SYSTEM,
                    wand_primitives::reference::text_for(config.limits.api)
                )),
                Message::user(question),
            ];
            let response = ask(model, config, &messages, attempt).await?;
            transcript.record(
                "function",
                json!({
                    "attempt": attempt.number, "depth": depth, "name": name,
                    "reply": response.text, "reasoning": response.reasoning,
                }),
            );
            let reply = response.text;
            if let Some(body) = extract_code(&reply).filter(|b| b.contains(&format!("def {name}")))
            {
                definitions.push(body);
            }
        }
    }
    Ok(join(&definitions, &code))
}

fn join(definitions: &[String], code: &str) -> String {
    if definitions.is_empty() {
        return code.to_string();
    }
    format!("{}\n\n{code}", definitions.join("\n\n"))
}

/// Judges a finished episode: the task's check when there is one, else the model as
/// judge (`--judge llm`), else nothing. A judge that errs or answers neither yes nor no
/// leaves the attempt not judged: it is never a pass.
async fn judge(
    model: &dyn LanguageModel,
    config: &RunConfig,
    result: &EpisodeResult,
    attempt: &mut Attempt,
) -> Judgement {
    if result.error.is_some() {
        return Judgement::Raised;
    }
    if let Some(verdict) = &result.check {
        return Judgement::Verdict(verdict.clone());
    }
    if config.judge != Judge::Llm {
        return Judgement::NotJudged(
            "no task check applies to this instruction and --judge is none".into(),
        );
    }
    let question = format!(
        "A robot was told: \"{}\"\nAfterwards the objects are:\n{}The robot said: {}\n\
         Did the robot do what it was told? Answer on one line: yes or no, then the reason.",
        config.instruction,
        object_lines(result),
        if result.said.is_empty() {
            "nothing".to_string()
        } else {
            result.said.join(" / ")
        }
    );
    let reply = match ask(model, config, &[Message::user(question)], attempt).await {
        Ok(response) => response.text,
        Err(e) => return Judgement::NotJudged(format!("the judge call failed: {e}")),
    };
    let answer = reply.trim().to_lowercase();
    let first_word: String = answer
        .chars()
        .skip_while(|c| !c.is_alphanumeric())
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let reason = format!("the judge says: {}", reply.trim());
    match first_word.as_str() {
        "yes" => Judgement::Verdict(Verdict::judged(true, reason)),
        "no" => Judgement::Verdict(Verdict::judged(false, reason)),
        _ => Judgement::NotJudged(format!(
            "the judge answered neither yes nor no: {:?}",
            reply.trim().chars().take(200).collect::<String>()
        )),
    }
}

fn object_lines(result: &EpisodeResult) -> String {
    result
        .objects
        .iter()
        .map(|(name, o)| {
            format!(
                "- {name} at [{:.3}, {:.3}, {:.3}]\n",
                o.pos[0], o.pos[1], o.pos[2]
            )
        })
        .collect()
}

/// What the model is told after a failed attempt, as much as `kind` allows.
fn feedback(
    kind: FeedbackKind,
    result: &EpisodeResult,
    verdict: Option<&Verdict>,
    attempt: u32,
) -> String {
    if kind <= FeedbackKind::Binary {
        return binary_feedback(attempt);
    }
    let mut text = String::new();
    match (&result.error, verdict) {
        (Some(error), _) => {
            let line = error
                .line
                .map(|l| format!(" at line {l}"))
                .unwrap_or_default();
            text.push_str(&format!(
                "Attempt {attempt} failed{line} with {}:\n{}\n",
                error.kind, error.traceback
            ));
        }
        (None, Some(v)) if kind >= FeedbackKind::Explain => text.push_str(&format!(
            "Attempt {attempt} ran to the end, but the task is not done: {}\n",
            v.reason
        )),
        (None, Some(_)) => text.push_str(&format!(
            "Attempt {attempt} ran to the end without an error, but the task is not done.\n"
        )),
        (None, None) => text.push_str(&format!("Attempt {attempt} did not succeed.\n")),
    }
    if kind >= FeedbackKind::Explain {
        if !result.output.is_empty() {
            let printed: String = result.output.chars().take(2000).collect();
            text.push_str(&format!("It printed:\n{printed}\n"));
        }
        if !result.said.is_empty() {
            text.push_str(&format!("It said: {}\n", result.said.join(" / ")));
        }
    }
    if kind >= FeedbackKind::Full {
        if !result.objects.is_empty() {
            text.push_str("The objects are now:\n");
            text.push_str(&object_lines(result));
        }
        if let Some(held) = &result.holding {
            text.push_str(&format!("The gripper still holds the {held}.\n"));
        }
    }
    text.push_str(RETRY);
    text
}

/// The closing line of every feedback message.
const RETRY: &str = "Each attempt starts again from the original scene. Write the whole \
                     corrected program in one ```python block.";

/// `--feedback binary`: that the attempt failed, nothing more.
fn binary_feedback(attempt: u32) -> String {
    format!("Attempt {attempt} did not succeed.\n{RETRY}")
}
