//! `wand script`: run your own Python program on a scene, sandboxed, in a worker process.

use super::window::LiveView;
use super::{EXIT_FAILED, EXIT_OK, InputError};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use wand_primitives::episode::{EpisodeRequest, EpisodeResult};
use wand_primitives::task::{SceneState, TaskCheck, TaskSet};
use wand_primitives::worker;
use wand_primitives::{ApiLevel, Limits};
use wand_sim::Scene;
use wand_sim::recording::Header;

/// Arguments of `wand script`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The Python program to run (see `wand api` for what it may call).
    #[arg(value_name = "PROGRAM.py")]
    program: PathBuf,
    #[command(flatten)]
    at: super::SceneArgs,
    #[command(flatten)]
    rig: super::RigArgs,
    /// Judge the run with this task family's success check (`wand tasks` lists them),
    /// e.g. `stack_all`, or `block_in_bowl` with `--param "block=red block" --param
    /// "bowl=green bowl"`.
    #[arg(long)]
    task: Option<String>,
    /// A task parameter, KEY=VALUE (repeatable).
    #[arg(long = "param", value_name = "KEY=VALUE", requires = "task")]
    params: Vec<String>,
    #[command(flatten)]
    tasks_dir: super::tasks::TasksDirArgs,
    /// Print one JSON object (the result schema in README.md) instead of a report.
    #[arg(long)]
    json: bool,
    /// Write a PNG of the final scene, seen from the scene's camera.
    #[arg(long, value_name = "FILE.png")]
    png: Option<PathBuf>,
    /// Write a recording of the run (the scene over time, the line being executed, what
    /// was printed and said) for `wand replay`; format: docs/RECORDINGS.md.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Show the run live in the viewer's window (`wand-viewer`); closing the window stops
    /// the run (exit 130). Without a display it says so and the run goes on headless.
    #[arg(long)]
    view: bool,
    /// Wall-clock limit for the program, seconds.
    #[arg(long, default_value_t = Limits::default().timeout_s)]
    timeout_s: f64,
    /// Simulated-time limit for the program's motions, seconds.
    #[arg(long, default_value_t = Limits::default().sim_time_s)]
    sim_time_s: f64,
    /// Memory limit for the worker running the program and the simulation, MB.
    #[arg(long, default_value_t = Limits::default().memory_mb)]
    memory_mb: u64,
    /// The primitives the program may call: `high` (all) or `low` (the building blocks:
    /// no pick, place, put_first_on_second or push).
    #[arg(long, value_enum, default_value_t = ApiLevel::High)]
    api: ApiLevel,
    /// Define every skill — wand's standard library (`wand skills`) and DIR's own — before
    /// the program, so it may call them (closest_to, sort_along, stack, …).
    #[arg(long, value_name = "DIR")]
    skills: Option<PathBuf>,
    /// Deepest Python call stack.
    #[arg(long, default_value_t = Limits::default().recursion_depth)]
    recursion_depth: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let program = std::fs::read_to_string(&args.program).map_err(|e| {
        InputError(format!(
            "cannot read the program {}: {e}",
            args.program.display()
        ))
    })?;
    // Check the scene and task here, so bad ones are usage errors (exit 2), not failed runs.
    let scene = Scene::load(&args.at.scene)?;
    let world = scene.build(args.at.seed)?;
    let task = match &args.task {
        None => None,
        Some(name) => Some(task_check(
            &args.tasks_dir.load()?,
            name,
            &args.params,
            &scene,
            &world,
        )?),
    };
    for (name, value) in [
        ("--timeout-s", args.timeout_s),
        ("--sim-time-s", args.sim_time_s),
    ] {
        if !(value > 0.0 && value.is_finite()) {
            return Err(InputError(format!(
                "{name} must be a positive number of seconds, got {value}"
            ))
            .into());
        }
    }
    let mut request = EpisodeRequest {
        scene: args.at.scene.clone(),
        seed: args.at.seed,
        program,
        limits: Limits {
            timeout_s: args.timeout_s,
            sim_time_s: args.sim_time_s,
            memory_mb: args.memory_mb,
            recursion_depth: args.recursion_depth,
            api: args.api,
            ..Limits::default()
        },
        png: args.png.clone(),
        task,
        prelude: match &args.skills {
            Some(dir) => {
                let library = super::skills::load(dir)?;
                wand_agent::skills::Library::prelude(&library.skills.iter().collect::<Vec<_>>())
            }
            None => String::new(),
        },
        record: args.record.is_some(),
    };
    args.rig.apply(&mut request.limits);
    if let Some(path) = &args.record {
        check_writable(path)?;
    }
    let exe =
        std::env::current_exe().context("cannot find the wand executable to start a worker")?;
    let mut live = if args.view {
        let header = Header::describe(&world, &args.at.scene, args.at.seed, &scene.camera);
        LiveView::open(&header)
    } else {
        None
    };
    let mut result = match &mut live {
        Some(view) => view.run(&exe, &request),
        None => worker::run_in_worker(&exe, &request),
    };
    if let Some(path) = &args.record {
        match result.recording.take() {
            Some(recording) => recording
                .into_recording()
                .save(path)
                .with_context(|| format!("cannot write the recording {}", path.display()))?,
            // A worker that died (out of memory, killed at its time limit) hands nothing over.
            None => eprintln!(
                "no recording written to {}: the worker running the program died",
                path.display()
            ),
        }
    }
    if args.json {
        println!("{}", serde_json::to_string(&result)?);
    } else {
        report(&result, &args);
    }
    if let Some(view) = live {
        view.wait();
    }
    if result.interrupted() {
        return Ok(ExitCode::from(super::EXIT_INTERRUPTED));
    }
    // A check that erred is the task file's fault: bad input, not a failed program.
    if result
        .check
        .as_ref()
        .is_some_and(|c| c.task_error.is_some())
    {
        return Ok(ExitCode::from(super::EXIT_USAGE));
    }
    let ok = result.error.is_none() && result.success != Some(false);
    Ok(ExitCode::from(if ok { EXIT_OK } else { EXIT_FAILED }))
}

