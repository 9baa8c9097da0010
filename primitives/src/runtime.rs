//! The sandboxed Python runtime: compiles a program with monty, runs it, and serves its
//! primitive calls from the registry while the interpreter is suspended.
//!
//! Budgets that monty cannot keep itself (time spent inside primitives does not count
//! toward its clock) are kept here: a wall clock and a count of primitive calls, checked
//! at every call. Imports are checked against an allow-list before anything runs, so a
//! program that needs numpy fails before the robot moves, not halfway.

use crate::call_line;
use crate::error::{ExcKind, PyError};
use crate::limits::Limits;
use crate::registry::{self, ApiLevel};
use crate::session::Session;
use crate::value::Value;
use monty::{MontyRun, RunProgress};
use monty_types::{
    CompileOptions, ExcType, MontyException, MontyObject, NameLookupResult, PrintWriter,
    PrintWriterCallback, ResourceLimits, ResourceTracker,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::time::{Duration, Instant};
use wand_sim::recording::What;

/// The file name tracebacks show for the program.
pub const PROGRAM_FILE: &str = "program.py";

/// Modules a program may import; everything else is refused before the run starts.
pub const ALLOWED_MODULES: [&str; 8] = [
    "math",
    "json",
    "re",
    "collections",
    "itertools",
    "functools",
    "dataclasses",
    "typing",
];

/// Builtins that the sandbox withholds, with what to do instead.
const WITHHELD: [(&str, &str); 12] = [
    ("eval", "write the code out instead"),
    ("exec", "write the code out instead"),
    ("compile", "write the code out instead"),
    ("__import__", "use a plain import of an allowed module"),
    (
        "input",
        "programs cannot ask for input; decide from what the primitives report",
    ),
    ("globals", "pass values as arguments instead"),
    ("locals", "pass values as arguments instead"),
    ("vars", "pass values as arguments instead"),
    ("dir", "see the API reference for what exists"),
    ("breakpoint", "use print to debug"),
    ("help", "see the API reference"),
    ("exit", "return from your function, or let the program end"),
];

/// Why a program did not finish: a Python exception, as a person or model reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramError {
    /// Python exception type ("ValueError").
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    /// The program line where it was raised (innermost frame), when known.
    pub line: Option<u32>,
    /// CPython-style traceback text.
    pub traceback: String,
}

impl ProgramError {
    /// An error raised by wand itself (not monty), at `line` if known.
    pub fn new(
        kind: &str,
        message: impl Into<String>,
        line: Option<u32>,
        source: &str,
    ) -> ProgramError {
        let message = message.into();
        let mut traceback = String::from("Traceback (most recent call last):\n");
        if let Some(line) = line {
            traceback.push_str(&format!(
                "  File \"{PROGRAM_FILE}\", line {line}, in <module>\n"
            ));
            if let Some(text) = source.lines().nth(line as usize - 1) {
                traceback.push_str(&format!("    {}\n", text.trim()));
            }
        }
        traceback.push_str(&format!("{kind}: {message}"));
        ProgramError {
            kind: kind.to_string(),
            message,
            line,
            traceback,
        }
    }

    fn from_monty(error: &MontyException, source: &str) -> ProgramError {
        let kind = error.exc_type().to_string();
        let raw = error.message().unwrap_or_default().to_string();
        let line = error.traceback().last().map(|frame| frame.start.line);
        let message = explain(&kind, &raw);
        if message == raw && !error.traceback().is_empty() {
            return ProgramError {
                kind,
                message,
                line,
                traceback: error.to_string(),
            };
        }
        // Rewrite the last line of monty's traceback with the explained message.
        match line {
            Some(_) if !error.traceback().is_empty() => {
                let text = error.to_string();
                let body = text.rsplit_once('\n').map_or("", |(head, _)| head);
                ProgramError {
                    traceback: format!("{body}\n{kind}: {message}"),
                    kind,
                    message,
                    line,
                }
            }
            _ => ProgramError::new(&kind, message, line, source),
        }
    }

