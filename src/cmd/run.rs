//! `wand run`: an instruction goes to a language model (or the offline builtin planner),
//! which writes a program; the program runs on the seeded scene; what happened goes back
//! until the task succeeds or the attempts run out.

use super::window::LiveView;
use super::{EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, InputError};
use anyhow::Context;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};
use wand_agent::cache::{CacheMode, CachedModel};
use wand_agent::llm::ReasoningEffort;
use wand_agent::llm::builtin::BuiltinPlanner;
use wand_agent::llm::prices::cost_usd;
use wand_agent::llm::spec::{ModelOptions, model_from_spec};
use wand_agent::run::{self, EpisodeRunner, Executor, Judge, RunConfig, WorkerProcess};
use wand_agent::skills::rank::{TOP_K, rank};
use wand_agent::skills::{Library, Skill, learn, prompt_section};
use wand_agent::transcript::Transcript;
use wand_agent::{llm::LanguageModel, prompt};
use wand_primitives::episode::{EpisodeRequest, EpisodeResult};
use wand_primitives::task::{SceneState, TaskCheck, TaskSet};
use wand_primitives::{ApiLevel, Limits};
use wand_sim::Scene;
use wand_sim::recording::{Attempt, Header, Outcome, Recording};

/// Arguments of `wand run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What the robot should do, in plain words.
    instruction: String,
    #[command(flatten)]
    at: super::SceneArgs,
    /// Who writes the programs: `builtin` (an offline rule-based planner, NOT a language
    /// model: no key, no network), `openai:MODEL` (any OpenAI-compatible server: OpenAI,
    /// Ollama, vLLM, llama.cpp, OpenRouter) or `anthropic:MODEL`.
    #[arg(long, default_value = "builtin")]
    llm: String,
    /// Base URL of the model server (e.g. http://localhost:11434/v1 for Ollama).
    #[arg(long)]
    base_url: Option<String>,
    /// Environment variable holding the API key (default OPENAI_API_KEY / ANTHROPIC_API_KEY).
    #[arg(long)]
    api_key_env: Option<String>,
    /// Stream the model's reply as server-sent events (both providers): long replies
    /// from thinking models arrive as they are written.
    #[arg(long)]
    stream: bool,
    /// Anthropic extended thinking: tokens the model may think for before it answers
    /// (at least 1024; the answer's own tokens come on top; no temperature is sent).
    #[arg(long, value_name = "TOKENS", value_parser = clap::value_parser!(u32).range(1024..))]
    thinking_budget: Option<u32>,
    /// How hard a reasoning model thinks (OpenAI's o1/o3/o4/gpt-5 families, gpt-oss);
    /// default: the model's own.
    #[arg(long, value_enum)]
    reasoning_effort: Option<Effort>,
    /// Seconds to wait for one model reply.
    #[arg(long, default_value_t = 120.0)]
    llm_timeout_s: f64,
    /// Tries per model call: 429, 5xx, timeouts and lost connections are retried with
    /// exponential backoff.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=10))]
    llm_tries: u32,
    /// The task family whose success check judges the run (default: the one the
    /// instruction matches, if any; `wand tasks` lists them).
    #[arg(long)]
    task: Option<String>,
    #[command(flatten)]
    tasks_dir: super::tasks::TasksDirArgs,
    /// Without a task check: `none` (a program that finishes is "not judged": exit 0,
    /// `success: null`) or `llm` (the model judges the final scene from a description,
    /// yes or no with a reason; a judge that errs leaves the run not judged).
    #[arg(long, value_enum, default_value_t = Judge::None)]
    judge: Judge,
    /// Most programs to try.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=20))]
    max_attempts: u32,
    /// Programs drawn per attempt: each runs on the seeded scene and the best by reward
    /// (the task's goal-condition fraction) is kept and fed back.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=32))]
    samples: u32,
    /// Sampling temperature (default 0, or 0.7 with --samples above 1).
    #[arg(long, value_parser = super::temperature)]
    temperature: Option<f64>,
    /// Response cache: `on` (reuse and record replies), `off`, or `replay` (never touch
    /// the network; a reply missing from the cache is an error).
    #[arg(long, value_enum, default_value_t = CacheMode::On)]
    cache: CacheMode,
    /// Where cached replies live.
    #[arg(long, default_value = ".wand/cache")]
    cache_dir: PathBuf,
    /// Where run transcripts go (a folder per run).
    #[arg(long, default_value = ".wand/runs")]
    runs_dir: PathBuf,
    /// Print one JSON object instead of a report.
    #[arg(long)]
    json: bool,
    /// Write a PNG of the final scene of the last attempt.
    #[arg(long, value_name = "FILE.png")]
    png: Option<PathBuf>,
    /// Write a recording of every attempt (its program, the scene over time, the line
    /// being executed, what was said, its error or verdict) for `wand replay`; format:
    /// docs/RECORDINGS.md.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// The primitives offered, in the prompt and the interpreter: `high` (with pick,
    /// place, …) or `low` (the building blocks only: the model composes picks itself).
    #[arg(long, value_enum, default_value_t = ApiLevel::High)]
    api: ApiLevel,
    #[command(flatten)]
    rig: super::RigArgs,
    /// Wall-clock limit per program run, seconds.
    #[arg(long, default_value_t = Limits::default().timeout_s)]
    timeout_s: f64,
    /// Show the run live in the viewer's window (`wand-viewer`): each program as it runs,
    /// between the model's replies; closing the window stops the run (exit 130, no more
    /// attempts). Without a display it says so and the run goes on headless.
    #[arg(long)]
    view: bool,
    /// A skill library (conventionally .wand/skills): the skills most relevant to the
    /// instruction are offered (in the prompt, and defined before the program), and a
    /// program that passes its task's check is kept there as a new skill once it passes
    /// on fresh seeds too. Off by default.
    #[arg(long, value_name = "DIR")]
    skills: Option<PathBuf>,
}

