//! The primitive registry: every primitive defined once (name, parameters, doc,
//! example, handler). The interpreter's function table, `wand api`, docs/API.md and
//! the prompt's API section are all generated from [`PRIMITIVES`].

use crate::error::PyError;
use crate::session::Session;
use crate::value::Value;
use crate::{helpers, motion, perception, talk, workspace};

/// What a primitive is for; the reference groups primitives by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Perception,
    Motion,
    Workspace,
    Helpers,
    Talking,
}

impl Category {
    /// Heading used in the reference.
    pub fn title(self) -> &'static str {
        match self {
            Category::Perception => "Perception",
            Category::Motion => "Motion",
            Category::Workspace => "Workspace",
            Category::Helpers => "Helpers (no numpy in the sandbox)",
            Category::Talking => "Talking",
        }
    }

    /// Every category, in reference order.
    pub const ALL: [Category; 5] = [
        Category::Perception,
        Category::Motion,
        Category::Workspace,
        Category::Helpers,
        Category::Talking,
    ];
}

/// A primitive's level: the composed skills (pick, place, …) or the building blocks
/// every program gets (perception, move_to, grasp, release, helpers, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A composed skill, offered at `--api high` only.
    High,
    /// A building block, offered at every level.
    Low,
}

/// Which primitives a program is offered (`--api`): in the prompt, `wand api` and the
/// interpreter's table alike. Results depend strongly on it, so results name it.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum ApiLevel {
    /// Everything: the skills (pick, place, put_first_on_second, push) and the building blocks.
    #[default]
    High,
    /// The building blocks only: perception, move_to, grasp, release, go_home, helpers; a
    /// program composes picks itself.
    Low,
}

impl ApiLevel {
    /// Whether a program at this level may call `primitive`.
    pub fn offers(self, primitive: &Primitive) -> bool {
        self == ApiLevel::High || primitive.level == Level::Low
    }

    /// "high" or "low".
    pub fn name(self) -> &'static str {
        match self {
            ApiLevel::High => "high",
            ApiLevel::Low => "low",
        }
    }
}

/// One parameter of a primitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    /// Python text of the default; `None` for a required parameter.
    pub default: Option<&'static str>,
}

/// A required parameter.
pub const fn req(name: &'static str) -> Param {
    Param {
        name,
        default: None,
    }
}

/// An optional parameter with its default (Python text).
pub const fn opt(name: &'static str, default: &'static str) -> Param {
    Param {
        name,
        default: Some(default),
    }
}

/// Serves one call of a primitive.
pub type Handler = fn(&mut Session, &Args) -> Result<Value, PyError>;

/// One primitive: the single definition everything else is generated from.
#[derive(Debug, Clone, Copy)]
pub struct Primitive {
    pub name: &'static str,
    pub params: &'static [Param],
    /// What it returns, in words ("[x, y, z]", "None").
    pub returns: &'static str,
    pub category: Category,
    /// Whether it is a composed skill or a building block (see [`ApiLevel`]).
    pub level: Level,
    /// What it does, for a person and a language model; may span lines.
    pub doc: &'static str,
    /// A line or two of Python that uses it.
    pub example: &'static str,
    pub handler: Handler,
}

