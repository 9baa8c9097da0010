//! The task file format: [`FamilyFile`] and its parts, as serde structs (unknown fields
//! rejected) with a JSON schema (`scenes/tasks/task.schema.json`) generated from them.
//!
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

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

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
    pub(crate) fn meters(self) -> f64 {
        match self {
            Unit::Cm => 0.01,
            Unit::M => 1.0,
        }
    }

    pub(crate) fn name(self) -> &'static str {
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
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
