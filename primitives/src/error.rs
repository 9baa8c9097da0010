//! [`PyError`]: a Python exception raised by a primitive, with a message a language
//! model can act on.

use std::fmt;
use wand_sim::{MotionError, SimError};

/// The Python exception types primitives raise (all built in: the sandbox has no
/// user-defined exception classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ExcKind {
    ValueError,
    TypeError,
    RuntimeError,
    NameError,
    ModuleNotFoundError,
    PermissionError,
    TimeoutError,
    MemoryError,
    RecursionError,
    NotImplementedError,
}

impl ExcKind {
    /// The Python name of the type.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::ValueError => "ValueError",
            ExcKind::TypeError => "TypeError",
            ExcKind::RuntimeError => "RuntimeError",
            ExcKind::NameError => "NameError",
            ExcKind::ModuleNotFoundError => "ModuleNotFoundError",
            ExcKind::PermissionError => "PermissionError",
            ExcKind::TimeoutError => "TimeoutError",
            ExcKind::MemoryError => "MemoryError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::NotImplementedError => "NotImplementedError",
        }
    }
}

/// A Python exception from a primitive.
#[derive(Debug, Clone, PartialEq)]
pub struct PyError {
    pub kind: ExcKind,
    pub message: String,
}

impl PyError {
    pub fn new(kind: ExcKind, message: impl Into<String>) -> PyError {
        PyError {
            kind,
            message: message.into(),
        }
    }

    pub fn value(message: impl Into<String>) -> PyError {
        PyError::new(ExcKind::ValueError, message)
    }

    pub fn type_error(message: impl Into<String>) -> PyError {
        PyError::new(ExcKind::TypeError, message)
    }

    pub fn runtime(message: impl Into<String>) -> PyError {
        PyError::new(ExcKind::RuntimeError, message)
    }
}

impl fmt::Display for PyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl From<SimError> for PyError {
    /// Bad arguments (unknown names, impossible queries) are ValueErrors; what goes
    /// wrong in the world (a motion stopped, a grasp failed) is a RuntimeError.
    fn from(error: SimError) -> PyError {
        let kind = match &error {
            SimError::UnknownObject { .. } | SimError::InvalidQuery(_) => ExcKind::ValueError,
            SimError::Motion(MotionError::SimTimeLimit { .. }) => ExcKind::TimeoutError,
            _ => ExcKind::RuntimeError,
        };
        PyError::new(kind, error.to_string())
    }
}

impl From<MotionError> for PyError {
    fn from(error: MotionError) -> PyError {
        PyError::from(SimError::Motion(error))
    }
}