impl Primitive {
    /// "move_to(pos, yaw=None)".
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| match p.default {
                Some(default) => format!("{}={default}", p.name),
                None => p.name.to_string(),
            })
            .collect();
        format!("{}({})", self.name, params.join(", "))
    }

    /// Binds a call's positional and keyword arguments to the parameters.
    pub fn bind(
        &self,
        positional: Vec<Value>,
        keywords: Vec<(String, Value)>,
    ) -> Result<Args, PyError> {
        let n = self.params.len();
        if positional.len() > n {
            return Err(PyError::type_error(format!(
                "{} takes {} argument{} but {} were given; signature: {}",
                self.name,
                n,
                if n == 1 { "" } else { "s" },
                positional.len(),
                self.signature()
            )));
        }
        let mut slots: Vec<Option<Value>> = positional.into_iter().map(Some).collect();
        slots.resize(n, None);
        for (key, value) in keywords {
            let Some(i) = self.params.iter().position(|p| p.name == key) else {
                return Err(PyError::type_error(format!(
                    "{} got an unexpected keyword argument '{key}'; signature: {}",
                    self.name,
                    self.signature()
                )));
            };
            if slots[i].is_some() {
                return Err(PyError::type_error(format!(
                    "{} got multiple values for argument '{key}'",
                    self.name
                )));
            }
            slots[i] = Some(value);
        }
        for (param, slot) in self.params.iter().zip(&slots) {
            if slot.is_none() && param.default.is_none() {
                return Err(PyError::type_error(format!(
                    "{} is missing the argument '{}'; signature: {}",
                    self.name,
                    param.name,
                    self.signature()
                )));
            }
        }
        Ok(Args {
            primitive: self.name,
            params: self.params,
            values: slots,
        })
    }
}

/// A call's arguments, bound to parameters; typed getters raise TypeError/ValueError
/// with the primitive's name and the parameter's.
#[derive(Debug, Clone)]
pub struct Args {
    primitive: &'static str,
    params: &'static [Param],
    values: Vec<Option<Value>>,
}

impl Args {
    /// The raw value of parameter `i` (`None` when an optional one was not given or
    /// was given as Python `None`).
    pub fn get(&self, i: usize) -> Option<&Value> {
        match self.values.get(i)? {
            Some(Value::None) | None => None,
            Some(v) => Some(v),
        }
    }

    fn wrong(&self, i: usize, wanted: &str, got: &Value) -> PyError {
        PyError::type_error(format!(
            "{}: '{}' must be {wanted}, not {} {got}",
            self.primitive,
            self.params[i].name,
            got.type_name()
        ))
    }

    fn missing(&self, i: usize) -> PyError {
        PyError::type_error(format!(
            "{}: '{}' must not be None",
            self.primitive, self.params[i].name
        ))
    }

    /// A string argument.
    pub fn text(&self, i: usize) -> Result<&str, PyError> {
        match self.get(i) {
            Some(Value::Str(s)) => Ok(s),
            Some(other) => Err(self.wrong(i, "a string", other)),
            None => Err(self.missing(i)),
        }
    }

    /// A number argument, if given.
    pub fn number_opt(&self, i: usize) -> Result<Option<f64>, PyError> {
        match self.get(i) {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                Some(_) => Err(PyError::value(format!(
                    "{}: '{}' must be a finite number",
                    self.primitive, self.params[i].name
                ))),
                None => Err(self.wrong(i, "a number", v)),
            },
        }
    }

    /// A required number argument.
    pub fn number(&self, i: usize) -> Result<f64, PyError> {
        self.number_opt(i)?.ok_or_else(|| self.missing(i))
    }

    /// A list of numbers of one of the `lengths` given (e.g. [x, y] or [x, y, z]).
    pub fn numbers(&self, i: usize, lengths: &[usize]) -> Result<Vec<f64>, PyError> {
        let value = self.get(i).ok_or_else(|| self.missing(i))?;
        let wanted = match lengths {
            [2, 3] => "a list [x, y] or [x, y, z] of numbers",
            [3] => "a list [x, y, z] of numbers",
            [2] => "a list [x, y] of numbers",
            _ => "a list of numbers",
        };
        if let Some(numbers) = numbers_of(value, &[])
            && lengths == [2, 3]
            && !lengths.contains(&numbers.len())
        {
            return Err(self.not_a_position(i, numbers.len()));
        }
        numbers_of(value, lengths).ok_or_else(|| self.wrong(i, wanted, value))
    }

    /// A list of numbers of the wrong length where a position goes: most often
    /// `get_obj_pos(n) + [dx, dy]`, which Python concatenates into five numbers.
    fn not_a_position(&self, i: usize, len: usize) -> PyError {
        PyError::value(format!(
            "{}: '{}' has {len} number{}, but a position is [x, y] or [x, y, z]. \
             In Python, get_obj_pos(n) + [dx, dy] joins the two lists into 5 numbers \
             instead of adding them: use add(pos, [dx, dy]) to offset a position",
            self.primitive,
            self.params[i].name,
            if len == 1 { "" } else { "s" },
        ))
    }

    /// A list of points (each a list of 2 or 3 numbers).
    pub fn points(&self, i: usize) -> Result<Vec<Vec<f64>>, PyError> {
        let value = self.get(i).ok_or_else(|| self.missing(i))?;
        let wanted = "a list of points ([x, y] or [x, y, z] lists)";
        match value {
            Value::List(items) if items.is_empty() => Err(PyError::value(format!(
                "{}: '{}' is an empty list; it needs at least one point",
                self.primitive, self.params[i].name
            ))),
            Value::List(items) => items
                .iter()
                .map(|p| match numbers_of(p, &[]) {
                    Some(n) if ![2, 3].contains(&n.len()) => Err(self.not_a_position(i, n.len())),
                    Some(n) => Ok(n),
                    None => Err(self.wrong(i, wanted, value)),
                })
                .collect(),
            _ => Err(self.wrong(i, wanted, value)),
        }
    }
}