    /// The error of a program that ran after `lines` lines of prelude: lines past the
    /// prelude become the program's own, lines within it the prelude's (in
    /// [`SKILLS_FILE`]); `line` is the program's innermost line (the call into a skill,
    /// for an error inside one).
    pub fn after_prelude(mut self, lines: u32) -> ProgramError {
        let program = format!("File \"{PROGRAM_FILE}\", line ");
        let mapped: Vec<String> = self
            .traceback
            .lines()
            .map(|text| {
                let Some(at) = text.find(&program) else {
                    return text.to_string();
                };
                let rest = &text[at + program.len()..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let Ok(n) = digits.parse::<u32>() else {
                    return text.to_string();
                };
                let tail = &rest[digits.len()..];
                let head = &text[..at];
                if n > lines {
                    format!("{head}{program}{}{tail}", n - lines)
                } else {
                    format!("{head}File \"{SKILLS_FILE}\", line {n}{tail}")
                }
            })
            .collect();
        let innermost = mapped.iter().rev().find_map(|text| {
            let rest = &text[text.find(&program)? + program.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        });
        self.traceback = mapped.join("\n");
        self.line = match self.line {
            Some(n) if n > lines => Some(n - lines),
            _ => innermost,
        };
        self
    }

    /// "ValueError: unknown object 'x' (line 3)".
    pub fn summary(&self) -> String {
        match self.line {
            Some(line) => format!("{}: {} (line {line})", self.kind, self.message),
            None => format!("{}: {}", self.kind, self.message),
        }
    }
}

/// Adds what to use instead to the interpreter's own messages for missing features.
fn explain(kind: &str, message: &str) -> String {
    let hint = match kind {
        "NotImplementedError" if message.contains("external function") => {
            "; primitives cannot be called from inside sort/sorted/min/max keys, map or filter: \
             compute the values first with a comprehension, e.g. \
             nearest = min([(dist(get_obj_pos(n), p), n) for n in names])[1]"
        }
        "NotImplementedError" if message.contains("class inheritance") => {
            "; the sandbox has no class inheritance (nor custom exception classes): use plain \
             classes, and raise ValueError or RuntimeError with a message"
        }
        "NotImplementedError" if message.contains("yield") => {
            "; the sandbox has no generators: build and return a list"
        }
        "NotImplementedError" if message.contains("match") => {
            "; the sandbox has no match statement: use if/elif"
        }
        "NotImplementedError" if message.contains("'del'") => {
            "; the sandbox has no del statement: reassign, or build a new list"
        }
        "TypeError" if message.starts_with("unsupported operand type(s) for %: 'str'") => {
            "; the sandbox has no '%' string formatting: use f-strings, e.g. f\"{x:.2f}\""
        }
        "AttributeError" if message.contains("module 'math' has no attribute") => {
            "; for distances use the helper dist(a, b)"
        }
        "AttributeError" if message.contains("module 'itertools' has no attribute 'product'") => {
            "; use nested for loops"
        }
        "TimeoutError" if message.starts_with("time limit exceeded") => {
            let limit = message.rsplit("> ").next().unwrap_or("its limit");
            return format!(
                "the program computed for longer than its limit of {limit} without finishing \
                 (an endless loop?)"
            );
        }
        "MemoryError" if message.starts_with("memory limit exceeded") => {
            let limit = message
                .rsplit("> ")
                .next()
                .and_then(|b| b.trim_end_matches(" bytes").parse::<u64>().ok())
                .map_or("its limit".to_string(), |b| format!("{} MB", b >> 20));
            return format!(
                "the program used more than its memory limit of {limit} (it built too much data)"
            );
        }
        _ => "",
    };
    format!("{message}{hint}")
}

/// Finds the first import of a module that is not allowed: (line, module).
pub fn forbidden_import(source: &str) -> Option<(u32, String)> {
    for (i, line) in source.lines().enumerate() {
        let code = line.split('#').next().unwrap_or("").trim_start();
        let modules: Vec<&str> = if let Some(rest) = code.strip_prefix("import ") {
            rest.split(',')
                .map(|m| m.split_whitespace().next().unwrap_or(""))
                .collect()
        } else if let Some(rest) = code.strip_prefix("from ") {
            vec![rest.split_whitespace().next().unwrap_or("")]
        } else {
            continue;
        };
        for module in modules {
            let top = module.split('.').next().unwrap_or("");
            if !top.is_empty() && !ALLOWED_MODULES.contains(&top) {
                return Some((i as u32 + 1, module.to_string()));
            }
        }
    }
    None
}

fn import_error(line: u32, module: &str, source: &str) -> ProgramError {
    let instead = match module.split('.').next().unwrap_or("") {
        "numpy" | "np" | "scipy" => {
            "use the helpers dist, midpoint, add, sub, scale, mean (points are lists)"
        }
        "random" => {
            "positions come from get_obj_pos; for a spread, use denormalize_xy with fixed fractions"
        }
        "time" => "use wait(seconds) to let simulated time pass",
        "os" | "sys" | "subprocess" | "pathlib" | "shutil" | "socket" => {
            "the sandbox has no file system, environment or network"
        }
        _ => "see the API reference for what programs can use",
    };
    ProgramError::new(
        "ModuleNotFoundError",
        format!(
            "the sandbox has no module '{module}' ({instead}); allowed imports: {}",
            ALLOWED_MODULES.join(", ")
        ),
        Some(line),
        source,
    )
}

/// Names that are close to `name` (a likely typo), from the primitives offered at `api`.
fn suggestions(name: &str, api: ApiLevel) -> Vec<&'static str> {
    registry::offered(api)
        .map(|p| p.name)
        .filter(|candidate| {
            edit_distance(candidate, name) <= 2
                || (name.len() >= 4 && candidate.contains(name))
                || (candidate.len() >= 6 && name.starts_with(candidate))
        })
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

fn unknown_name(name: &str, api: ApiLevel) -> PyError {
    if registry::find(name).is_some() {
        let blocks: Vec<&str> = registry::offered(ApiLevel::Low)
            .filter(|p| p.category == registry::Category::Motion)
            .map(|p| p.name)
            .collect();
        return PyError::new(
            ExcKind::NameError,
            format!(
                "{name}() is not offered at --api {}: compose it from the building blocks ({}, \
                 and perception such as get_obj_pos)",
                api.name(),
                blocks.join(", ")
            ),
        );
    }
    if let Some((_, instead)) = WITHHELD.iter().find(|(n, _)| *n == name) {
        return PyError::new(
            ExcKind::NameError,
            format!("name '{name}' is not available in the sandbox: {instead}"),
        );
    }
    let close = suggestions(name, api);
    let hint = if close.is_empty() {
        String::from("; see the API reference (`wand api`) for the primitives")
    } else {
        format!("; did you mean {}?", close.join(" or "))
    };
    PyError::new(
        ExcKind::NameError,
        format!("name '{name}' is not defined{hint}"),
    )
}

fn exc_type(kind: ExcKind) -> ExcType {
    match kind {
        ExcKind::ValueError => ExcType::ValueError,
        ExcKind::TypeError => ExcType::TypeError,
        ExcKind::RuntimeError => ExcType::RuntimeError,
        ExcKind::NameError => ExcType::NameError,
        ExcKind::ModuleNotFoundError => ExcType::ModuleNotFoundError,
        ExcKind::PermissionError => ExcType::PermissionError,
        ExcKind::TimeoutError => ExcType::TimeoutError,
        ExcKind::MemoryError => ExcType::MemoryError,
        ExcKind::RecursionError => ExcType::RecursionError,
        ExcKind::NotImplementedError => ExcType::NotImplementedError,
    }
}

fn to_exception(error: &PyError) -> MontyException {
    MontyException::new(exc_type(error.kind), Some(error.message.clone()))
}

/// A Python value as the primitives see it.
pub fn from_monty(object: &MontyObject) -> Value {
    match object {
        MontyObject::None => Value::None,
        MontyObject::Bool(b) => Value::Bool(*b),
        MontyObject::Int(i) => Value::Int(*i),
        MontyObject::BigInt(_) => Value::Float(f64::INFINITY),
        MontyObject::Float(f) => Value::Float(*f),
        MontyObject::String(s) => Value::Str(s.clone()),
        MontyObject::List(items) | MontyObject::Tuple(items) => {
            Value::List(items.iter().map(from_monty).collect())
        }
        other => Value::Other(other.type_name().to_string()),
    }
}

/// A primitive's result as a Python value.
pub fn to_monty(value: &Value) -> MontyObject {
    match value {
        Value::None | Value::Other(_) => MontyObject::None,
        Value::Bool(b) => MontyObject::Bool(*b),
        Value::Int(i) => MontyObject::Int(*i),
        Value::Float(f) => MontyObject::Float(*f),
        Value::Str(s) => MontyObject::String(s.clone()),
        Value::List(items) => MontyObject::List(items.iter().map(to_monty).collect()),
        Value::Dict(pairs) => MontyObject::dict(
            pairs
                .iter()
                .map(|(key, value)| (MontyObject::String(key.clone()), to_monty(value)))
                .collect::<Vec<_>>(),
        ),
    }
}

/// Sends the program's print output into the session (which caps it).
struct Printer<'a> {
    session: &'a mut Session,
}

impl PrintWriterCallback for Printer<'_> {
    fn stdout_write(&mut self, output: Cow<'_, str>) -> Result<(), MontyException> {
        self.session.print(&output);
        Ok(())
    }

