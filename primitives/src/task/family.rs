//! [`Family`]: a parsed, checked task family — what it can say about itself, the check
//! for a task, and the reference program with the parameters filled in.

use super::check::TaskCheck;
use super::format::{FamilyFile, Split};
use super::matcher::Template;
use super::slots::display;
use super::{TaskError, TaskSpec};

/// A loaded family.
#[derive(Debug, Clone)]
pub struct Family {
    /// The file as written.
    pub file: FamilyFile,
    /// Where it came from ("scenes/tasks/block_in_bowl.toml" or the path given).
    pub source: String,
    pub(super) seen: Vec<Template>,
    pub(super) heldout: Vec<Template>,
    pub(super) check_line: usize,
    pub(super) reference_line: usize,
}

impl Family {
    /// Parses and checks a family file's text; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Family, TaskError> {
        Family::parse_with(text, source, true)
    }

    /// [`Family::parse`], compiling the check and the reference only when `compile`.
    pub(super) fn parse_with(text: &str, source: &str, compile: bool) -> Result<Family, TaskError> {
        let file: FamilyFile = wand_sim::scene::from_toml(text, source)?;
        let line_of = |offset: usize| wand_sim::scene::line_column(text, offset).0;
        // A multi-line string's first line is the one after its opening quotes.
        let first_code_line = |spanned: &toml::Spanned<String>| {
            let start = spanned.span().start;
            let opening = &text[start..text.len().min(start + 4)];
            let skip = usize::from(
                opening.starts_with("'''\n")
                    || opening.starts_with("\"\"\"\n")
                    || opening.starts_with("'''\r")
                    || opening.starts_with("\"\"\"\r"),
            );
            line_of(start) + skip
        };
        let invalid = |needle: &str, message: String| TaskError::Invalid {
            file: source.to_string(),
            line: text
                .lines()
                .position(|l| l.contains(needle))
                .map_or(1, |i| i + 1),
            message,
        };
        let parse_all = |list: &[String]| -> Result<Vec<Template>, TaskError> {
            list.iter()
                .map(|t| Template::parse(t).map_err(|e| invalid(t, e)))
                .collect()
        };
        let family = Family {
            seen: parse_all(&file.templates.seen)?,
            heldout: parse_all(&file.templates.heldout)?,
            check_line: first_code_line(&file.check.code),
            reference_line: first_code_line(&file.reference.code),
            source: source.to_string(),
            file,
        };
        family.validate(&invalid)?;
        if compile {
            family.compiles()?;
        }
        Ok(family)
    }

    /// The family's name.
    pub fn name(&self) -> &str {
        &self.file.name
    }

    /// Its one-line summary.
    pub fn summary(&self) -> &str {
        &self.file.summary
    }

    /// Its parameter names, sorted.
    pub fn param_names(&self) -> Vec<&str> {
        self.file.params.keys().map(String::as_str).collect()
    }

    /// The templates of a split.
    pub fn templates(&self, split: Split) -> &[Template] {
        match split {
            Split::Seen => &self.seen,
            Split::Heldout => &self.heldout,
        }
    }

    /// The instruction `template` reads as for the task's parameters.
    pub fn instruction(&self, template: &Template, task: &TaskSpec) -> String {
        self.instruction_variant(template, task, 0)
    }

    /// [`Family::instruction`] with the template's choices made by `variant` (see
    /// [`Template::render_variant`]).
    pub fn instruction_variant(
        &self,
        template: &Template,
        task: &TaskSpec,
        variant: u64,
    ) -> String {
        template.render_variant(
            &|name| match (task.param(name), self.file.params.get(name)) {
                (Some(value), Some(spec)) => display(value, spec),
                (Some(value), None) => value.to_string(),
                _ => format!("{{{name}}}"),
            },
            variant,
        )
    }

    /// The check for `task` (a task of this family).
    pub fn check(&self, task: &TaskSpec) -> TaskCheck {
        TaskCheck {
            task: task.clone(),
            source: self.source.clone(),
            code: self.file.check.code.get_ref().clone(),
            first_line: self.check_line,
            tolerances: self.file.check.tolerances.clone(),
        }
    }

    /// The reference program with the parameters filled in, for attempt `attempt` (0
    /// first; a program may vary on later attempts).
    pub fn reference_program(&self, task: &TaskSpec, attempt: usize) -> String {
        let mut program = format!(
            "# {}: the reference program of task {}\n",
            self.file.name,
            task.describe()
        );
        for (name, value) in &task.params {
            program.push_str(&format!("{name} = {}\n", value.python()));
        }
        program.push_str(&format!("attempt = {attempt}\n"));
        program.push_str(self.file.reference.code.get_ref());
        if !program.ends_with('\n') {
            program.push('\n');
        }
        program
    }
}