/// The numbers in a list (or tuple) value of one of the given lengths.
pub fn numbers_of(value: &Value, lengths: &[usize]) -> Option<Vec<f64>> {
    let Value::List(items) = value else {
        return None;
    };
    if !lengths.is_empty() && !lengths.contains(&items.len()) {
        return None;
    }
    items
        .iter()
        .map(|v| v.as_f64().filter(|x| x.is_finite()))
        .collect()
}

/// Every primitive, in reference order.
pub static PRIMITIVES: &[Primitive] = &[
    perception::GET_OBJ_NAMES,
    perception::GET_OBJ_POS,
    perception::GET_OBJ_BBOX,
    perception::GET_OBJ_YAW,
    perception::GET_OBJ_COLOR,
    perception::GET_OBJ_KIND,
    perception::IS_OBJ_VISIBLE,
    perception::DESCRIBE_VIEW,
    motion::GET_EE_POS,
    motion::MOVE_TO,
    motion::GO_HOME,
    motion::GRASP,
    motion::RELEASE,
    motion::IS_HOLDING,
    motion::PICK,
    motion::PLACE,
    motion::PUT_FIRST_ON_SECOND,
    motion::PUSH,
    motion::WAIT,
    workspace::TABLE_BOUNDS,
    workspace::GET_LOCATION,
    workspace::GET_CORNER_NAME,
    workspace::GET_SIDE_NAME,
    workspace::DENORMALIZE_XY,
    helpers::DIST,
    helpers::MIDPOINT,
    helpers::ADD,
    helpers::SUB,
    helpers::SCALE,
    helpers::MEAN,
    talk::SAY,
];

/// The primitive called `name`.
pub fn find(name: &str) -> Option<&'static Primitive> {
    PRIMITIVES.iter().find(|p| p.name == name)
}

/// Every primitive's name, in reference order.
pub fn names() -> Vec<&'static str> {
    PRIMITIVES.iter().map(|p| p.name).collect()
}

/// The primitives offered at `api`, in reference order.
pub fn offered(api: ApiLevel) -> impl Iterator<Item = &'static Primitive> {
    PRIMITIVES.iter().filter(move |p| api.offers(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_offers_the_building_blocks_and_high_everything() {
        assert_eq!(offered(ApiLevel::High).count(), PRIMITIVES.len());
        let missing: Vec<&str> = PRIMITIVES
            .iter()
            .filter(|p| !ApiLevel::Low.offers(p))
            .map(|p| p.name)
            .collect();
        assert_eq!(missing, ["pick", "place", "put_first_on_second", "push"]);
        for name in [
            "move_to",
            "grasp",
            "release",
            "go_home",
            "get_obj_pos",
            "dist",
            "say",
        ] {
            assert!(ApiLevel::Low.offers(find(name).unwrap()), "{name}");
        }
    }
}
