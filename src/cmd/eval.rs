//! `wand eval`: an experiment over a grid of episodes (suite × seeds × models × feedback
//! kinds × api levels × samples), many in flight on one runtime — model calls bounded by
//! `--concurrency`/`--rpm`, programs by `--jobs` worker processes — recorded line by line
//! in DIR/episodes.jsonl (a rerun resumes), summarised in summary.md, summary.csv and
//! plots. `wand eval report DIR` rebuilds them from episodes.jsonl; `wand eval merge`
//! joins the folders of a sharded run.

use super::{EXIT_OK, InputError};
use anyhow::Context;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use wand_agent::cache::{CacheMode, CachedModel};
use wand_agent::eval::grid::{self, Axes, Shard, Suite};
use wand_agent::eval::record::{self, Appender, Record};
use wand_agent::eval::{EvalConfig, GridEnd, run_grid, summary};
use wand_agent::llm::LanguageModel;
use wand_agent::llm::builtin::BuiltinPlanner;
use wand_agent::llm::prices::cost_usd;
use wand_agent::llm::spec::{ModelOptions, model_from_spec};
use wand_agent::llm::throttle::Limiter;
use wand_agent::run::{FeedbackKind, PhysicsPool, WorkerProcess};
use wand_agent::skills::learn;
use wand_primitives::{ApiLevel, Limits, PerceptionMode};
use wand_sim::gripper::GripperKind;

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
    /// Programs drawn per attempt, the best by reward kept and fed back (repeatable: one
    /// grid column each). With more than one, the temperature defaults to 0.7.
    #[arg(long, default_values_t = [1u32], value_parser = clap::value_parser!(u32).range(1..=32))]
    samples: Vec<u32>,
    /// The arm's gripper (repeatable: one grid column each).
    #[arg(long, value_enum, default_values_t = [GripperKind::Suction])]
    gripper: Vec<GripperKind>,
    /// Where the perception primitives' answers come from (repeatable: one grid column
    /// each).
    #[arg(long, value_enum, default_values_t = [PerceptionMode::Truth])]
    perception: Vec<PerceptionMode>,
    /// Sampling temperature (default 0, or 0.7 with --samples above 1).
    #[arg(long, value_parser = super::temperature)]
    temperature: Option<f64>,
    /// Programs running at once, each in a worker process (default: the number of cores).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=256))]
    jobs: Option<u64>,
    /// Model requests in flight at once, over all episodes and models.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=1024))]
    concurrency: u64,
    /// Most model requests started per minute, over all episodes (for hosted limits).
    #[arg(long, value_parser = super::positive)]
    rpm: Option<f64>,
    /// Stop starting episodes once those ended cost this many US dollars (episodes in
    /// flight finish); the summary says so. Needs models with a known price.
    #[arg(long, value_name = "USD", value_parser = super::positive)]
    max_cost_usd: Option<f64>,
    /// A skill library (conventionally .wand/skills): each episode is offered the skills
    /// most relevant to its instruction, as `wand run --skills` does (read only: an eval
    /// never changes it).
    #[arg(long, value_name = "DIR")]
    skills: Option<PathBuf>,
    /// With --skills: also run every episode without skills (a grid column each way).
    #[arg(long, requires = "skills")]
    no_skills: bool,
    /// After the grid, learn a skill from the first passed episode of each family (verified
    /// on fresh seeds) into DIR, for a later run; episodes already run never change.
    #[arg(long, value_name = "DIR")]
    learn_skills: Option<PathBuf>,
    /// Run only part I of N of the grid (every N-th episode from the I-th, I from 0): one
    /// machine's share; `wand eval merge` joins the parts.
    #[arg(long, value_name = "I/N", value_parser = Shard::parse)]
    shard: Option<Shard>,
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
    /// Rebuild summary.md, summary.csv and the plots from DIR/episodes.jsonl (and print
    /// summary.md).
    Report {
        /// A folder `wand eval` wrote.
        dir: PathBuf,
    },
    /// Join the folders of a sharded run (`--shard I/N`, same other arguments) into one,
    /// with its summary.
    Merge {
        /// Where the merged results go.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The shards' folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
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
        "samples": args.samples,
        "gripper": args.gripper.iter().map(|g| g.name()).collect::<Vec<_>>(),
        "perception": args.perception.iter().map(|p| p.name()).collect::<Vec<_>>(),
        "temperature": args.temperature,
        "skills": args.skills,
        "no_skills": args.no_skills,
        "tasks_dir": args.tasks_dir.tasks_dirs,
        "base_url": args.base_url,
        "timeout_s": args.timeout_s,
        "shard": args.shard.map(|s| s.name()),
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        Some(Command::Report { dir }) => return report(dir),
        Some(Command::Merge { out, dirs }) => return merge(out, dirs),
        None => {}
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
    let axes = Axes {
        seeds: args.seeds.clone(),
        llms: dedup(args.llms.iter().map(|l| l.trim().to_string())),
        feedbacks: dedup(args.feedback.iter().copied()),
        apis: dedup(args.api.iter().copied()),
        samples: dedup(args.samples.iter().copied()),
        skills: match (&args.skills, args.no_skills) {
            (None, _) => vec![false],
            (Some(_), false) => vec![true],
            (Some(_), true) => vec![false, true],
        },
        grippers: dedup(args.gripper.iter().copied()),
        perceptions: dedup(args.perception.iter().copied()),
    };
    let library = match &args.skills {
        Some(dir) => Some(super::skills::load_fresh(dir, &tasks)?),
        None => None,
    };
    let mut episodes = grid::episodes(&tasks, &suite, &axes);
    if let Some(shard) = args.shard {
        episodes = shard.select(episodes);
    }
    let dir = args.out.clone().unwrap_or_else(|| {
        let mut name = format!(
            "{suite_name}-{}-{}..{}-{}",
            axes.llms.join("+"),
            args.seeds.start,
            args.seeds.end,
            axes.feedbacks
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join("+")
        );
        if axes.apis != [ApiLevel::High] {
            let levels: Vec<&str> = axes.apis.iter().map(|a| a.name()).collect();
            name.push_str(&format!("-api-{}", levels.join("+")));
        }
        if axes.samples != [1] {
            let counts: Vec<String> = axes.samples.iter().map(u32::to_string).collect();
            name.push_str(&format!("-samples-{}", counts.join("+")));
        }
        if axes.grippers != [GripperKind::Suction] {
            let kinds: Vec<&str> = axes.grippers.iter().map(|g| g.name()).collect();
            name.push_str(&format!("-gripper-{}", kinds.join("+")));
        }
        if axes.perceptions != [PerceptionMode::Truth] {
            let modes: Vec<&str> = axes.perceptions.iter().map(|p| p.name()).collect();
            name.push_str(&format!("-perception-{}", modes.join("+")));
        }
        if let Some(shard) = args.shard {
            name.push_str(&format!("-shard-{}-of-{}", shard.index, shard.count));
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

    // A note of an earlier stop no longer holds: this run starts what that one left.
    let _ = std::fs::remove_file(dir.join("stopped.json"));
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

    let limiter = Limiter::new(args.concurrency as usize, args.rpm);
    let options = ModelOptions {
        base_url: args.base_url.clone(),
        api_key_env: args.api_key_env.clone(),
        timeout_s: args.llm_timeout_s,
        max_attempts: args.llm_tries,
        limiter: Some(Arc::clone(&limiter)),
        ..ModelOptions::default()
    };
    let mut models: BTreeMap<String, Box<dyn LanguageModel>> = BTreeMap::new();
    for llm in &axes.llms {
        let inner: Box<dyn LanguageModel> = if llm == "builtin" {
            Box::new(BuiltinPlanner::with_tasks(tasks.clone()))
        } else {
            model_from_spec(llm, &options).map_err(|e| InputError(e.to_string()))?
        };
        if args.max_cost_usd.is_some()
            && inner.is_language_model()
            && cost_usd(llm, &Default::default()).is_none()
        {
            return Err(InputError(format!(
                "--max-cost-usd needs a known price, and wand knows none for {llm}; drop the \
                 budget or use a model from `wand run --help`'s price list"
            ))
            .into());
        }
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
        temperature: args.temperature,
        library,
    };
    let mut appender =
        Appender::open(&jsonl).with_context(|| format!("cannot write {}", jsonl.display()))?;
    let total = todo.len();
    let mut finished = Vec::with_capacity(total);
    let mut write_error = None;
    let physics = PhysicsPool::new(Arc::new(WorkerProcess { exe }), jobs);
    let progress = Progress::new(total);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // Enough episodes in flight that the cores stay busy while `--concurrency` requests wait.
    let in_flight = jobs + args.concurrency as usize;
    let end: GridEnd = runtime.block_on(run_grid(
        &tasks,
        &todo,
        &models,
        &physics,
        &config,
        in_flight,
        args.max_cost_usd,
        &mut |record: Record| {
            if let Err(e) = appender.append(&record) {
                write_error.get_or_insert(e);
            }
            progress.episode(&record);
            finished.push(record);
        },
    ));
    progress.finish();
    if let Some(e) = write_error {
        return Err(e).with_context(|| format!("cannot append to {}", jsonl.display()));
    }
    records.extend(finished);
    if let Some(dir) = &args.learn_skills {
        let outcomes = runtime.block_on(learn_skills(dir, &tasks, &records, &models, &physics))?;
        for (name, outcome) in outcomes {
            match outcome {
                Ok(seeds) => eprintln!("learned skill {name}, verified on seeds {seeds:?}"),
                Err(why) => eprintln!("no skill {name}: {why}"),
            }
        }
    }
    if let Some(why) = &end.stopped {
        eprintln!("{why}; {} episodes were not started", end.not_started);
        write_stop(&dir, why, end.not_started)?;
    }
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

/// `--learn-skills DIR`: for each family, the first passed episode (in key order) whose
/// library lacks a verified skill of it becomes one, verified on fresh seeds; DIR is
/// written once, after the grid. (name, seeds or why not) per family tried.
async fn learn_skills(
    dir: &Path,
    tasks: &wand_primitives::task::TaskSet,
    records: &[Record],
    models: &BTreeMap<String, Box<dyn LanguageModel>>,
    physics: &PhysicsPool,
) -> anyhow::Result<Vec<(String, Result<Vec<u64>, String>)>> {
    let mut library = super::skills::load(dir)?;
    let mut sorted: Vec<&Record> = records.iter().filter(|r| r.success == Some(true)).collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let mut tried = BTreeSet::new();
    let mut out = Vec::new();
    for record in sorted {
        let episode = &record.episode;
        let (Ok(family), Some(program), Some(instruction)) = (
            tasks.get(&episode.family),
            &record.program,
            &record.instruction,
        ) else {
            continue;
        };
        let name = learn::skill_name(family);
        if library
            .get(&name)
            .is_some_and(|s| s.is_verified() && !s.standard)
            || !tried.insert(name.clone())
        {
            continue;
        }
        let scene = family.file.scenes[0].clone();
        let Ok((_, _, task)) = family.draw_on(&scene, episode.seed) else {
            continue;
        };
        let template = family
            .templates(episode.split)
            .get(episode.template)
            .map_or(instruction.clone(), |t| t.text.clone());
        let outcome = learn::learn(
            models[&episode.llm].as_ref(),
            physics,
            family,
            &task,
            &template,
            instruction,
            program,
            &scene,
            episode.seed,
        )
        .await
        .map(|skill| {
            let seeds = skill.entry.verified_seeds.clone();
            library.add(skill);
            seeds
        });
        out.push((name, outcome));
    }
    library.save().map_err(InputError)?;
    Ok(out)
}

/// Progress on stderr: a bar on a terminal (episodes done, success so far, tokens, cost,
/// time left) with a line for each failure; else a line per episode.
struct Progress {
    bar: indicatif::ProgressBar,
    total: usize,
    tally: std::cell::Cell<(usize, usize, u64, f64)>,
}

impl Progress {
    fn new(total: usize) -> Progress {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {pos}/{len} episodes  {msg}  {elapsed} elapsed, ~{eta} left",
            )
            .expect("a valid template"),
        );
        Progress {
            bar,
            total,
            tally: std::cell::Cell::new((0, 0, 0, 0.0)),
        }
    }

    fn episode(&self, record: &Record) {
        let (mut judged, mut passed, mut tokens, mut cost) = self.tally.get();
        judged += usize::from(record.success.is_some());
        passed += usize::from(record.success == Some(true));
        tokens += record.tokens_in + record.tokens_out;
        cost += record.cost_usd.unwrap_or(0.0);
        self.tally.set((judged, passed, tokens, cost));
        self.bar.set_message(format!(
            "{passed}/{judged} succeeded, {tokens} tokens, ${cost:.2}"
        ));
        self.bar.inc(1);
        let outcome = match (record.success, &record.failure) {
            (Some(true), _) => "success".to_string(),
            (_, Some(class)) => class.label(),
            (_, None) if record.skipped.is_some() => "skipped".to_string(),
            (_, None) => format!("not run: {}", record.reason),
        };
        let line = format!(
            "[{}/{}] {}: {outcome}",
            self.bar.position(),
            self.total,
            record.key
        );
        if self.bar.is_hidden() {
            eprintln!("{line}");
        } else if record.success != Some(true) {
            self.bar.println(line);
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// Notes in DIR/stopped.json why the run left episodes unstarted, for the summary.
fn write_stop(dir: &Path, why: &str, not_started: usize) -> anyhow::Result<()> {
    let path = dir.join("stopped.json");
    let text = serde_json::to_string_pretty(&json!({ "why": why, "not_started": not_started }))?;
    std::fs::write(&path, text + "\n").with_context(|| format!("cannot write {}", path.display()))
}

/// What DIR/stopped.json says, as a line for the summary.
fn read_stop(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("stopped.json")).ok()?;
    let stop: Value = serde_json::from_str(&text).ok()?;
    Some(format!(
        "Stopped early: {}; {} episodes were not started.",
        stop["why"].as_str().unwrap_or("?"),
        stop["not_started"]
    ))
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
        "git_commit": env!("WAND_GIT_COMMIT"),
        "determinism": "each episode's scene and task come from its seed; physics steps on one \
                        thread, so the same arguments give the same episodes and outcomes on \
                        the same build and machine (timings aside)",
    });
    std::fs::write(&path, serde_json::to_string_pretty(&config)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))
}

fn write_summaries(dir: &Path, records: &[Record]) -> anyhow::Result<()> {
    let title = format!("wand eval: {}", dir.display());
    let notes: Vec<String> = read_stop(dir).into_iter().collect();
    for (name, text) in [
        ("summary.md", summary::markdown(records, &title, &notes)),
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

/// `wand eval merge --out OUT DIR…`: the shards of one grid joined. Each folder must hold
/// a shard of the same run (every argument equal but `--shard`); the merged folder gets
/// their episodes (an episode in two shards must agree), a config.json naming the
/// shards, and the summaries. A shard that is missing, or incomplete, is said.
fn merge(out: &Path, dirs: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut arguments: Option<Value> = None;
    let mut shards: BTreeSet<String> = BTreeSet::new();
    let mut count = None;
    let mut merged: BTreeMap<String, Record> = BTreeMap::new();
    for dir in dirs {
        let path = dir.join("config.json");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            InputError(format!(
                "{} is not a `wand eval` folder ({}: {e})",
                dir.display(),
                path.display()
            ))
        })?;
        let config: Value = serde_json::from_str(&text)
            .map_err(|e| InputError(format!("{}: not JSON: {e}", path.display())))?;
        let mut args = config["arguments"].clone();
        let shard = args
            .as_object_mut()
            .and_then(|a| a.remove("shard"))
            .and_then(|s| s.as_str().map(str::to_string));
        match &arguments {
            None => arguments = Some(args),
            Some(first) if *first != args => {
                return Err(InputError(format!(
                    "{} is a shard of another run than {} (their arguments differ besides \
                     --shard): merge only the shards of one run",
                    dir.display(),
                    dirs[0].display()
                ))
                .into());
            }
            Some(_) => {}
        }
        if let Some(shard) = &shard {
            let parsed = Shard::parse(shard).map_err(InputError)?;
            count = Some(parsed.count);
            if !shards.insert(shard.clone()) {
                return Err(InputError(format!("shard {shard} is given twice")).into());
            }
        }
        for record in record::read(&dir.join("episodes.jsonl")).map_err(InputError)? {
            match merged.get(&record.key) {
                Some(other) if other.without_timings() != record.without_timings() => {
                    return Err(InputError(format!(
                        "episode {} differs between shards ({}); were they run by different \
                         builds?",
                        record.key,
                        dir.display()
                    ))
                    .into());
                }
                Some(_) => {}
                None => {
                    merged.insert(record.key.clone(), record);
                }
            }
        }
    }
    if let Some(count) = count {
        let missing: Vec<String> = (0..count)
            .map(|i| format!("{i}/{count}"))
            .filter(|s| !shards.contains(s))
            .collect();
        if !missing.is_empty() {
            eprintln!(
                "note: shard{} {} not given; the summary covers only the shards merged",
                if missing.len() > 1 { "s" } else { "" },
                missing.join(", ")
            );
        }
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the results folder {}", out.display()))?;
    let config = json!({
        "arguments": arguments,
        "merged_from": dirs,
        "shards": shards,
        "wand_version": env!("CARGO_PKG_VERSION"),
        "git_commit": env!("WAND_GIT_COMMIT"),
    });
    std::fs::write(
        out.join("config.json"),
        serde_json::to_string_pretty(&config)? + "\n",
    )?;
    let jsonl = out.join("episodes.jsonl");
    if jsonl.exists() {
        std::fs::remove_file(&jsonl)?;
    }
    let mut appender = Appender::open(&jsonl)?;
    let records: Vec<Record> = merged.into_values().collect();
    for record in &records {
        appender.append(record)?;
    }
    write_summaries(out, &records)?;
    eprintln!(
        "merged {} episodes from {} folders into {}",
        records.len(),
        dirs.len(),
        out.display()
    );
    Ok(ExitCode::from(EXIT_OK))
}
