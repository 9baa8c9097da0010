//! `wand scenes`: the shipped scenes, one line each, and the task families drawn on them.
//!
//! `--json` prints `{"scenes": [{"name": …, "description": …, "default": bool, "tasks":
//! [family, …]}]}`.

use serde::Serialize;
use std::process::ExitCode;
use wand_primitives::task::TaskSet;
use wand_sim::scene;

/// Arguments of `wand scenes`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

/// One shipped scene as `--json` prints it.
#[derive(Debug, Serialize)]
struct SceneEntry {
    name: &'static str,
    description: String,
    /// Whether `--scene` means this scene when none is given.
    default: bool,
    /// The task families whose seeds are drawn on this scene (`wand tasks`).
    tasks: Vec<String>,
}

/// Prints the shipped scenes.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let families = TaskSet::shipped();
    let scenes: Vec<SceneEntry> = scene::shipped()
        .into_iter()
        .map(|(name, description)| SceneEntry {
            name,
            description,
            default: name == scene::DEFAULT_SCENE,
            tasks: families
                .families()
                .iter()
                .filter(|f| f.file.scenes.iter().any(|s| s == name))
                .map(|f| f.name().to_string())
                .collect(),
        })
        .collect();
    if args.json {
        // A struct, not json!(), so the keys keep their documented order.
        #[derive(Serialize)]
        struct Listing<'a> {
            scenes: &'a [SceneEntry],
        }
        println!("{}", serde_json::to_string(&Listing { scenes: &scenes })?);
        return Ok(ExitCode::from(super::EXIT_OK));
    }
    let width = scenes.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for entry in &scenes {
        let default = if entry.default { " (default)" } else { "" };
        println!("{:width$}  {}{default}", entry.name, entry.description);
    }
    println!(
        "{} task families are drawn on these scenes: `wand tasks` lists them",
        families.families().len()
    );
    Ok(ExitCode::from(super::EXIT_OK))
}