    fn stdout_push(&mut self, end: char) -> Result<(), MontyException> {
        let mut buf = [0u8; 4];
        self.session.print(end.encode_utf8(&mut buf));
        Ok(())
    }
}

/// What a program run did, besides what it left in the session.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The uncaught error that ended the program, if any.
    pub error: Option<ProgramError>,
    /// Primitive calls served.
    pub primitive_calls: u64,
    /// Wall-clock time of the run.
    pub wall_time_s: f64,
}

/// The file name a traceback gives lines of the skills defined before a program.
pub const SKILLS_FILE: &str = "skills.py";

/// Runs `source` after `prelude` (the skills a program may call: definitions only), as
/// one program in one namespace, so a definition in `source` of a skill's name wins. An
/// error's line and traceback are the program's own: lines of the prelude are shown as
/// lines of [`SKILLS_FILE`].
pub fn run_after(session: &mut Session, prelude: &str, source: &str, limits: &Limits) -> RunReport {
    if prelude.trim().is_empty() {
        return run(session, source, limits);
    }
    let prelude = if prelude.ends_with('\n') {
        prelude.to_string()
    } else {
        format!("{prelude}\n")
    };
    let lines = prelude.lines().count() as u32;
    session.first_program_line = lines + 1;
    let mut report = run(session, &format!("{prelude}{source}"), limits);
    session.first_program_line = 1;
    report.error = report.error.map(|e| e.after_prelude(lines));
    report
}

