//! The task file format ([`FamilyFile`]) and the loaded set of families ([`TaskSet`]).
//!
//! A family file, e.g. `scenes/tasks/block_in_bowl.toml`:
//!
//! ```toml
//! name = "block_in_bowl"                      # the file's stem
//! summary = "put one block into one bowl"     # one line, for `wand tasks` and the planner
//! scenes = ["tabletop"]                       # where its seeds are drawn (default tabletop)
//!
//! [requires]                                  # else the family is skipped for a seed
//! blocks = 1
//! bowls = 1
//!
//! [params.block]                              # each parameter: a type, and how a seed draws it
//! type = "block"                              # block bowl object corner side location
//!                                             # direction number ordinal choice
//! [params.bowl]
//! type = "bowl"
//!
//! [templates]
//! seen = ["put the {block} (in|on) the {bowl}"]
//! heldout = ["the {block} goes in the {bowl}"]
//!
//! [check]                                     # Python that sets `conditions`
//! tolerances = { near_m = 0.05 }              # numbers it reads as tol["..."]
//! code = '''
//! conditions = [inside(final, block, bowl)]
//! '''
//!
//! [reference]                                 # the parameters are variables
//! code = '''
//! put_first_on_second(block, bowl)
//! '''
//! ```

use super::check::{RESERVED, TaskCheck, predicate_names};
use super::matcher::{Template, normalize};
use super::{ParamValue, TaskError, TaskSpec};
use crate::workspace::LOCATIONS;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The shipped family files, (file name, text), compiled in by build.rs from
/// `scenes/tasks/*.toml`.
const SHIPPED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/shipped_tasks.rs"));

/// A task family file. Unknown fields are rejected.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "wand task family",
    description = "A wand task family (TOML): parameters and how a seed draws them, instruction templates (seen and held-out), a success check in Python over the start and final scene states, and a reference program."
)]
pub struct FamilyFile {
    /// The family's name: the file's stem, lowercase letters, digits and '_'.
    pub name: String,
    /// What the family asks for, in one line.
    pub summary: String,
    /// Shipped scenes (or scene files) its seeds are drawn on; the first is the default.
    #[serde(default = "default_scenes")]
    pub scenes: Vec<String>,
    /// What a scene must have; a seed whose scene lacks it skips the family.
    #[serde(default)]
    pub requires: Requires,
    /// The parameters, by name (each is a variable in the check and the reference).
    #[serde(default)]
    pub params: BTreeMap<String, ParamSpec>,
    /// The instruction templates.
    pub templates: Templates,
    /// The success check.
    pub check: CheckSpec,
    /// The reference program.
    pub reference: ReferenceSpec,
}

/// The success check: Python over `start`, `final`, `tol` and the parameters that sets
/// `conditions` (see the task module docs).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// Tolerances the check reads as `tol["name"]` (meters, radians, ...).
    #[serde(default)]
    pub tolerances: BTreeMap<String, f64>,
    /// The Python.
    #[schemars(with = "String")]
    pub code: toml::Spanned<String>,
}

/// The reference program: Python over the primitives, with the parameters (and
/// `attempt`, 0 first) as variables.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSpec {
    /// The Python.
    #[schemars(with = "String")]
    pub code: toml::Spanned<String>,
}

fn default_scenes() -> Vec<String> {
    vec![wand_sim::scene::DEFAULT_SCENE.to_string()]
}

/// What a scene must have for the family.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Requires {
    /// At least this many blocks.
    pub blocks: usize,
    /// At least this many bowls.
    pub bowls: usize,
}

/// One parameter.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// What kind of value it is; a seed draws one from the scene.
    #[serde(rename = "type")]
    pub kind: ParamType,
    /// What it means, for `wand tasks show`.
    #[serde(default)]
    pub doc: Option<String>,
    /// Other parameters it must differ from.
    #[serde(default)]
    pub distinct: Vec<String>,
    /// For a block: one with no bowl of its color; for a bowl: one whose color no block has.
    #[serde(default)]
    pub unmatched: bool,
    /// For number, ordinal and choice: the values a seed draws from (an instruction may
    /// give any number or ordinal; a choice must be one of these).
    #[serde(default)]
    pub choices: Vec<ChoiceValue>,
    /// For a number: its unit ("cm" or "m"; default "m"); "10 cm" and "0.1 m" both read.
    #[serde(default)]
    pub unit: Option<Unit>,
}

/// The types of parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    /// A block of the scene ("red block").
    Block,
    /// A bowl of the scene.
    Bowl,
    /// Any object of the scene.
    Object,
    /// A corner: "top left corner", ….
    Corner,
    /// A side: "left side", ….
    Side,
    /// Any named place (`get_location`'s names).
    Location,
    /// left, right, top (far) or bottom (near).
    Direction,
    /// A number in `unit`.
    Number,
    /// 1st, 2nd, … (an integer).
    Ordinal,
    /// One of `choices` (words).
    Choice,
}

/// A value in `choices`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ChoiceValue {
    Int(i64),
    Float(f64),
    Text(String),
}

