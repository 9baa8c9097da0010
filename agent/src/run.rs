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
use serde_json::{Value, json};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
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

/// Where the loop runs its programs. Every [`EpisodeRunner`] is one that runs them
/// inline, one at a time (`wand run`, tests); `wand eval` passes a [`PhysicsPool`], which
/// runs them on a bounded set of threads while other episodes wait for their models.
pub trait Executor {
    /// Runs the episode `request` asks for: its result, and the seconds it ran (not
    /// counting a wait for a free slot).
    fn execute<'a>(&'a self, request: EpisodeRequest) -> Pending<'a, Executed>;
}

/// What [`Executor::execute`] gives: the episode's result and the seconds it ran.
pub type Executed = (EpisodeResult, f64);

/// A result on its way.
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

impl<R: EpisodeRunner + ?Sized> Executor for R {
    fn execute<'a>(&'a self, request: EpisodeRequest) -> Pending<'a, Executed> {
        let started = Instant::now();
        let result = self.run(&request);
        Box::pin(std::future::ready((
            result,
            started.elapsed().as_secs_f64(),
        )))
    }
}

/// Programs of many episodes on at most `jobs` threads at once: an episode waits here
/// for a free slot (a model call never holds one), so `jobs` bounds the cores that step
/// physics however many episodes are in flight.
pub struct PhysicsPool {
    runner: Arc<dyn EpisodeRunner + Send + Sync>,
    slots: tokio::sync::Semaphore,
}

impl PhysicsPool {
    /// Runs with `runner` on at most `jobs` (at least 1) threads at once.
    pub fn new(runner: Arc<dyn EpisodeRunner + Send + Sync>, jobs: usize) -> PhysicsPool {
        PhysicsPool {
            runner,
            slots: tokio::sync::Semaphore::new(jobs.max(1)),
        }
    }
}

impl Executor for PhysicsPool {
    fn execute<'a>(&'a self, request: EpisodeRequest) -> Pending<'a, Executed> {
        Box::pin(async move {
            let _slot = self.slots.acquire().await.expect("the pool never closes");
            let started = Instant::now();
            let runner = Arc::clone(&self.runner);
            let sent = request.clone();
            let result = match tokio::task::spawn_blocking(move || runner.run(&sent)).await {
                Ok(result) => result,
                Err(e) => EpisodeResult::failed(
                    &request,
                    ProgramError::new(
                        "RuntimeError",
                        format!("the episode runner failed: {e}"),
                        None,
                        "",
                    ),
                    started.elapsed().as_secs_f64(),
                ),
            };
            (result, started.elapsed().as_secs_f64())
        })
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
    /// Programs drawn per attempt (`--samples`): each runs on the seeded scene and the
    /// best by reward is the attempt's (ranking feedback). 1 for one program.
    pub samples: u32,
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
    /// The skills offered (`--skills`): defined before each program, so it may call them.
    pub skills: Vec<crate::skills::Skill>,
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
            samples: 1,
            limits: Limits::default(),
            max_depth: 2,
            temperature: 0.0,
            max_tokens: 2000,
            reasoning_effort: None,
            thinking_budget: None,
            png: None,
            skills: Vec::new(),
            record: false,
        }
    }
}

/// The temperature with several samples when none is given: enough to make them differ.
pub const SAMPLING_TEMPERATURE: f64 = 0.7;

/// The sampling temperature: the one `given` (`--temperature`), else 0 for one sample
/// (the most repeatable replies) and [`SAMPLING_TEMPERATURE`] for several.
pub fn temperature_for(samples: u32, given: Option<f64>) -> f64 {
    given.unwrap_or(if samples > 1 {
        SAMPLING_TEMPERATURE
    } else {
        0.0
    })
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
    /// Seconds its programs ran (all samples; a wait for a free physics slot not counted).
    pub run_time_s: f64,
    /// Seconds of the agent's own work (prompting, checks, bookkeeping).
    pub agent_overhead_s: f64,
    /// With `--samples` above 1: how each program drawn for this attempt did, in the
    /// order drawn; the attempt's code, error and verdict are those of the best.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<SampleOutcome>,
    /// Which sample was the best (0 with one sample).
    pub chosen: u32,
    /// The chosen sample's recording, when [`RunConfig::record`] asked for one.
    #[serde(skip)]
    pub recording: Option<Box<EpisodeRecording>>,
}

