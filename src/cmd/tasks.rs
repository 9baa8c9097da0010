//! `wand tasks`: the task families (from `scenes/tasks/` and `--tasks-dir`), one line
//! each; `wand tasks show NAME`: a family's parameters, templates, check and reference
//! program; `wand tasks verify`: each family's reference program (or the builtin planner
//! on every template) over seeds, judged by the family's own check.

use super::{EXIT_FAILED, EXIT_OK, InputError};
use anyhow::Context;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use wand_agent::run::WorkerProcess;
use wand_agent::verify::{self, Tally};
use wand_primitives::task::{Family, Split, TaskSet};

/// Arguments of `wand tasks`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    dirs: TasksDirArgs,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Print the family list as Markdown (docs/TASKS.md is this output).
    #[arg(long)]
    markdown: bool,
}

/// `--tasks-dir`, shared by the commands that read task families.
#[derive(Debug, Clone, clap::Args)]
pub struct TasksDirArgs {
    /// A folder of your own task family files (*.toml), added to the shipped ones
    /// (repeatable). See README, "Adding a task".
    #[arg(long = "tasks-dir", value_name = "DIR", global = true)]
    pub tasks_dirs: Vec<PathBuf>,
}

impl TasksDirArgs {
    /// The shipped families and those in the folders; a bad file is an input error.
    pub fn load(&self) -> anyhow::Result<TaskSet> {
        TaskSet::load(&self.tasks_dirs).map_err(|e| InputError(e.to_string()).into())
    }
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// List the families, one line each (the default).
    List,
    /// Show one family: parameters, templates, check and reference program.
    Show {
        /// The family's name.
        name: String,
    },
    /// Run each family's reference program (or, with --planner, the builtin planner on
    /// every seen and held-out template) over seeds, judged by the family's check.
    Verify {
        /// Families to verify (default: all).
        names: Vec<String>,
        /// Seeds, as A..B (B excluded).
        #[arg(long, default_value = "0..20", value_parser = parse_seeds)]
        seeds: std::ops::Range<u64>,
        /// Run the builtin planner on every template instead of the reference program.
        #[arg(long)]
        planner: bool,
        /// Use this scene instead of each family's first.
        #[arg(long)]
        scene: Option<String>,
        /// Episodes run at once (default: the core count).
        #[arg(long)]
        jobs: Option<usize>,
        #[command(flatten)]
        rig: super::RigArgs,
    },
}

pub(crate) fn parse_seeds(text: &str) -> Result<std::ops::Range<u64>, String> {
    let (a, b) = text
        .split_once("..")
        .ok_or_else(|| format!("seeds must be A..B (e.g. 0..100), got '{text}'"))?;
    let (a, b): (u64, u64) = (
        a.trim()
            .parse()
            .map_err(|_| format!("'{a}' is not a seed"))?,
        b.trim()
            .parse()
            .map_err(|_| format!("'{b}' is not a seed"))?,
    );
    if a >= b {
        return Err(format!("seeds {a}..{b} is empty: B must be above A"));
    }
    Ok(a..b)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let tasks = args.dirs.load()?;
    match args.command.unwrap_or(Command::List) {
        Command::List if args.markdown => {
            print!("{}", markdown(&tasks));
            Ok(ExitCode::from(EXIT_OK))
        }
        Command::List => list(&tasks, args.json),
        Command::Show { name } => {
            let family = tasks.get(&name).map_err(|e| InputError(e.to_string()))?;
            show(family, args.json)
        }
        Command::Verify {
            names,
            seeds,
            planner,
            scene,
            jobs,
            rig,
        } => {
            for name in &names {
                tasks.get(name).map_err(|e| InputError(e.to_string()))?;
            }
            let jobs =
                jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
            let exe = std::env::current_exe()
                .context("cannot find the wand executable to start a worker")?;
            let mut cases = verify::cases(&tasks, &names, seeds, planner, scene.as_deref());
            for case in &mut cases {
                case.perception = rig.perception;
                case.gripper = rig.gripper;
            }
            let results = verify::run_all(&tasks, &cases, &WorkerProcess { exe }, jobs);
            let tallies = verify::tally(&results);
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string(&json!({ "tallies": tallies, "episodes": results }))?
                );
            } else {
                for r in results.iter().filter(|r| !r.success && r.skipped.is_none()) {
                    let task = r.task.as_ref().map_or("-".into(), |t| t.describe());
                    let said = r
                        .instruction
                        .as_ref()
                        .map_or(String::new(), |i| format!(" \"{i}\""));
                    eprintln!(
                        "failed: {task} on {} seed {}{said}: {}",
                        r.case.scene, r.case.seed, r.reason
                    );
                }
                print_tallies(&tallies);
            }
            let failed = tallies.iter().any(|t| t.failed > 0);
            Ok(ExitCode::from(if failed { EXIT_FAILED } else { EXIT_OK }))
        }
    }
}

fn print_tallies(tallies: &[Tally]) {
    let width = tallies.iter().map(|t| t.family.len()).max().unwrap_or(0);
    for t in tallies {
        println!(
            "{:width$}  {:9}  {:>4}/{:<4} passed ({:5.1}%)  {} skipped",
            t.family,
            t.programs,
            t.passed,
            t.passed + t.failed,
            100.0 * t.rate(),
            t.skipped
        );
    }
    for programs in ["reference", "seen", "heldout"] {
        let (passed, judged) = tallies
            .iter()
            .filter(|t| t.programs == programs)
            .fold((0, 0), |(p, j), t| (p + t.passed, j + t.passed + t.failed));
        if judged > 0 {
            println!(
                "all {programs}: {passed}/{judged} passed ({:.1}%)",
                100.0 * passed as f64 / judged as f64
            );
        }
    }
}