/// Checks that `source` compiles and imports only allowed modules, without running it.
pub fn check(source: &str) -> Result<(), ProgramError> {
    if let Some((line, module)) = forbidden_import(source) {
        return Err(import_error(line, &module, source));
    }
    MontyRun::new(
        source.to_owned(),
        PROGRAM_FILE,
        vec![],
        CompileOptions::default(),
    )
    .map(|_| ())
    .map_err(|e| ProgramError::from_monty(&e, source))
}

/// Runs `source` against the session's world, within `limits`.
pub fn run(session: &mut Session, source: &str, limits: &Limits) -> RunReport {
    let started = Instant::now();
    let mut calls = 0u64;
    let error = execute(session, source, limits, started, &mut calls).err();
    RunReport {
        error,
        primitive_calls: calls,
        wall_time_s: started.elapsed().as_secs_f64(),
    }
}

fn execute(
    session: &mut Session,
    source: &str,
    limits: &Limits,
    started: Instant,
    calls: &mut u64,
) -> Result<(), ProgramError> {
    check(source)?;
    let runner = MontyRun::new(
        source.to_owned(),
        PROGRAM_FILE,
        vec![],
        CompileOptions::default(),
    )
    .map_err(|e| ProgramError::from_monty(&e, source))?;
    let monty_limits = ResourceLimits::default()
        .max_duration(Duration::from_secs_f64(limits.timeout_s))
        .max_memory((limits.memory_mb as usize) << 20)
        .max_recursion_depth(limits.recursion_depth);
    let wall_limit = Duration::from_secs_f64(limits.timeout_s);
    let fail = |e: MontyException| ProgramError::from_monty(&e, source);
    // The session is lent to the printer during interpreter steps and taken back to
    // serve primitive calls; `resume` needs the writer, the handler needs the session.
    macro_rules! step {
        ($call:expr) => {{
            let mut printer = Printer {
                session: &mut *session,
            };
            let writer = PrintWriter::Callback(&mut printer);
            $call(writer).map_err(fail)?
        }};
    }
    let mut progress = step!(|w| runner.start(vec![], ResourceTracker::new(monty_limits), w));
    loop {
        progress = match progress {
            RunProgress::Complete(_) => return Ok(()),
            RunProgress::NameLookup(lookup) => {
                let offered = registry::find(&lookup.name).is_some_and(|p| session.api.offers(p));
                let answer = if offered {
                    NameLookupResult::Value(MontyObject::Function {
                        name: lookup.name.clone(),
                        docstring: None,
                    })
                } else {
                    NameLookupResult::Undefined
                };
                step!(|w| lookup.resume(answer, w))
            }
            RunProgress::FunctionCall(call) => {
                *calls += 1;
                let budget = if started.elapsed() > wall_limit {
                    Some(format!(
                        "the program ran longer than its limit of {:.0} s (wall clock)",
                        limits.timeout_s
                    ))
                } else if *calls > limits.max_primitive_calls {
                    Some(format!(
                        "the program made more than {} primitive calls (an endless loop of motions?)",
                        limits.max_primitive_calls
                    ))
                } else {
                    None
                };
                if let Some(message) = budget {
                    let exception = MontyException::new(ExcType::TimeoutError, Some(message));
                    let result: Result<RunProgress, MontyException> =
                        step!(|w| Ok::<_, MontyException>(call.abort(exception, w)));
                    return Err(fail(result.expect_err("abort always ends the run")));
                }
                if session.recording()
                    && let Some(line) = call_line::of(&call, source, session.first_program_line)
                {
                    session.note(What::Line(line));
                }
                let answer = serve(session, &call.function_name, &call.args, &call.kwargs);
                match answer {
                    Ok(value) => step!(|w| call.resume(to_monty(&value), w)),
                    // Budget errors end the run: a program must not catch them and go on.
                    Err(e) if e.kind == ExcKind::TimeoutError => {
                        let exception = to_exception(&e);
                        let result: Result<RunProgress, MontyException> =
                            step!(|w| Ok::<_, MontyException>(call.abort(exception, w)));
                        return Err(fail(result.expect_err("abort always ends the run")));
                    }
                    Err(e) => step!(|w| call.resume(to_exception(&e), w)),
                }
            }
            RunProgress::OsCall(os) => {
                let name = os.function_call.name().to_string();
                let error = PyError::new(
                    ExcKind::PermissionError,
                    format!(
                        "'{name}' is not allowed: the sandbox has no file system, environment or \
                         network"
                    ),
                );
                step!(|w| os.resume(to_exception(&error), w))
            }
            RunProgress::ResolveFutures(futures) => {
                let exception = MontyException::new(
                    ExcType::RuntimeError,
                    Some("async code is not supported: call primitives directly".into()),
                );
                let result: Result<RunProgress, MontyException> =
                    step!(|w| Ok::<_, MontyException>(futures.abort(exception, w)));
                return Err(fail(result.expect_err("abort always ends the run")));
            }
        };
    }
}