/// How one of an attempt's samples did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SampleOutcome {
    pub sample: u32,
    /// Whether the check passed (`None` when the program did not run to the end, or
    /// nothing judged it).
    pub success: Option<bool>,
    /// The check's reward (the fraction of goal conditions that hold), 0 without one.
    pub reward: f64,
    /// The exception's kind, if the program did not compile or raised.
    pub error: Option<String>,
    pub tokens: Usage,
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
    /// Why the loop stopped early (a model error, or a planner that wrote no program), if
    /// it did.
    pub stopped: Option<String>,
    /// The kind of model error that stopped it ([`LlmError::kind`]), if one did.
    pub model_error: Option<&'static str>,
    /// Whether a watcher stopped the run halfway (the viewer's window was closed): not
    /// judged, and no more attempts.
    pub interrupted: bool,
}

/// The states of the loop.
enum State {
    /// Ask the model for `samples` programs (the conversation holds the feedback so far).
    Generate,
    /// Try each reply (check, complete, run, judge) and keep the best.
    Try {
        replies: Vec<(u32, String)>,
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

/// What became of one reply.
enum Tried {
    /// The reply held no program.
    NoCode,
    /// The program does not compile, so nothing ran.
    DoesNotCompile { code: String, error: ProgramError },
    /// Writing a function the program calls failed.
    ModelFailed(LlmError),
    /// The program ran (to the end, or until it raised) and was judged.
    Ran {
        code: String,
        result: Box<EpisodeResult>,
        judgement: Judgement,
    },
}

/// One reply tried: what became of it, what it cost, and the transcript events it made
/// (recorded once all samples are in, in the order drawn).
struct Trial {
    sample: u32,
    reply: String,
    tried: Tried,
    spent: Attempt,
    events: Vec<(&'static str, Value)>,
}

impl Trial {
    /// How good the trial is, best highest: passed, then ran to the end, then raised,
    /// then no program; within a class the check's reward.
    fn rank(&self) -> (u8, f64) {
        match &self.tried {
            Tried::Ran {
                judgement, result, ..
            } => {
                let reward = result.check.as_ref().map_or(0.0, |v| v.reward);
                match judgement {
                    Judgement::Verdict(v) if v.success => (3, reward),
                    Judgement::Raised => (1, reward),
                    _ => (2, reward),
                }
            }
            _ => (0, 0.0),
        }
    }

    fn outcome(&self) -> SampleOutcome {
        let (success, reward, error) = match &self.tried {
            Tried::NoCode | Tried::ModelFailed(_) => (None, 0.0, None),
            Tried::DoesNotCompile { error, .. } => (None, 0.0, Some(error.kind.clone())),
            Tried::Ran {
                result, judgement, ..
            } => (
                match judgement {
                    Judgement::Verdict(v) => Some(v.success),
                    _ => None,
                },
                result.check.as_ref().map_or(0.0, |v| v.reward),
                result.error.as_ref().map(|e| e.kind.clone()),
            ),
        };
        SampleOutcome {
            sample: self.sample,
            success,
            reward,
            error,
            tokens: self.spent.tokens,
        }
    }
}

/// Runs the loop for `config` with `model`, executing programs with `executor`. Async
/// for the model calls and, with a [`PhysicsPool`], for the programs. Outside async code,
/// wrap it in [`crate::llm::block_on`].
pub async fn run(
    model: &dyn LanguageModel,
    executor: &dyn Executor,
    config: &RunConfig,
    mut conversation: Vec<Message>,
    transcript: &mut Transcript,
) -> RunOutcome {
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut last_result: Option<EpisodeResult> = None;
    let mut stopped = None;
    let mut model_error = None;
    let mut interrupted = false;
    let mut state = State::Generate;
    let mut attempt_started = Instant::now();
    let samples = config.samples.max(1);
    // The scene's own gripper and perception, where the run does not choose them.
    let scene = wand_sim::Scene::load(&config.scene).ok();
    let gripper = (config.limits.gripper)
        .or_else(|| scene.as_ref().map(|s| s.robot.gripper))
        .unwrap_or_default();
    let perception = (config.limits.perception)
        .or_else(|| scene.as_ref().map(|s| s.perception.mode))
        .unwrap_or_default();
    transcript.record(
        "start",
        json!({
            "llm": model.name(), "is_language_model": model.is_language_model(),
            "scene": config.scene, "seed": config.seed, "instruction": config.instruction,
            "task": config.task.as_ref().map(|t| &t.task), "max_attempts": config.max_attempts,
            "samples": samples,
            "gripper": gripper.name(),
            "perception": perception.name(),
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
                    json!({ "attempt": number, "messages": conversation, "samples": samples }),
                );
                let conversation = &conversation;
                let asks = (0..samples).map(|sample| async move {
                    let mut spent = Attempt::default();
                    let reply = ask(model, config, conversation, sample, &mut spent).await;
                    (sample, reply, spent)
                });
                let mut replies = Vec::new();
                let mut first_error = None;
                for (sample, reply, spent) in futures_util::future::join_all(asks).await {
                    attempt.add(&spent);
                    match reply {
                        Ok(response) => {
                            let mut event = json!({
                                "attempt": number, "text": response.text,
                                "reasoning": response.reasoning, "tokens": spent.tokens,
                                "latency_s": spent.llm_latency_s,
                            });
                            if samples > 1 {
                                event["sample"] = json!(sample);
                            }
                            if !response.adapted.is_empty() {
                                event["adapted"] = json!(response.adapted);
                            }
                            transcript.record("reply", event);
                            // Only the answer goes on: the reasoning is not part of it.
                            replies.push((sample, response.text));
                        }
                        Err(e) => {
                            transcript.record(
                                "model_error",
                                json!({ "attempt": number, "sample": sample, "error": e.to_string() }),
                            );
                            first_error.get_or_insert(e);
                        }
                    }
                }
                match first_error {
                    // A sample whose call failed is left out; with none left, the loop stops.
                    Some(e) if replies.is_empty() => {
                        stopped = Some(e.to_string());
                        model_error = Some(e.kind());
                        State::Done {
                            success: Some(false),
                        }
                    }
                    _ => State::Try { replies },
                }
            }
            State::Try { replies } => {
                let trials = futures_util::future::join_all(
                    replies
                        .into_iter()
                        .map(|(sample, reply)| try_reply(model, executor, config, sample, reply)),
                )
                .await;
                let attempt = attempts.last_mut().expect("an attempt");
                for trial in &trials {
                    attempt.add(&trial.spent);
                    for (kind, fields) in &trial.events {
                        let mut fields = fields.clone();
                        fields["attempt"] = json!(attempt.number);
                        if samples > 1 {
                            fields["sample"] = json!(trial.sample);
                        }
                        transcript.record(kind, fields);
                    }
                }
                if samples > 1 {
                    attempt.samples = trials.iter().map(Trial::outcome).collect();
                }
                // The best by rank; the first drawn among equals.
                let mut best = trials
                    .into_iter()
                    .reduce(|best, t| if t.rank() > best.rank() { t } else { best })
                    .expect("at least one reply");
                attempt.chosen = best.sample;
                attempt.recording = best.spent.recording.take();
                if samples > 1 {
                    transcript.record(
                        "chosen",
                        json!({ "attempt": attempt.number, "sample": best.sample, "samples": attempt.samples }),
                    );
                }
                conversation.push(Message::assistant(best.reply.clone()));
                let binary = config.feedback == FeedbackKind::Binary;
                match best.tried {
                    // An offline planner that writes no program cannot do the task; asking
                    // it again would give the same answer.
                    Tried::NoCode if !model.is_language_model() => {
                        stopped = Some(format!(
                            "{} wrote no program: {}",
                            model.name(),
                            best.reply.trim()
                        ));
                        State::Done {
                            success: Some(false),
                        }
                    }
                    Tried::NoCode => State::Feedback {
                        text: if binary {
                            binary_feedback(attempt.number)
                        } else {
                            "Your reply had no Python program. Answer with one complete program in \
                             a single ```python block."
                                .into()
                        },
                    },
                    Tried::DoesNotCompile { code, error } => {
                        let text = if binary {
                            binary_feedback(attempt.number)
                        } else {
                            format!(
                                "The program does not compile, so nothing ran:\n{}\nWrite the whole \
                                 corrected program in one ```python block.",
                                error.traceback
                            )
                        };
                        attempt.code = Some(code);
                        attempt.error = Some(error);
                        State::Feedback { text }
                    }
                    Tried::ModelFailed(e) => {
                        stopped = Some(e.to_string());
                        model_error = Some(e.kind());
                        State::Done {
                            success: Some(false),
                        }
                    }
                    Tried::Ran { code, result, .. } if result.interrupted() => {
                        attempt.code = Some(code);
                        attempt.error = result.error.clone();
                        stopped = Some(format!(
                            "interrupted: {}",
                            result.error.as_ref().map_or("", |e| e.message.as_str())
                        ));
                        interrupted = true;
                        last_result = Some(*result);
                        State::Done { success: None }
                    }
                    Tried::Ran {
                        code,
                        result,
                        judgement,
                    } => {
                        attempt.code = Some(code);
                        attempt.error = result.error.clone();
                        let (verdict, not_judged) = match &judgement {
                            Judgement::Verdict(v) => (Some(v.clone()), None),
                            Judgement::NotJudged(why) => (None, Some(why.clone())),
                            Judgement::Raised => (None, None),
                        };
                        attempt.verdict = verdict.clone();
                        attempt.not_judged = not_judged;
                        let next = match judgement {
                            Judgement::Verdict(v) if v.success => State::Done {
                                success: Some(true),
                            },
                            Judgement::NotJudged(_) => State::Done { success: None },
                            _ => State::Feedback {
                                text: feedback(
                                    config.feedback,
                                    &result,
                                    verdict.as_ref(),
                                    attempt.number,
                                ),
                            },
                        };
                        last_result = Some(*result);
                        next
                    }
                }
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
            "tokens": tokens, "stopped": stopped, "interrupted": interrupted,
        }),
    );
    RunOutcome {
        success,
        not_judged,
        attempts,
        result: last_result,
        tokens,
        stopped,
        model_error,
        interrupted,
    }
}

impl Attempt {
    /// Adds what `other` spent (tokens, calls, waiting, running) to this attempt.
    fn add(&mut self, other: &Attempt) {
        self.tokens += other.tokens;
        self.llm_calls += other.llm_calls;
        self.llm_latency_s += other.llm_latency_s;
        self.run_time_s += other.run_time_s;
    }
}

/// Tries one reply: it must hold a program that compiles; functions it calls that nobody
/// defined are written; then it runs on the seeded scene and is judged.
async fn try_reply(
    model: &dyn LanguageModel,
    executor: &dyn Executor,
    config: &RunConfig,
    sample: u32,
    reply: String,
) -> Trial {
    let mut trial = Trial {
        sample,
        reply,
        tried: Tried::NoCode,
        spent: Attempt::default(),
        events: Vec::new(),
    };
    let Some(code) = extract_code(&trial.reply) else {
        return trial;
    };
    if let Err(error) = runtime::check(&code) {
        trial.tried = Tried::DoesNotCompile { code, error };
        return trial;
    }
    let code = match complete_functions(model, config, code, sample, &mut trial).await {
        Ok(code) => code,
        Err(e) => {
            trial.tried = Tried::ModelFailed(e);
            return trial;
        }
    };
    let request = EpisodeRequest {
        scene: config.scene.clone(),
        seed: config.seed,
        program: code.clone(),
        limits: config.limits.clone(),
        png: config.png.clone(),
        task: config.task.clone(),
        prelude: crate::skills::Library::prelude(&config.skills.iter().collect::<Vec<_>>()),
        record: config.record,
    };
    trial.events.push(("code", json!({ "code": code })));
    let (mut result, ran_s) = executor.execute(request).await;
    trial.spent.recording = result.recording.take();
    trial.spent.run_time_s = ran_s;
    trial.events.push(("run", json!({ "result": result })));
    let judgement = judge(model, config, &result, sample, &mut trial.spent).await;
    let (verdict, not_judged) = match &judgement {
        Judgement::Verdict(v) => (Some(v), None),
        Judgement::NotJudged(why) => (None, Some(why)),
        Judgement::Raised => (None, None),
    };
    trial.events.push((
        "verdict",
        json!({ "verdict": verdict, "not_judged": not_judged }),
    ));
    trial.tried = Tried::Ran {
        code,
        result: Box::new(result),
        judgement,
    };
    trial
}

/// One model call for `sample`, accounted to `attempt` (reasoning tokens included).
async fn ask(
    model: &dyn LanguageModel,
    config: &RunConfig,
    messages: &[Message],
    sample: u32,
    attempt: &mut Attempt,
) -> Result<ChatResponse, LlmError> {
    let request = ChatRequest {
        messages: messages.to_vec(),
        temperature: config.temperature,
        max_tokens: config.max_tokens,
        reasoning_effort: config.reasoning_effort,
        thinking_budget: config.thinking_budget,
        sample,
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
    sample: u32,
    trial: &mut Trial,
) -> Result<String, LlmError> {
    // Only what the program is offered counts as defined: at --api low a call to pick()
    // is a function the model must write.
    // Offered skills are defined too.
    let primitives: Vec<&str> = registry::offered(config.limits.api)
        .map(|p| p.name)
        .chain(config.skills.iter().map(|s| s.name()))
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
            let response = ask(model, config, &messages, sample, &mut trial.spent).await?;
            trial.events.push((
                "function",
                json!({
                    "depth": depth, "name": name,
                    "reply": response.text, "reasoning": response.reasoning,
                }),
            ));
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
    sample: u32,
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
    let reply = match ask(model, config, &[Message::user(question)], sample, attempt).await {
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
