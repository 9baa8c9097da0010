//! `wand`: the command-line entry point. Each subcommand lives in `cmd/`.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// wand — a code-as-policy robot controller: programs (written by you or by a language
/// model) drive a UR5e-size arm in a Rapier physics simulation.
#[derive(Debug, Parser)]
#[command(name = "wand", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the primitive API reference (what programs may call; what the model is shown).
    Api(cmd::api::Args),
    /// List the shipped scenes, one line each.
    Scenes(cmd::scenes::Args),
    /// Render a scene from its camera to PNG files (RGB, and optionally depth and segmentation).
    Render(cmd::render::Args),
    /// Have a language model (or the offline builtin planner) write, run and repair a program for an instruction.
    Run(cmd::run::Args),
    /// Run a Python program on a scene, sandboxed (see `wand api` for what it may call).
    Script(cmd::script::Args),
    /// Replay a recording (`--record`) in the viewer's window, as a PNG or as an animated GIF, posed from its frames (no physics).
    Replay(cmd::replay::Args),
    /// Show a scene as it starts, before anything runs, in the viewer's window or as a PNG.
    View(cmd::view::Args),
    /// Time the benchmark scenes (steps/s, real-time factor, ms per image).
    Bench(cmd::bench::Args),
    /// Run an experiment: a suite of task episodes × seeds × models × feedback kinds, resumable, with a summary (success with 95% intervals).
    Eval(cmd::eval::Args),
    /// List the task families (their templates, checks and reference programs), or verify them over seeds.
    Tasks(cmd::tasks::Args),
    /// The skill library: verified functions later programs may call (list, show, verify, rm).
    Skills(cmd::skills::Args),
}

/// monty's counting allocator: in a worker it enforces the program's memory limit
/// (process-wide, simulation included); elsewhere it only counts.
#[global_allocator]
static ALLOCATOR: monty_alloc::LimitedAllocator = monty_alloc::LimitedAllocator;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some(wand_primitives::worker::WORKER_ARG) {
        return worker();
    }
    init_logging();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Api(args) => cmd::api::run(args),
        Command::Scenes(args) => cmd::scenes::run(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Replay(args) => cmd::replay::run(args),
        Command::View(args) => cmd::view::run(args),
        Command::Bench(args) => cmd::bench::run(args),
        Command::Script(args) => cmd::script::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Tasks(args) => cmd::tasks::run(args),
        Command::Eval(args) => cmd::eval::run(args),
        Command::Skills(args) => cmd::skills::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            cmd::exit_code_for(&error)
        }
    }
}

/// Serves one episode for a parent `wand` (see wand_primitives::worker).
fn worker() -> ExitCode {
    init_logging();
    let arm_memory = |limits: &wand_primitives::Limits| {
        let bytes = usize::try_from(limits.memory_mb << 20).unwrap_or(usize::MAX);
        if let Err(e) = monty_alloc::set_limit(Some(bytes), false) {
            tracing::warn!("no memory limit: {e}");
        }
    };
    match wand_primitives::worker::serve(arm_memory) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wand worker: {e}");
            ExitCode::from(cmd::EXIT_FAILED)
        }
    }
}

/// Logs go to stderr through tracing; `WAND_LOG=debug` shows more.
fn init_logging() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WAND_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
}
