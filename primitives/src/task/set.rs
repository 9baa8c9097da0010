//! [`TaskSet`]: the families wand knows — the shipped ones, compiled in, and any from
//! `--tasks-dir` — and what is asked of all of them at once.

use super::check::TaskCheck;
use super::family::Family;
use super::matcher::readings;
use super::{TaskError, TaskSpec};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The shipped family files, (file name, text), compiled in by build.rs from
/// `scenes/tasks/*.toml`.
pub const SHIPPED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/shipped_tasks.rs"));

/// The families wand knows: the shipped ones and any from `--tasks-dir`.
#[derive(Debug, Clone)]
pub struct TaskSet {
    families: Vec<Family>,
}

impl TaskSet {
    /// The shipped families (compiled in; parsed once).
    pub fn shipped() -> TaskSet {
        static SHIPPED_SET: OnceLock<TaskSet> = OnceLock::new();
        SHIPPED_SET
            .get_or_init(|| {
                let families = SHIPPED
                    .iter()
                    .map(|(file, text)| {
                        // Their checks and references compile: tests/task_files.rs.
                        Family::parse_with(text, &format!("scenes/tasks/{file}"), false)
                            .unwrap_or_else(|e| panic!("a shipped task file is broken: {e}"))
                    })
                    .collect();
                TaskSet { families }
            })
            .clone()
    }

    /// The shipped families and those in `dirs` (every `*.toml` there). A family defined
    /// twice is an error naming both files.
    pub fn load(dirs: &[PathBuf]) -> Result<TaskSet, TaskError> {
        let mut set = TaskSet::shipped();
        for dir in dirs {
            let entries = std::fs::read_dir(dir).map_err(|e| {
                TaskError::Spec(format!(
                    "cannot read the tasks folder {}: {e}",
                    dir.display()
                ))
            })?;
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                let label = path.display().to_string();
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| TaskError::Spec(format!("cannot read task file {label}: {e}")))?;
                let family = Family::parse(&text, &label)?;
                if let Some(other) = set.families.iter().find(|f| f.name() == family.name()) {
                    return Err(TaskError::Spec(format!(
                        "task '{}' is defined twice: in {} and in {label}",
                        family.name(),
                        other.source
                    )));
                }
                set.families.push(family);
            }
        }
        set.families.sort_by(|a, b| a.name().cmp(b.name()));
        Ok(set)
    }

    /// The families, by name.
    pub fn families(&self) -> &[Family] {
        &self.families
    }

    /// The family names, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.families.iter().map(Family::name).collect()
    }

    /// The family called `name`; an unknown name lists the known ones.
    pub fn get(&self, name: &str) -> Result<&Family, TaskError> {
        self.families
            .iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| {
                TaskError::Spec(format!(
                    "unknown task '{name}'; known tasks: {}",
                    self.names().join(", ")
                ))
            })
    }

    /// The check for `task`, after checking its parameters (against the scene's objects
    /// `names`, when given).
    pub fn resolve(
        &self,
        task: &TaskSpec,
        names: Option<&[String]>,
    ) -> Result<TaskCheck, TaskError> {
        let family = self.get(&task.name)?;
        family.validate_task(task, names)?;
        Ok(family.check(task))
    }

    /// The task an instruction asks for, given the scene's object names: the template
    /// match that accounts for the whole instruction with the most literal words.
    pub fn match_instruction(&self, instruction: &str, names: &[String]) -> Option<TaskSpec> {
        readings(instruction)
            .iter()
            .filter(|words| !words.is_empty())
            .flat_map(|words| {
                self.families
                    .iter()
                    .filter_map(|f| f.match_words(words, names))
            })
            .max_by_key(|(_, literals)| *literals)
            .map(|(task, _)| task)
    }

    /// What the families do, one line each: for a planner that could not match.
    pub fn summaries(&self) -> String {
        self.families
            .iter()
            .map(|f| {
                let example = f
                    .seen
                    .first()
                    .map(|t| t.render(&|name| format!("<{name}>")))
                    .unwrap_or_default();
                format!("- {}: {}, as in \"{example}\"", f.name(), f.summary())
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}
