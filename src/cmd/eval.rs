//! `wand eval`: an experiment over a grid of episodes (suite × seeds × models × feedback
//! kinds), run on `--jobs` threads with programs in worker processes, recorded line by
//! line in DIR/episodes.jsonl (a rerun resumes), summarised in summary.md and summary.csv.
//! `wand eval report DIR` rebuilds the summaries from episodes.jsonl.

use super::{EXIT_OK, InputError};
use anyhow::Context;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use wand_agent::cache::{CacheMode, CachedModel};
use wand_agent::eval::grid::{self, Suite};
use wand_agent::eval::record::{self, Appender, Record};
use wand_agent::eval::{EvalConfig, run_grid, summary};
use wand_agent::llm::LanguageModel;
use wand_agent::llm::builtin::BuiltinPlanner;
use wand_agent::llm::spec::{ModelOptions, model_from_spec};
use wand_agent::run::{FeedbackKind, WorkerProcess};
use wand_primitives::{ApiLevel, Limits};

/// Arguments of `wand eval`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Which episodes: `smoke` (a handful, for CI), `seen` (every seen template), `heldout`,
    /// `all`, or a family's name (`wand tasks` lists them).
    #[arg(long)]
    suite: Option<String>,
    /// Who writes the programs (repeatable: one grid column each): `builtin`,
    /// `openai:MODEL` or `anthropic:MODEL`, as for `wand run`.
    #[arg(long = "llm", default_value = "builtin")]
    llms: Vec<String>,
    /// Seeds, as A..B (B excluded); each seed draws a task and lays out the scene.
    #[arg(long, default_value = "0..20", value_parser = super::tasks::parse_seeds)]
    seeds: std::ops::Range<u64>,
    /// Most programs per episode.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=20))]
    max_attempts: u32,
    /// What goes back to the model between attempts (repeatable: one grid column each).
    #[arg(long, value_enum, default_values_t = [FeedbackKind::Full])]
    feedback: Vec<FeedbackKind>,
    /// The primitives offered, in the prompt and the interpreter (repeatable: one grid
    /// column each): `high` (with pick, place, …) or `low` (the building blocks only).
    #[arg(long, value_enum, default_values_t = [ApiLevel::High])]
    api: Vec<ApiLevel>,
    /// Episodes run at once (default: the number of cores).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=256))]
    jobs: Option<u64>,
    /// Response cache: `on`, `off`, or `replay` (never touch the network).
    #[arg(long, value_enum, default_value_t = CacheMode::On)]
    cache: CacheMode,
    /// Where cached replies live.
    #[arg(long, default_value = ".wand/cache")]
    cache_dir: PathBuf,
    /// Where results go (default .wand/evals/<suite>-<llms>-<seeds>-<feedback>). A rerun
    /// with the same arguments resumes; different arguments are refused.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    tasks_dir: super::tasks::TasksDirArgs,
    /// Base URL of the model server.
    #[arg(long)]
    base_url: Option<String>,
    /// Environment variable holding the API key.
    #[arg(long)]
    api_key_env: Option<String>,
    /// Seconds to wait for one model reply.
    #[arg(long, default_value_t = 120.0)]
    llm_timeout_s: f64,
    /// Tries per model call (429, 5xx and timeouts are retried).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=10))]
    llm_tries: u32,
    /// Wall-clock limit per program run, seconds.
    #[arg(long, default_value_t = Limits::default().timeout_s)]
    timeout_s: f64,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Rebuild summary.md and summary.csv from DIR/episodes.jsonl (and print summary.md).
    Report {
        /// A folder `wand eval` wrote.
        dir: PathBuf,
    },
}

