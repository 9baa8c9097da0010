//! `wand skills`: the skill library — list, show, verify again, remove. The standard
//! library (`scenes/skills/`) and the skills in `--skills DIR` (default `.wand/skills`).

use super::{EXIT_FAILED, EXIT_OK, InputError};
use anyhow::Context;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wand_agent::run::WorkerProcess;
use wand_agent::skills::{DEFAULT_DIR, Library, Skill, learn};
use wand_primitives::task::TaskSet;

/// Arguments of `wand skills`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The folder of your own skills (one `<name>.py` each and `index.toml`), on top of
    /// wand's standard library.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_DIR, global = true)]
    skills: PathBuf,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(flatten)]
    tasks_dir: super::tasks::TasksDirArgs,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// List the skills, one line each (the default).
    List,
    /// Print one skill's function (with its docstring) and what is known about it.
    Show { name: String },
    /// Run skills again — each on its family's check (or its own check program) over the
    /// seeds it was verified on, or --seeds — and mark those that no longer pass.
    Verify {
        /// Only this skill.
        name: Option<String>,
        /// Seeds, as A..B (B excluded), instead of those each was verified on.
        #[arg(long, value_parser = super::tasks::parse_seeds)]
        seeds: Option<std::ops::Range<u64>>,
    },
    /// Remove one of your skills (its file and its index entry).
    Rm { name: String },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut library = load(&args.skills)?;
    match args.command.unwrap_or(Command::List) {
        Command::List => {
            list(&library, args.json)?;
            Ok(ExitCode::from(EXIT_OK))
        }
        Command::Show { name } => {
            let skill = find(&library, &name)?;
            if args.json {
                println!("{}", serde_json::to_string(&describe(skill))?);
            } else {
                print!("{}", show(skill));
            }
            Ok(ExitCode::from(EXIT_OK))
        }
        Command::Verify { name, seeds } => {
            if let Some(name) = &name {
                find(&library, name)?;
            }
            let tasks = args.tasks_dir.load()?;
            let exe = std::env::current_exe()
                .context("cannot find the wand executable to start a worker")?;
            let runner = WorkerProcess { exe };
            let outcomes = wand_agent::llm::block_on(learn::verify(
                &runner,
                &tasks,
                &mut library,
                name.as_deref(),
                seeds.map(|s| s.collect()),
            ));
            if library.own().next().is_some() {
                library.save().map_err(InputError)?;
            }
            let mut broken = 0;
            for (name, outcome) in &outcomes {
                match outcome {
                    Ok(seeds) => println!("{name}: verified on seeds {seeds:?}"),
                    Err(why) => {
                        broken += 1;
                        println!("{name}: BROKEN: {why}");
                    }
                }
            }
            println!(
                "{} of {} skills pass",
                outcomes.len() - broken,
                outcomes.len()
            );
            Ok(ExitCode::from(if broken > 0 {
                EXIT_FAILED
            } else {
                EXIT_OK
            }))
        }
        Command::Rm { name } => {
            library.remove(&name).map_err(InputError)?;
            eprintln!("removed {name} from {}", args.skills.display());
            Ok(ExitCode::from(EXIT_OK))
        }
    }
}

/// The standard library and `dir`'s skills; a malformed folder is an input error.
pub fn load(dir: &Path) -> anyhow::Result<Library> {
    Library::load(dir).map_err(|e| InputError(e).into())
}

/// [`load`], then the skills verified against other primitives or another wand are
/// verified again (said on stderr; one that fails is marked broken and not offered).
pub fn load_fresh(dir: &Path, tasks: &TaskSet) -> anyhow::Result<Library> {
    let mut library = load(dir)?;
    if library.skills.iter().any(Skill::is_stale) {
        let exe =
            std::env::current_exe().context("cannot find the wand executable to start a worker")?;
        let outcomes =
            wand_agent::llm::block_on(learn::refresh(&WorkerProcess { exe }, tasks, &mut library))
                .map_err(InputError)?;
        for (name, outcome) in outcomes {
            match outcome {
                Ok(_) => eprintln!("skill {name}: verified again for this wand's primitives"),
                Err(why) => eprintln!("skill {name}: no longer passes ({why}); not offered"),
            }
        }
    }
    Ok(library)
}

fn find<'a>(library: &'a Library, name: &str) -> anyhow::Result<&'a Skill> {
    library.get(name).ok_or_else(|| {
        let names: Vec<&str> = library.skills.iter().map(Skill::name).collect();
        InputError(format!(
            "no skill '{name}'; there are: {}",
            names.join(", ")
        ))
        .into()
    })
}

fn describe(skill: &Skill) -> serde_json::Value {
    json!({
        "name": skill.name(),
        "signature": skill.signature,
        "doc": skill.doc,
        "standard": skill.standard,
        "family": skill.entry.family,
        "template": skill.entry.template,
        "verified_seeds": skill.entry.verified_seeds,
        "status": skill.entry.status,
        "wand_version": skill.entry.wand_version,
        "registry": skill.entry.registry,
        "created": skill.entry.created,
        "source": skill.source,
    })
}

fn list(library: &Library, as_json: bool) -> anyhow::Result<()> {
    if as_json {
        let all: Vec<_> = library.skills.iter().map(describe).collect();
        println!("{}", serde_json::to_string(&all)?);
        return Ok(());
    }
    let width = library
        .skills
        .iter()
        .map(|s| s.signature.len())
        .max()
        .unwrap_or(0);
    for skill in &library.skills {
        let origin = if skill.standard { "standard" } else { "yours" };
        let status = if skill.is_verified() {
            ""
        } else {
            "  [BROKEN]"
        };
        println!(
            "{:width$}  {origin:8}  {}{status}",
            skill.signature,
            skill.summary()
        );
    }
    Ok(())
}

fn show(skill: &Skill) -> String {
    let mut text = format!(
        "# {} ({}) — {}\n",
        skill.name(),
        if skill.standard {
            "wand's standard library"
        } else {
            "your skill"
        },
        skill.entry.status
    );
    if let Some(family) = &skill.entry.family {
        text.push_str(&format!("# family: {family}\n"));
    }
    if let Some(template) = &skill.entry.template {
        text.push_str(&format!("# learned from: \"{template}\"\n"));
    }
    text.push_str(&format!(
        "# verified on seeds {:?}",
        skill.entry.verified_seeds
    ));
    if !skill.entry.wand_version.is_empty() {
        text.push_str(&format!(
            " (wand {}, primitives {}, {})",
            skill.entry.wand_version, skill.entry.registry, skill.entry.created
        ));
    }
    text.push_str("\n\n");
    text.push_str(&skill.source);
    text
}