/// The check of the task `--task NAME --param K=V …` names, checked against this scene.
fn task_check(
    tasks: &TaskSet,
    name: &str,
    params: &[String],
    scene: &Scene,
    world: &wand_sim::World,
) -> anyhow::Result<TaskCheck> {
    let mut pairs = Vec::new();
    for param in params {
        let (key, value) = param
            .split_once('=')
            .ok_or_else(|| InputError(format!("--param needs KEY=VALUE, got '{param}'")))?;
        pairs.push((key.trim().to_string(), value.trim().to_string()));
    }
    let family = tasks.get(name).map_err(|e| InputError(e.to_string()))?;
    let spec = family.typed_params(&pairs)?;
    let check = tasks.resolve(&spec, Some(&world.object_names()))?;
    // Judging the untouched scene tells whether the task itself makes sense here.
    check
        .applies(&SceneState::capture(world, &scene.placement))
        .map_err(|why| InputError(format!("task {}: {why}", spec.describe())))?;
    Ok(check)
}

/// A person's report: what the program printed and said, then how it ended.
fn report(result: &EpisodeResult, args: &Args) {
    print!("{}", result.output);
    for line in &result.said {
        println!("robot says: {line}");
    }
    if let Some(error) = &result.error {
        eprintln!("{}", error.traceback);
    }
    if let Some(check) = &result.check {
        eprintln!("task check: {}", check.reason);
    }
    let task_error = result
        .check
        .as_ref()
        .is_some_and(|c| c.task_error.is_some());
    let verdict = match (&result.error, result.success) {
        _ if task_error => "the task's check failed (an error of the task file, not the program)",
        (Some(_), _) => "the program raised an error",
        (None, Some(true)) => "task succeeded",
        (None, Some(false)) => "task failed",
        (None, None) => "the program finished",
    };
    eprintln!(
        "{verdict}: scene {} seed {}, {:.1} s simulated in {:.2} s, {} primitive calls",
        result.scene, result.seed, result.sim_time_s, result.wall_time_s, result.primitive_calls
    );
    for (name, object) in &result.objects {
        let [x, y, z] = object.pos;
        eprintln!("  {name:<14} [{x:.3}, {y:.3}, {z:.3}]");
    }
    if let Some(held) = &result.holding {
        eprintln!("  holding the {held}");
    }
    if let Some(png) = &args.png {
        eprintln!("wrote {}", png.display());
    }
    if let (Some(path), true) = (
        &args.record,
        args.record.as_ref().is_some_and(|p| p.exists()),
    ) {
        eprintln!("recorded {}", path.display());
    }
}

/// Fails (as an input error) when `path`'s folder does not exist, before anything runs.
pub(crate) fn check_writable(path: &std::path::Path) -> Result<(), InputError> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    if folder.is_dir() {
        Ok(())
    } else {
        Err(InputError(format!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            folder.display()
        )))
    }
}