/// Units of number parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Cm,
    M,
}

impl Unit {
    fn meters(self) -> f64 {
        match self {
            Unit::Cm => 0.01,
            Unit::M => 1.0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Cm => "cm",
            Unit::M => "m",
        }
    }
}

/// The instruction templates, as in Code as Policies' seen/unseen split.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    /// Templates a prompt or a few-shot example may show.
    pub seen: Vec<String>,
    /// Templates kept for testing generalization.
    #[serde(default)]
    pub heldout: Vec<String>,
}

/// Which templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Seen,
    Heldout,
}

/// The JSON schema of task files, as committed in `scenes/tasks/task.schema.json`.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(FamilyFile);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

/// A loaded family.
#[derive(Debug, Clone)]
pub struct Family {
    /// The file as written.
    pub file: FamilyFile,
    /// Where it came from ("scenes/tasks/block_in_bowl.toml" or the path given).
    pub source: String,
    seen: Vec<Template>,
    heldout: Vec<Template>,
    check_line: usize,
    reference_line: usize,
}

/// Directions as (word, value): left is +y, top is +x (far from the robot).
const DIRECTIONS: [(&str, &str); 10] = [
    ("left", "left"),
    ("right", "right"),
    ("top", "top"),
    ("up", "top"),
    ("forward", "top"),
    ("away", "top"),
    ("bottom", "bottom"),
    ("down", "bottom"),
    ("backward", "bottom"),
    ("back", "bottom"),
];

/// The ordinals that read as words, 1 → "first".
const ORDINAL_WORDS: [&str; 6] = ["first", "second", "third", "fourth", "fifth", "sixth"];