/// Serves one call of a name the program did not define.
fn serve(
    session: &mut Session,
    name: &str,
    args: &[MontyObject],
    kwargs: &[(MontyObject, MontyObject)],
) -> Result<Value, PyError> {
    let primitive = registry::find(name)
        .filter(|p| session.api.offers(p))
        .ok_or_else(|| unknown_name(name, session.api))?;
    let positional = args.iter().map(from_monty).collect();
    let keywords = kwargs
        .iter()
        .map(|(k, v)| {
            let key = match k {
                MontyObject::String(s) => s.clone(),
                other => format!("{other:?}"),
            };
            (key, from_monty(v))
        })
        .collect();
    let bound = primitive.bind(positional, keywords)?;
    tracing::debug!(primitive = name, "call");
    (primitive.handler)(session, &bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_are_checked_against_the_allow_list() {
        assert_eq!(
            forbidden_import("import math\nimport numpy as np\n"),
            Some((2, "numpy".into()))
        );
        assert_eq!(
            forbidden_import("from os import path"),
            Some((1, "os".into()))
        );
        assert_eq!(
            forbidden_import("import json, random"),
            Some((1, "random".into()))
        );
        assert_eq!(
            forbidden_import("import math  # numpy is not needed\nx = 'import os'"),
            None
        );
        assert_eq!(forbidden_import("from collections import deque"), None);
    }

    /// A world of the demo scene to run programs in.
    fn session() -> Session {
        let scene = wand_sim::Scene::load("demo").unwrap();
        let world = scene.build(0).unwrap();
        Session::new(world, scene, 60.0)
    }

    #[test]
    fn errors_after_a_prelude_keep_the_programs_own_lines() {
        let prelude = "def helper(x):\n    \"\"\"Doubles.\"\"\"\n    return 2 * x\n\ndef bad():\n    return get_obj_pos('nothing')\n";
        let limits = Limits::default();
        let report = run_after(
            &mut session(),
            prelude,
            "y = helper(2)\nx = 1 / 0\n",
            &limits,
        );
        let error = report.error.unwrap();
        assert_eq!(
            (error.kind.as_str(), error.line),
            ("ZeroDivisionError", Some(2))
        );
        assert!(
            error.traceback.contains("\"program.py\", line 2"),
            "{}",
            error.traceback
        );

        // Raised inside the prelude: shown as skills.py, called from the program's line.
        let report = run_after(&mut session(), prelude, "z = 3\nbad()\n", &limits);
        let error = report.error.unwrap();
        assert!(
            error.traceback.contains("\"program.py\", line 2"),
            "{}",
            error.traceback
        );
        assert!(
            error.traceback.contains("\"skills.py\", line 6"),
            "{}",
            error.traceback
        );
        assert_eq!(error.line, Some(2));

        // A program's own definition of a skill's name wins.
        let mut own = session();
        let report = run_after(
            &mut own,
            prelude,
            "def helper(x):\n    return x\nprint(helper(5))\n",
            &limits,
        );
        assert!(report.error.is_none());
        assert_eq!(own.output(), "5\n");
    }

    #[test]
    fn unknown_names_suggest_close_primitives() {
        let e = unknown_name("get_obj_position", ApiLevel::High);
        assert!(
            e.message.contains("did you mean get_obj_pos"),
            "{}",
            e.message
        );
        let e = unknown_name("eval", ApiLevel::High);
        assert!(
            e.message.contains("not available in the sandbox"),
            "{}",
            e.message
        );
    }
}
