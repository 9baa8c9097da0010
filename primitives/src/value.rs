//! [`Value`]: the Python values that cross between a program and the primitives.
//!
//! Handlers see these, never the interpreter's own types, so the interpreter (a young
//! crate) can change without touching a primitive.

use serde::Serialize;
use std::fmt;

/// A Python value as the primitives see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    /// A dict with string keys, in insertion order (only primitives return one).
    Dict(Vec<(String, Value)>),
    /// Any other Python value (a dict, a set, a function…), by its type name: no
    /// primitive takes one, so it only ever appears in a TypeError.
    Other(String),
}

impl Value {
    /// The Python type name ("list", "str", …) for error messages.
    pub fn type_name(&self) -> &str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Dict(_) => "dict",
            Value::Other(name) => name,
        }
    }

    /// The number this value holds (bools are not numbers here).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// A list of floats, e.g. a position.
    pub fn floats(values: &[f64]) -> Value {
        Value::List(values.iter().map(|v| Value::Float(*v)).collect())
    }

    /// A position from f32 coordinates, rounded to 0.1 mm so printed values stay short.
    pub fn position(p: [f32; 3]) -> Value {
        Value::List(p.iter().map(|v| Value::Float(round_m(*v))).collect())
    }
}

/// Rounds a length in meters to 0.1 mm (what a program is shown; physics keeps all bits).
pub fn round_m(v: f32) -> f64 {
    (v as f64 * 1e4).round() / 1e4
}

impl fmt::Display for Value {
    /// Python's repr.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => write!(f, "None"),
            Value::Bool(true) => write!(f, "True"),
            Value::Bool(false) => write!(f, "False"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) if x.fract() == 0.0 && x.is_finite() => write!(f, "{x:.1}"),
            Value::Float(x) => write!(f, "{x}"),
            Value::Str(s) => write!(f, "'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{item}")?;
                }
                write!(f, "]")
            }
            Value::Dict(pairs) => {
                write!(f, "{{")?;
                for (i, (key, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{}: {value}", Value::Str(key.clone()))?;
                }
                write!(f, "}}")
            }
            Value::Other(name) => write!(f, "<{name}>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_python_repr() {
        let v = Value::List(vec![
            Value::Float(0.5),
            Value::Float(2.0),
            Value::Str("red block".into()),
            Value::None,
            Value::Bool(true),
        ]);
        assert_eq!(v.to_string(), "[0.5, 2.0, 'red block', None, True]");
    }
}