/// What a resumed run must agree on: the arguments that change which episodes run or
/// how they turn out (not --jobs, nor where the cache lives).
fn grid_arguments(args: &Args, suite: &str) -> Value {
    json!({
        "suite": suite,
        "llm": args.llms,
        "seeds": format!("{}..{}", args.seeds.start, args.seeds.end),
        "max_attempts": args.max_attempts,
        "feedback": args.feedback.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        "api": args.api.iter().map(|a| a.name()).collect::<Vec<_>>(),
        "tasks_dir": args.tasks_dir.tasks_dirs,
        "base_url": args.base_url,
        "timeout_s": args.timeout_s,
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(Command::Report { dir }) = &args.command {
        return report(dir);
    }
    let Some(suite_name) = args.suite.clone() else {
        return Err(InputError(
            "wand eval needs --suite (smoke, seen, heldout, all, or a family's name), or \
             `wand eval report DIR`"
                .into(),
        )
        .into());
    };
    let tasks = args.tasks_dir.load()?;
    let suite = Suite::parse(&suite_name, &tasks).map_err(InputError)?;
    let llms: Vec<String> = dedup(args.llms.iter().map(|l| l.trim().to_string()));
    let feedbacks: Vec<FeedbackKind> = dedup(args.feedback.iter().copied());
    let apis: Vec<ApiLevel> = dedup(args.api.iter().copied());
    let episodes = grid::episodes(&tasks, &suite, args.seeds.clone(), &llms, &feedbacks, &apis);
    let dir = args.out.clone().unwrap_or_else(|| {
        let mut name = format!(
            "{suite_name}-{}-{}..{}-{}",
            llms.join("+"),
            args.seeds.start,
            args.seeds.end,
            feedbacks
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join("+")
        );
        if apis != [ApiLevel::High] {
            let levels: Vec<&str> = apis.iter().map(|a| a.name()).collect();
            name.push_str(&format!("-api-{}", levels.join("+")));
        }
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || "-_.+".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        PathBuf::from(".wand/evals").join(safe)
    });
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the results folder {}", dir.display()))?;
    check_config(&dir, grid_arguments(&args, &suite_name))?;

    let jsonl = dir.join("episodes.jsonl");
    let mut records = record::read(&jsonl).map_err(InputError)?;
    let done: BTreeSet<&str> = records.iter().map(|r| r.key.as_str()).collect();
    let todo: Vec<grid::Episode> = episodes
        .iter()
        .filter(|e| !done.contains(e.key().as_str()))
        .cloned()
        .collect();
    if !records.is_empty() {
        eprintln!(
            "resuming {}: {} of {} episodes done, {} to run",
            dir.display(),
            records.len(),
            episodes.len(),
            todo.len()
        );
    }

    let options = ModelOptions {
        base_url: args.base_url.clone(),
        api_key_env: args.api_key_env.clone(),
        timeout_s: args.llm_timeout_s,
        max_attempts: args.llm_tries,
        ..ModelOptions::default()
    };
    let mut models: BTreeMap<String, Box<dyn LanguageModel>> = BTreeMap::new();
    for llm in &llms {
        let inner: Box<dyn LanguageModel> = if llm == "builtin" {
            Box::new(BuiltinPlanner::with_tasks(tasks.clone()))
        } else {
            model_from_spec(llm, &options).map_err(|e| InputError(e.to_string()))?
        };
        let cached = CachedModel::new(inner, args.cache, args.cache_dir.clone());
        models.insert(llm.clone(), Box::new(cached));
    }
    let exe =
        std::env::current_exe().context("cannot find the wand executable to start a worker")?;
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |j| j as usize,
    );
    let config = EvalConfig {
        max_attempts: args.max_attempts,
        timeout_s: args.timeout_s,
    };
    let appender = Mutex::new(
        Appender::open(&jsonl).with_context(|| format!("cannot write {}", jsonl.display()))?,
    );
    let finished = Mutex::new(Vec::with_capacity(todo.len()));
    let total = todo.len();
    let write_error = Mutex::new(None);
    run_grid(
        &tasks,
        &todo,
        &models,
        &WorkerProcess { exe },
        &config,
        jobs,
        &|record: Record| {
            if let Err(e) = appender.lock().expect("no panics").append(&record) {
                write_error.lock().expect("no panics").get_or_insert(e);
            }
            let mut finished = finished.lock().expect("no panics");
            let outcome = match (record.success, &record.failure) {
                (Some(true), _) => "success".to_string(),
                (_, Some(class)) => class.label(),
                (_, None) if record.skipped.is_some() => "skipped".to_string(),
                (_, None) => format!("not run: {}", record.reason),
            };
            eprintln!("[{}/{total}] {}: {outcome}", finished.len() + 1, record.key);
            finished.push(record);
        },
    );
    if let Some(e) = write_error.into_inner().expect("no panics") {
        return Err(e).with_context(|| format!("cannot append to {}", jsonl.display()));
    }
    records.extend(finished.into_inner().expect("no panics"));
    write_summaries(&dir, &records)?;
    let judged: Vec<&Record> = records.iter().filter(|r| r.success.is_some()).collect();
    let successes = judged.iter().filter(|r| r.success == Some(true)).count();
    eprintln!(
        "{successes}/{} judged episodes succeeded ({} skipped); results in {}",
        judged.len(),
        records.len() - judged.len(),
        dir.display()
    );
    Ok(ExitCode::from(EXIT_OK))
}

fn dedup<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Writes config.json for a new run, or checks that a resumed run has the same
/// arguments (exit 2 naming each that differs).
fn check_config(dir: &Path, arguments: Value) -> anyhow::Result<()> {
    let path = dir.join("config.json");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let old: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON; use a fresh --out", path.display()))?;
        let empty = serde_json::Map::new();
        let old_args = old["arguments"].as_object().unwrap_or(&empty);
        let new_args = arguments.as_object().expect("an object");
        let keys: BTreeSet<&String> = old_args.keys().chain(new_args.keys()).collect();
        let differ: Vec<String> = keys
            .into_iter()
            .filter(|k| old_args.get(*k) != new_args.get(*k))
            .map(|k| {
                format!(
                    "--{} was {} and is now {}",
                    k.replace('_', "-"),
                    old_args.get(k).unwrap_or(&Value::Null),
                    new_args.get(k).unwrap_or(&Value::Null)
                )
            })
            .collect();
        if !differ.is_empty() {
            return Err(InputError(format!(
                "{} holds a run with other arguments ({}); rerun with the same arguments to \
                 resume it, or choose another --out",
                dir.display(),
                differ.join("; ")
            ))
            .into());
        }
        return Ok(());
    }
    let config = json!({
        "arguments": arguments,
        "wand_version": env!("CARGO_PKG_VERSION"),
        "determinism": "each episode's scene and task come from its seed; physics steps on one \
                        thread, so the same arguments give the same episodes and outcomes on \
                        the same build and machine (timings aside)",
    });
    std::fs::write(&path, serde_json::to_string_pretty(&config)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))
}

fn write_summaries(dir: &Path, records: &[Record]) -> anyhow::Result<()> {
    let title = format!("wand eval: {}", dir.display());
    for (name, text) in [
        ("summary.md", summary::markdown(records, &title)),
        ("summary.csv", summary::csv(records)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    wand_agent::eval::plot::write_plots(records, dir)?;
    Ok(())
}

/// `wand eval report DIR`.
fn report(dir: &Path) -> anyhow::Result<ExitCode> {
    let jsonl = dir.join("episodes.jsonl");
    if !jsonl.exists() {
        return Err(InputError(format!(
            "{} has no episodes.jsonl; give a folder `wand eval` wrote (its --out)",
            dir.display()
        ))
        .into());
    }
    let records = record::read(&jsonl).map_err(InputError)?;
    write_summaries(dir, &records)?;
    print!("{}", std::fs::read_to_string(dir.join("summary.md"))?);
    Ok(ExitCode::from(EXIT_OK))
}