impl Family {
    /// Parses and checks a family file's text; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Family, TaskError> {
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
        Ok(family)
    }

    fn validate(&self, invalid: &dyn Fn(&str, String) -> TaskError) -> Result<(), TaskError> {
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
        // The check and the reference must compile.
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
            let line = e.line.map_or(self.reference_line, |l| {
                self.reference_line + l as usize - 2
            });
            TaskError::Invalid {
                file: self.source.clone(),
                line,
                message: format!("the reference program does not compile: {}", e.message),
            }
        })?;
        Ok(())
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
        template.render(
            &|name| match (task.param(name), self.file.params.get(name)) {
                (Some(value), Some(spec)) => display(value, spec),
                (Some(value), None) => value.to_string(),
                _ => format!("{{{name}}}"),
            },
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
            let value = match self.file.params.get(key).map(|s| s.kind) {
                Some(ParamType::Number) => text
                    .trim_end_matches(|c: char| c.is_alphabetic() || c == ' ')
                    .parse::<f64>()
                    .map(ParamValue::Float)
                    .map_err(|_| {
                        TaskError::Spec(format!(
                            "task '{}': parameter '{key}' must be a number, got '{text}'",
                            self.name()
                        ))
                    })?,
                Some(ParamType::Ordinal) => {
                    let words = normalize(text);
                    let read = words.first().and_then(|w| ordinal(w));
                    ParamValue::Int(read.ok_or_else(|| {
                        TaskError::Spec(format!(
                            "task '{}': parameter '{key}' must be an ordinal (1, 2nd, third), got '{text}'",
                            self.name()
                        ))
                    })?)
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

    /// The values parameter `name` can take in a scene with objects `names` (empty for
    /// numbers, which take any value).
    pub(crate) fn values(&self, name: &str, names: Option<&[String]>) -> Vec<ParamValue> {
        let Some(spec) = self.file.params.get(name) else {
            return Vec::new();
        };
        let text = |items: Vec<&str>| -> Vec<ParamValue> {
            items
                .into_iter()
                .map(|s| ParamValue::Text(s.to_string()))
                .collect()
        };
        let objects = |suffix: &str| -> Vec<ParamValue> {
            names
                .unwrap_or_default()
                .iter()
                .filter(|n| suffix.is_empty() || n.ends_with(suffix))
                .map(|n| ParamValue::Text(n.clone()))
                .collect()
        };
        let places = |suffix: &str| {
            text(
                LOCATIONS
                    .iter()
                    .map(|(n, _, _)| *n)
                    .filter(|n| n.ends_with(suffix))
                    .collect(),
            )
        };
        match spec.kind {
            ParamType::Block => objects(" block"),
            ParamType::Bowl => objects(" bowl"),
            ParamType::Object => objects(""),
            ParamType::Corner => places("corner"),
            ParamType::Side => places("side"),
            ParamType::Location => places(""),
            ParamType::Direction => text(vec!["left", "right", "top", "bottom"]),
            ParamType::Number | ParamType::Ordinal | ParamType::Choice => spec
                .choices
                .iter()
                .map(|c| match (spec.kind, c) {
                    (ParamType::Number, ChoiceValue::Int(i)) => ParamValue::Float(*i as f64),
                    (ParamType::Number, ChoiceValue::Float(f)) => ParamValue::Float(*f),
                    (_, ChoiceValue::Int(i)) => ParamValue::Int(*i),
                    (_, ChoiceValue::Float(f)) => ParamValue::Float(*f),
                    (_, ChoiceValue::Text(s)) => ParamValue::Text(s.clone()),
                })
                .collect(),
        }
    }

    /// How slot `name` reads the words at its position: (words used, value) for each way.
    fn read_slot(
        &self,
        name: &str,
        words: &[String],
        names: &[String],
    ) -> Vec<(usize, ParamValue)> {
        let Some(spec) = self.file.params.get(name) else {
            return Vec::new();
        };
        let starts_with = |phrase: &[String]| {
            !phrase.is_empty() && words.len() >= phrase.len() && words[..phrase.len()] == *phrase
        };
        match spec.kind {
            ParamType::Number => {
                let Some(number) = words.first().and_then(|w| w.parse::<f64>().ok()) else {
                    return Vec::new();
                };
                if !(number.is_finite() && number > 0.0) {
                    return Vec::new();
                }
                let unit = spec.unit.unwrap_or(Unit::M);
                let in_unit = |meters_per: f64| {
                    ParamValue::Float(round6(number * meters_per / unit.meters()))
                };
                match words.get(1).map(String::as_str) {
                    Some("cm") => vec![(2, in_unit(0.01))],
                    Some("m") => vec![(2, in_unit(1.0))],
                    Some("mm") => vec![(2, in_unit(0.001))],
                    _ => vec![(1, ParamValue::Float(number))],
                }
            }
            ParamType::Ordinal => words
                .first()
                .and_then(|w| ordinal(w))
                .map(|n| vec![(1, ParamValue::Int(n))])
                .unwrap_or_default(),
            ParamType::Direction => DIRECTIONS
                .iter()
                .filter(|(word, _)| words.first().is_some_and(|w| w == word))
                .map(|(_, value)| (1, ParamValue::Text(value.to_string())))
                .collect(),
            _ => self
                .values(name, Some(names))
                .into_iter()
                .filter_map(|value| {
                    let phrase = normalize(&value.to_string());
                    starts_with(&phrase).then_some((phrase.len(), value))
                })
                .collect(),
        }
    }

    /// The best match of `words` (normalized) against this family's templates, with how
    /// many literal words it used.
    fn match_words(&self, words: &[String], names: &[String]) -> Option<(TaskSpec, usize)> {
        let read = |slot: &str, at: &[String]| self.read_slot(slot, at, names);
        self.seen
            .iter()
            .chain(&self.heldout)
            .filter_map(|template| template.matches(words, &read))
            .filter(|(params, _)| self.distinct_ok(params))
            .max_by_key(|(_, literals)| *literals)
            .map(|(params, literals)| {
                (
                    TaskSpec {
                        name: self.name().to_string(),
                        params,
                    },
                    literals,
                )
            })
    }

    /// Whether parameters that must differ do.
    pub(crate) fn distinct_ok(&self, params: &BTreeMap<String, ParamValue>) -> bool {
        self.file.params.iter().all(|(name, spec)| {
            spec.distinct
                .iter()
                .all(|other| params.get(name).is_none() || params.get(name) != params.get(other))
        })
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// "2nd" / "2" → 2.
fn ordinal(word: &str) -> Option<i64> {
    let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
    let n: i64 = digits.parse().ok()?;
    (1..=6).contains(&n).then_some(n)
}

/// How a value reads in an instruction: "10 cm", "second", "red block".
fn display(value: &ParamValue, spec: &ParamSpec) -> String {
    match (spec.kind, value) {
        (ParamType::Number, v) => {
            let x = v.as_f64().unwrap_or_default();
            let unit = spec.unit.unwrap_or(Unit::M).name();
            if x.fract() == 0.0 {
                format!("{x:.0} {unit}")
            } else {
                format!("{x} {unit}")
            }
        }
        (ParamType::Ordinal, ParamValue::Int(i)) => ORDINAL_WORDS
            .get((*i as usize).wrapping_sub(1))
            .map_or(i.to_string(), |w| w.to_string()),
        (_, v) => v.to_string(),
    }
}

fn describe_type(spec: &ParamSpec) -> String {
    match spec.kind {
        ParamType::Block => "a block of the scene".into(),
        ParamType::Bowl => "a bowl of the scene".into(),
        ParamType::Object => "an object of the scene".into(),
        ParamType::Corner => "a corner".into(),
        ParamType::Side => "a side".into(),
        ParamType::Location => "a named place".into(),
        ParamType::Direction => "left, right, top or bottom".into(),
        ParamType::Number => format!("a number in {}", spec.unit.unwrap_or(Unit::M).name()),
        ParamType::Ordinal => "an ordinal, 1 to 6".into(),
        ParamType::Choice => "one of its choices".into(),
    }
}

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
                        Family::parse(text, &format!("scenes/tasks/{file}"))
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
        let words = normalize(instruction);
        if words.is_empty() {
            return None;
        }
        self.families
            .iter()
            .filter_map(|f| f.match_words(&words, names))
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