fn params_line(family: &Family) -> String {
    let names = family.param_names();
    if names.is_empty() {
        "-".into()
    } else {
        names.join(", ")
    }
}

fn list(tasks: &TaskSet, as_json: bool) -> anyhow::Result<ExitCode> {
    if as_json {
        let families: Vec<_> = tasks
            .families()
            .iter()
            .map(|f| {
                json!({
                    "name": f.name(), "summary": f.summary(), "params": f.param_names(),
                    "scenes": f.file.scenes,
                    "templates": { "seen": f.templates(Split::Seen).len(),
                                   "heldout": f.templates(Split::Heldout).len() },
                    "source": f.source,
                })
            })
            .collect();
        println!("{}", serde_json::to_string(&json!({ "tasks": families }))?);
        return Ok(ExitCode::from(EXIT_OK));
    }
    let width = tasks.names().iter().map(|n| n.len()).max().unwrap_or(0);
    for f in tasks.families() {
        println!(
            "{:width$}  {}  [params: {}; templates: {} seen, {} held-out]",
            f.name(),
            f.summary(),
            params_line(f),
            f.templates(Split::Seen).len(),
            f.templates(Split::Heldout).len()
        );
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// The families as Markdown: a table, then each family's parameters and templates.
fn markdown(tasks: &TaskSet) -> String {
    let mut out = String::from(
        "# Task families\n\n<!-- Generated by `wand tasks --markdown` from scenes/tasks/*.toml; \
         a test fails when it is stale. -->\n\n\
         Each family is one file in `scenes/tasks/` (see README, \"Adding a task\"). The builtin \
         planner matches an instruction against the templates; the check judges the episode \
         from the start and final states. Seen templates may appear in prompts; held-out ones \
         test generalization.\n\n\
         \"On\" and \"inside\" are the simulation's (`World::is_on`, `World::is_inside`), read \
         through the shared predicates of `scenes/tasks/predicates.py`. Bowls nest: a bowl set \
         into another lies in it, so `inside(state, inner, outer)` and `on(state, inner, outer)` \
         hold. Inside is transitive: a block in the inner of two nested bowls is inside both \
         (its state's `inside` names the inner bowl, the one it lies in directly; \
         `containers(state, a)` lists them innermost first).\n\n\
         | family | what it asks | parameters | scenes | templates (seen / held-out) |\n\
         |---|---|---|---|---|\n",
    );
    for f in tasks.families() {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} | {} / {} |\n",
            f.name(),
            f.name(),
            f.summary(),
            params_line(f),
            f.file.scenes.join(", "),
            f.templates(Split::Seen).len(),
            f.templates(Split::Heldout).len()
        ));
    }
    for f in tasks.families() {
        out.push_str(&format!("\n## {}\n\n{}.\n\n", f.name(), f.summary()));
        for (name, spec) in &f.file.params {
            let doc = spec
                .doc
                .as_deref()
                .map_or(String::new(), |d| format!(": {d}"));
            out.push_str(&format!(
                "- `{name}` ({}){doc}\n",
                format!("{:?}", spec.kind).to_lowercase()
            ));
        }
        if !f.file.params.is_empty() {
            out.push('\n');
        }
        for (label, split) in [("Seen", Split::Seen), ("Held-out", Split::Heldout)] {
            let list: Vec<String> = f
                .templates(split)
                .iter()
                .map(|t| format!("`{}`", t.text))
                .collect();
            out.push_str(&format!("{label}: {}\n\n", list.join(" · ")));
        }
    }
    out
}

fn show(family: &Family, as_json: bool) -> anyhow::Result<ExitCode> {
    let templates = |split| -> Vec<String> {
        family
            .templates(split)
            .iter()
            .map(|t| t.text.clone())
            .collect()
    };
    let params: serde_json::Map<String, serde_json::Value> = family
        .file
        .params
        .iter()
        .map(|(name, spec)| {
            let value = json!({
                "type": format!("{:?}", spec.kind).to_lowercase(), "doc": spec.doc,
                "distinct": spec.distinct, "unmatched": spec.unmatched,
            });
            (name.clone(), value)
        })
        .collect();
    if as_json {
        let out = json!({
            "name": family.name(), "summary": family.summary(), "source": family.source,
            "scenes": family.file.scenes, "params": params,
            "requires": { "blocks": family.file.requires.blocks, "bowls": family.file.requires.bowls },
            "templates": { "seen": templates(Split::Seen), "heldout": templates(Split::Heldout) },
            "check": { "tolerances": family.file.check.tolerances, "code": family.file.check.code.get_ref() },
            "reference": family.file.reference.code.get_ref(),
        });
        println!("{}", serde_json::to_string(&out)?);
        return Ok(ExitCode::from(EXIT_OK));
    }
    println!("{}: {}", family.name(), family.summary());
    println!("file: {}", family.source);
    println!("scenes: {}", family.file.scenes.join(", "));
    println!("parameters:");
    if family.file.params.is_empty() {
        println!("  (none)");
    }
    for (name, spec) in &family.file.params {
        let doc = spec.doc.as_deref().unwrap_or("");
        println!("  {name}: {:?}  {doc}", spec.kind);
    }
    for (label, split) in [("seen", Split::Seen), ("held-out", Split::Heldout)] {
        println!("{label} templates:");
        for t in templates(split) {
            println!("  {t}");
        }
    }
    println!("check (tolerances: {:?}):", family.file.check.tolerances);
    print!("{}", indent(family.file.check.code.get_ref()));
    println!("reference program:");
    print!("{}", indent(family.file.reference.code.get_ref()));
    Ok(ExitCode::from(EXIT_OK))
}

fn indent(code: &str) -> String {
    code.lines().map(|l| format!("    {l}\n")).collect()
}
