//! Checking a family file beyond its syntax (names, parameters, templates, the check and
//! the reference compile), and checking a task's parameters against its family.

use super::check::{RESERVED, predicate_names};
use super::family::Family;
use super::format::{ChoiceValue, ParamType};
use super::matcher::normalize;
use super::slots::describe_type;
use super::{ParamValue, TaskError, TaskSpec};
use std::collections::BTreeMap;
use std::path::Path;

impl Family {
    pub(super) fn validate(
        &self,
        invalid: &dyn Fn(&str, String) -> TaskError,
    ) -> Result<(), TaskError> {
        let file = &self.file;
        let name_ok = !file.name.is_empty()
            && file
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            return Err(invalid(
                "name",
                format!(
                    "name '{}' must be lowercase letters, digits and '_'",
                    file.name
                ),
            ));
        }
        let stem = Path::new(&self.source)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned());
        if stem.as_deref() != Some(file.name.as_str()) {
            return Err(invalid(
                "name",
                format!(
                    "name '{}' must be the file's name without .toml ('{}')",
                    file.name,
                    stem.unwrap_or_default()
                ),
            ));
        }
        if file.summary.trim().is_empty() || file.summary.contains('\n') {
            return Err(invalid(
                "summary",
                "summary must be one non-empty line".into(),
            ));
        }
        if file.templates.seen.is_empty() {
            return Err(invalid(
                "seen",
                "templates.seen must have at least one template".into(),
            ));
        }
        let predicates = predicate_names();
        for (name, spec) in &file.params {
            let identifier = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !identifier {
                return Err(invalid(
                    &format!("params.{name}"),
                    format!("parameter '{name}' must be a lowercase Python name"),
                ));
            }
            if RESERVED.contains(&name.as_str()) || predicates.contains(&name.as_str()) {
                return Err(invalid(
                    &format!("params.{name}"),
                    format!(
                        "parameter '{name}' would hide an input or a predicate of the check; \
                         reserved: {}, {}",
                        RESERVED.join(", "),
                        predicates.join(", ")
                    ),
                ));
            }
            if crate::registry::find(name).is_some() {
                return Err(invalid(
                    &format!("params.{name}"),
                    format!(
                        "parameter '{name}' would hide the primitive {name}() in the reference \
                         program; choose another name"
                    ),
                ));
            }
            for other in &spec.distinct {
                if !file.params.contains_key(other) || other == name {
                    return Err(invalid(
                        &format!("params.{name}"),
                        format!(
                            "params.{name}.distinct names '{other}', which is not another parameter"
                        ),
                    ));
                }
            }
            let needs_choices = matches!(
                spec.kind,
                ParamType::Number | ParamType::Ordinal | ParamType::Choice
            );
            if needs_choices && spec.choices.is_empty() {
                return Err(invalid(
                    &format!("params.{name}"),
                    format!("params.{name} needs choices: the values a seed draws from"),
                ));
            }
            let fits = spec.choices.iter().all(|c| match (spec.kind, c) {
                (ParamType::Number, ChoiceValue::Int(_) | ChoiceValue::Float(_)) => true,
                (ParamType::Ordinal, ChoiceValue::Int(i)) => (1..=6).contains(i),
                (ParamType::Choice, ChoiceValue::Text(_)) => true,
                _ => false,
            });
            if !fits {
                return Err(invalid(
                    &format!("params.{name}"),
                    format!(
                        "params.{name}.choices do not fit its type ({:?}: numbers for number, \
                         1..6 for ordinal, words for choice)",
                        spec.kind
                    ),
                ));
            }
            if spec.unit.is_some() && spec.kind != ParamType::Number {
                return Err(invalid(
                    &format!("params.{name}"),
                    format!("params.{name}.unit is only for numbers"),
                ));
            }
            if spec.unmatched && !matches!(spec.kind, ParamType::Block | ParamType::Bowl) {
                return Err(invalid(
                    &format!("params.{name}"),
                    format!("params.{name}.unmatched is only for blocks and bowls"),
                ));
            }
        }
        for (name, value) in &file.check.tolerances {
            if !value.is_finite() {
                return Err(invalid(
                    name,
                    format!("check.tolerances.{name} must be a finite number"),
                ));
            }
        }
        for template in self.seen.iter().chain(&self.heldout) {
            for slot in template.slots() {
                if !file.params.contains_key(&slot) {
                    return Err(invalid(
                        &template.text,
                        format!(
                            "template \"{}\" has the slot {{{slot}}}, which is not a parameter \
                             (parameters: {})",
                            template.text,
                            self.param_names().join(", ")
                        ),
                    ));
                }
            }
            for param in file.params.keys() {
                if !template.always_has(param) {
                    return Err(invalid(
                        &template.text,
                        format!(
                            "template \"{}\" does not always say the parameter {{{param}}}, so \
                             an instruction could not give it",
                            template.text
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Checks that the check and the reference program compile, pointing at their lines
    /// in the file. Shipped families are compiled by their tests instead, at no cost to
    /// every start of `wand`.
    pub(super) fn compiles(&self) -> Result<(), TaskError> {
        let file = &self.file;
        let example = TaskSpec {
            name: file.name.clone(),
            params: file
                .params
                .keys()
                .map(|k| (k.clone(), ParamValue::Text(String::new())))
                .collect(),
        };
        self.check(&example)
            .compile()
            .map_err(|(line, message)| TaskError::Invalid {
                file: self.source.clone(),
                line: line.unwrap_or(self.check_line),
                message,
            })?;
        let program = self.reference_program(&example, 0);
        crate::runtime::check(&program).map_err(|e| {
            // The program starts with a comment, a line per parameter and `attempt`.
            let header = 2 + file.params.len();
            let line = e.line.map_or(self.reference_line, |l| {
                self.reference_line + (l as usize).saturating_sub(header + 1)
            });
            TaskError::Invalid {
                file: self.source.clone(),
                line,
                message: format!("the reference program does not compile: {}", e.message),
            }
        })?;
        Ok(())
    }

    /// Checks that `task` gives every parameter of this family, with values of the right
    /// type, and nothing else. `names` are the scene's objects, when known.
    pub fn validate_task(
        &self,
        task: &TaskSpec,
        names: Option<&[String]>,
    ) -> Result<(), TaskError> {
        let bad = |message: String| TaskError::Spec(format!("task '{}': {message}", self.name()));
        for key in task.params.keys() {
            if !self.file.params.contains_key(key) {
                return Err(bad(format!(
                    "unknown parameter '{key}'; its parameters: {}",
                    self.params_or_none()
                )));
            }
        }
        for (name, spec) in &self.file.params {
            let Some(value) = task.param(name) else {
                return Err(bad(format!(
                    "needs the parameter '{name}' ({}); its parameters: {}",
                    describe_type(spec),
                    self.params_or_none()
                )));
            };
            let candidates = self.values(name, names);
            let fits = match (spec.kind, value) {
                (ParamType::Number, v) => v.as_f64().is_some_and(f64::is_finite),
                (ParamType::Ordinal, ParamValue::Int(i)) => (1..=6).contains(i),
                (ParamType::Block | ParamType::Bowl | ParamType::Object, _) if names.is_none() => {
                    value.as_text().is_some()
                }
                _ => candidates.contains(value),
            };
            if !fits {
                let known: Vec<String> = candidates.iter().map(ToString::to_string).collect();
                let known = if known.is_empty() {
                    describe_type(spec)
                } else {
                    known.join(", ")
                };
                return Err(bad(format!(
                    "'{value}' is not a valid {name} ({}); valid: {known}",
                    describe_type(spec)
                )));
            }
        }
        Ok(())
    }

    fn params_or_none(&self) -> String {
        let names = self.param_names();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }

    /// Reads text values given on a command line (`--param k=v`) with this family's types.
    pub fn typed_params(&self, pairs: &[(String, String)]) -> Result<TaskSpec, TaskError> {
        let mut params = BTreeMap::new();
        for (key, text) in pairs {
            let kind = self.file.params.get(key).map(|s| s.kind);
            let value = match kind {
                // Numbers and ordinals read as in an instruction: "10 cm", "0.1 m", "2nd".
                Some(ParamType::Number | ParamType::Ordinal) => {
                    let words = normalize(text);
                    self.read_slot(key, &words, &[])
                        .into_iter()
                        .find(|(used, _)| *used == words.len())
                        .map(|(_, value)| value)
                        .ok_or_else(|| {
                            let what = if kind == Some(ParamType::Number) {
                                "a number (10, \"10 cm\", \"0.1 m\")"
                            } else {
                                "an ordinal (1, 2nd, third)"
                            };
                            TaskError::Spec(format!(
                                "task '{}': parameter '{key}' must be {what}, got '{text}'",
                                self.name()
                            ))
                        })?
                }
                _ => ParamValue::Text(text.clone()),
            };
            params.insert(key.clone(), value);
        }
        Ok(TaskSpec {
            name: self.name().to_string(),
            params,
        })
    }
}
