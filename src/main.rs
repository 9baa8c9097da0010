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
    /// Time the benchmark scenes (steps/s, real-time factor, ms per image).
    Bench(cmd::bench::Args),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("WAND_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Api(args) => cmd::api::run(args),
        Command::Scenes(args) => cmd::scenes::run(args),
        Command::Render(args) => cmd::render::run(args),
        Command::Bench(args) => cmd::bench::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            cmd::exit_code_for(&error)
        }
    }
}