/// `--reasoning-effort` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Effort {
    Low,
    Medium,
    High,
}

impl From<Effort> for ReasoningEffort {
    fn from(effort: Effort) -> ReasoningEffort {
        match effort {
            Effort::Low => ReasoningEffort::Low,
            Effort::Medium => ReasoningEffort::Medium,
            Effort::High => ReasoningEffort::High,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let scene = Scene::load(&args.at.scene)?;
    let world = scene.build(args.at.seed)?;
    let tasks = args.tasks_dir.load()?;
    let task = choose_task(&args, &tasks, &scene, &world)?;
    let cache = args.cache;
    let options = ModelOptions {
        base_url: args.base_url.clone(),
        api_key_env: args.api_key_env.clone(),
        timeout_s: args.llm_timeout_s,
        stream: args.stream,
        max_attempts: args.llm_tries,
        ..ModelOptions::default()
    };
    if args.thinking_budget.is_some() && !args.llm.trim().starts_with("anthropic:") {
        return Err(InputError(format!(
            "--thinking-budget is Anthropic's extended thinking and --llm is '{}'; use it with \
             anthropic:MODEL (for OpenAI reasoning models, --reasoning-effort)",
            args.llm
        ))
        .into());
    }
    let inner: Box<dyn LanguageModel> = if args.llm.trim() == "builtin" {
        // The planner knows the same families as the checks, --tasks-dir included.
        Box::new(BuiltinPlanner::with_tasks(tasks.clone()))
    } else {
        model_from_spec(&args.llm, &options).map_err(|e| InputError(e.to_string()))?
    };
    let model = CachedModel::new(inner, cache, args.cache_dir.clone());
    let bounds = [
        [scene.placement.x_m.min, scene.placement.y_m.min],
        [scene.placement.x_m.max, scene.placement.y_m.max],
    ];
    let mut library = match &args.skills {
        Some(dir) => Some(super::skills::load_fresh(dir, &tasks)?),
        None => None,
    };
    let offered: Vec<Skill> = library.as_ref().map_or_else(Vec::new, |l| {
        rank(&l.skills, &args.instruction, TOP_K)
            .into_iter()
            .cloned()
            .collect()
    });
    let conversation = prompt::initial_messages(
        &wand_primitives::reference::text_for(args.api),
        &prompt::describe_scene(&world, bounds),
        &prompt_section(&offered.iter().collect::<Vec<_>>()),
        &args.instruction,
    );
    let mut config = RunConfig::new(&args.at.scene, args.at.seed, &args.instruction);
    config.task = task;
    config.judge = args.judge;
    config.max_attempts = args.max_attempts;
    config.samples = args.samples;
    config.temperature = run::temperature_for(args.samples, args.temperature);
    config.reasoning_effort = args.reasoning_effort.map(ReasoningEffort::from);
    config.thinking_budget = args.thinking_budget;
    config.limits.timeout_s = args.timeout_s;
    config.limits.api = args.api;
    args.rig.apply(&mut config.limits);
    config.png = args.png.clone();
    config.skills = offered;
    config.record = args.record.is_some();
    if let Some(path) = &args.record {
        super::script::check_writable(path)?;
    }
    let run_dir = args
        .runs_dir
        .join(format!("{}-{}-{}", timestamp(), scene.name, args.at.seed));
    let mut transcript = Transcript::create(&run_dir)
        .with_context(|| format!("cannot write the transcript under {}", run_dir.display()))?;
    let exe =
        std::env::current_exe().context("cannot find the wand executable to start a worker")?;
    if !config.skills.is_empty() {
        let names: Vec<&str> = config.skills.iter().map(Skill::name).collect();
        transcript.record("skills_offered", json!({ "skills": names }));
    }
    let runner = WorkerProcess { exe };
    let live = if args.view {
        let mut header = Header::describe(&world, &args.at.scene, args.at.seed, &scene.camera);
        header.instruction = Some(args.instruction.clone());
        LiveView::open(&header)
    } else {
        None
    };
    let viewed = live.map(|view| Viewed {
        exe: runner.exe.clone(),
        view: RefCell::new(view),
    });
    let executor: &dyn Executor = match &viewed {
        Some(viewed) => viewed,
        None => &runner,
    };
    // One loop, one current-thread runtime: `wand run` stays one command.
    let outcome = wand_agent::llm::block_on(run::run(
        &model,
        executor,
        &config,
        conversation,
        &mut transcript,
    ));
    if let Some(path) = &args.record {
        save_recording(path, &outcome, &args.instruction)?;
    }
    if let Some(library) = &mut library
        && !outcome.interrupted
    {
        keep_skill(
            library,
            &tasks,
            &model,
            &runner,
            &config,
            &outcome,
            &mut transcript,
        );
    }
    let cost = cost_usd(&args.llm, &outcome.tokens);
    if args.json {
        let mut out = match &outcome.result {
            Some(result) => serde_json::to_value(result)?,
            None => json!({ "scene": scene.name, "seed": args.at.seed, "error": null }),
        };
        let fields = json!({
            "success": outcome.success,
            "not_judged": outcome.not_judged,
            "instruction": args.instruction,
            "task": config.task.as_ref().map(|t| &t.task),
            "llm": model.name(),
            "is_language_model": model.is_language_model(),
            "attempts": outcome.attempts,
            "tokens": outcome.tokens,
            "cost_usd": cost,
            "stopped": outcome.stopped,
            "transcript": transcript.path(),
        });
        if let (Value::Object(map), Value::Object(extra)) = (&mut out, fields) {
            map.extend(extra);
        }
        println!("{}", serde_json::to_string(&out)?);
    } else {
        report(&outcome, &model, &transcript, cost);
    }
    if let Some(viewed) = viewed {
        viewed.view.into_inner().wait();
    }
    // Finished but not judged is not a failure: nothing said it failed.
    Ok(ExitCode::from(if outcome.interrupted {
        EXIT_INTERRUPTED
    } else if outcome.success == Some(false) {
        EXIT_FAILED
    } else {
        EXIT_OK
    }))
}

/// Programs run in a worker the viewer's window watches (`--view`).
struct Viewed {
    exe: PathBuf,
    view: RefCell<LiveView>,
}

impl EpisodeRunner for Viewed {
    fn run(&self, request: &EpisodeRequest) -> EpisodeResult {
        self.view.borrow_mut().run(&self.exe, request)
    }
}

/// After a run that passed its task's check: the program, made a function of the task's
/// parameters and verified on fresh seeds, joins the library (said on stderr and in the
/// transcript, as is why not).
fn keep_skill(
    library: &mut Library,
    tasks: &TaskSet,
    model: &dyn LanguageModel,
    runner: &WorkerProcess,
    config: &RunConfig,
    outcome: &run::RunOutcome,
    transcript: &mut Transcript,
) {
    let (Some(true), Some(check), Some(program)) = (
        outcome.success,
        &config.task,
        outcome.attempts.last().and_then(|a| a.code.as_deref()),
    ) else {
        return;
    };
    let Ok(family) = tasks.get(&check.task.name) else {
        return;
    };
    let name = learn::skill_name(family);
    let kept = match library.get(&name) {
        Some(skill) if skill.is_verified() => Err(format!("the library already has {name}")),
        _ => wand_agent::llm::block_on(learn::learn(
            model,
            runner,
            family,
            &check.task,
            // A run knows its instruction, not which template it matched: the instruction
            // stands for the template in the docstring and the index.
            &config.instruction,
            &config.instruction,
            program,
            &config.scene,
            config.seed,
        ))
        .and_then(|skill| {
            let seeds = skill.entry.verified_seeds.clone();
            library.add(skill);
            library.save().map(|()| seeds)
        }),
    };
    match kept {
        Ok(seeds) => {
            eprintln!("learned skill {name}, verified on seeds {seeds:?}");
            transcript.record(
                "skill",
                json!({ "kept": true, "name": name, "seeds": seeds }),
            );
        }
        Err(why) => {
            eprintln!("no new skill: {why}");
            transcript.record("skill", json!({ "kept": false, "name": name, "why": why }));
        }
    }
}

/// The task to judge by: `--task` (parameters from the instruction when it matches that
/// family), else whatever the instruction matches. A matched task that does not apply to
/// this scene ("the block left of the green bowl" with none there) is bad input.
fn choose_task(
    args: &Args,
    tasks: &TaskSet,
    scene: &Scene,
    world: &wand_sim::World,
) -> anyhow::Result<Option<TaskCheck>> {
    let names = world.object_names();
    let matched = tasks.match_instruction(&args.instruction, &names);
    let spec = match &args.task {
        None => matched,
        Some(name) => {
            let family = tasks.get(name).map_err(|e| InputError(e.to_string()))?;
            match matched {
                Some(spec) if spec.name == *name => Some(spec),
                _ if family.file.params.is_empty() => Some(family.typed_params(&[])?),
                _ => {
                    return Err(InputError(format!(
                        "the instruction does not read as task '{name}', so its parameters \
                         ({}) are unknown; phrase it like \"{}\"",
                        family.param_names().join(", "),
                        family.templates(wand_primitives::task::Split::Seen)[0].text
                    ))
                    .into());
                }
            }
        }
    };
    let Some(spec) = spec else {
        return Ok(None);
    };
    let check = tasks
        .resolve(&spec, Some(&names))
        .map_err(|e| InputError(e.to_string()))?;
    check
        .applies(&SceneState::capture(world, &scene.placement))
        .map_err(|why| {
            InputError(format!(
                "the instruction reads as task {}, which does not apply to this scene: {why}",
                spec.describe()
            ))
        })?;
    Ok(Some(check))
}

/// Writes the run's attempts as one recording: the attempts that ran with their frames
/// and events, the others (no program, a compile error) with their outcome only.
fn save_recording(
    path: &std::path::Path,
    outcome: &run::RunOutcome,
    instruction: &str,
) -> anyhow::Result<()> {
    let Some(mut header) = outcome
        .attempts
        .iter()
        .find_map(|a| a.recording.as_ref().map(|r| r.header.clone()))
    else {
        eprintln!(
            "no recording written to {}: no attempt's program ran",
            path.display()
        );
        return Ok(());
    };
    header.instruction = Some(instruction.to_string());
    let attempts = outcome
        .attempts
        .iter()
        .map(|a| {
            let (frames, events) = match &a.recording {
                Some(r) => (r.attempt.frames.clone(), r.attempt.events.clone()),
                None => (Vec::new(), Vec::new()),
            };
            let verdict = a.verdict.as_ref().map(|v| v.reason.clone());
            Attempt {
                number: a.number,
                program: a.code.clone().unwrap_or_default(),
                frames,
                events,
                outcome: Outcome {
                    success: match (&a.error, &a.verdict) {
                        (Some(_), _) => Some(false),
                        (None, Some(v)) => Some(v.success),
                        (None, None) => None,
                    },
                    error: a.error.as_ref().map(|e| e.summary()),
                    error_line: a.error.as_ref().and_then(|e| e.line),
                    verdict: verdict.or_else(|| a.not_judged.clone()),
                },
            }
        })
        .collect();
    Recording { header, attempts }
        .save(path)
        .with_context(|| format!("cannot write the recording {}", path.display()))
}

/// UTC time as YYYYMMDD-HHMMSS, for run folder names.
fn timestamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn report(
    outcome: &run::RunOutcome,
    model: &dyn LanguageModel,
    transcript: &Transcript,
    cost: Option<f64>,
) {
    let label = if model.is_language_model() {
        model.name()
    } else {
        format!("{} (offline planner, not a language model)", model.name())
    };
    for attempt in &outcome.attempts {
        eprintln!("--- attempt {} ({label})", attempt.number);
        if let Some(code) = &attempt.code {
            eprintln!("{code}");
        }
        if let Some(error) = &attempt.error {
            eprintln!("=> {}", error.summary());
        } else if let Some(verdict) = &attempt.verdict {
            eprintln!("=> check: {}", verdict.reason);
        } else if let Some(why) = &attempt.not_judged {
            eprintln!("=> not judged: {why}");
        }
    }
    if let Some(result) = &outcome.result {
        for line in &result.said {
            println!("robot says: {line}");
        }
    }
    if let Some(why) = &outcome.stopped {
        eprintln!("stopped: {why}");
    }
    let tokens = outcome.tokens.prompt_tokens + outcome.tokens.completion_tokens;
    let cost = cost.map_or(String::new(), |c| format!(", ${c:.4}"));
    eprintln!(
        "{} after {} attempt(s); {tokens} tokens{cost}; transcript {}",
        match outcome.success {
            Some(true) => "succeeded",
            Some(false) => "failed",
            None => "finished, not judged (no check applies; --judge llm asks the model)",
        },
        outcome.attempts.len(),
        transcript
            .path()
            .map_or("-".into(), |p| p.display().to_string())
    );
}
