//! The API reference, generated from the registry: `wand api` prints [`text`],
//! `wand api --markdown` writes [`markdown`] (docs/API.md), and the language model's
//! prompt includes [`text`]. Nothing here is written by hand but the sandbox notes.

use crate::limits::Limits;
use crate::registry::{ApiLevel, Category, Level, PRIMITIVES, Primitive};
use crate::runtime::ALLOWED_MODULES;

/// What Python the sandbox runs and what it lacks, with what to use instead. Programs
/// that reach for the missing parts get errors that say the same.
pub const SANDBOX_NOTES: &str = "\
Programs are Python 3 run in a sandbox (the monty interpreter): no files, network,
environment or subprocesses. It runs: functions, lambdas, closures, default and keyword
arguments, *args/**kwargs, comprehensions and generator expressions, f-strings,
try/except/finally, with, plain classes and @dataclass. print() output is captured (up
to 1 MB).
It lacks, so use instead:
- numpy            -> the helpers dist, midpoint, add, sub, scale, mean (points are lists)
- '%' formatting   -> f-strings: f\"{x:.2f}\"
- class inheritance, custom exceptions -> plain classes; raise ValueError(\"...\")
- yield/generators -> build and return a list
- match, del       -> if/elif chains; reassign instead of del
- math.hypot       -> dist(a, b)
- itertools.product -> nested for loops
- a primitive inside a sort/min/max key, map or filter -> compute first with a comprehension:
                      nearest = min([(dist(get_obj_pos(n), p), n) for n in names])[1]
- modules random, time, os, sys, subprocess -> not needed: positions come from get_obj_pos
- eval, exec, open, input, globals, dir, __import__ -> not available";

/// The imports a program may use, from the runtime's allow-list (the one list).
fn imports_line() -> String {
    format!(
        "Imports allowed: {} (any other import is refused before the program runs).",
        ALLOWED_MODULES.join(", ")
    )
}

fn limits_line(limits: &Limits) -> String {
    format!(
        "Limits per run: {:.0} s of wall-clock time, {:.0} s of simulated time, {} MB of memory, \
         a call stack {} deep, {} primitive calls.",
        limits.timeout_s,
        limits.sim_time_s,
        limits.memory_mb,
        limits.recursion_depth,
        limits.max_primitive_calls
    )
}

const CONVENTIONS: &str = "\
Positions are lists [x, y, z] in meters in the world frame: x points away from the robot
(\"top\"/\"far\"), y to the robot's left, z up; the table top is z = 0 and the robot's base
is at the origin. Where a primitive takes a position, [x, y] also works: the height is
found (the top of whatever is there, or the table). Object names are strings as listed by
get_obj_names(), e.g. \"red block\", \"green bowl\". Motion primitives block until the
motion ends and return None unless stated. Errors are Python exceptions: ValueError for
bad arguments (an unknown name lists the known ones), RuntimeError when the robot cannot
do it (out of reach, a failed grasp, a safety stop), TimeoutError when a budget runs out.";

fn in_category(category: Category, api: ApiLevel) -> impl Iterator<Item = &'static Primitive> {
    PRIMITIVES
        .iter()
        .filter(move |p| p.category == category && api.offers(p))
}

/// The reference as plain text at `--api high` (what `wand api` prints and the prompt
/// includes by default).
pub fn text() -> String {
    text_for(ApiLevel::High)
}

/// The reference as plain text for the primitives offered at `api`.
pub fn text_for(api: ApiLevel) -> String {
    let mut out = String::new();
    out.push_str(CONVENTIONS);
    out.push_str("\n\n");
    if api == ApiLevel::Low {
        out.push_str(
            "Only the building blocks are offered (--api low): there is no pick, place, \
             put_first_on_second or push; compose them from move_to, grasp and release.\n\n",
        );
    }
    for category in Category::ALL {
        out.push_str(&format!("## {}\n", category.title()));
        for p in in_category(category, api) {
            out.push_str(&format!("{} -> {}\n", p.signature(), p.returns));
            for line in wrap(p.doc, 86) {
                out.push_str(&format!("    {line}\n"));
            }
            for line in p.example.lines() {
                out.push_str(&format!("    >>> {line}\n"));
            }
        }
        out.push('\n');
    }
    out.push_str("## The sandbox\n");
    out.push_str(SANDBOX_NOTES);
    out.push('\n');
    out.push_str(&imports_line());
    out.push('\n');
    out.push_str(&limits_line(&Limits::default()));
    out.push('\n');
    out
}

/// The reference as Markdown: docs/API.md.
pub fn markdown() -> String {
    let mut out = String::from(
        "# wand primitive API\n\n\
         <!-- Generated from primitives/src/registry.rs by `wand api --markdown`; do not edit. -->\n\n",
    );
    out.push_str(&CONVENTIONS.replace('\n', " "));
    out.push_str("\n\n");
    out.push_str(
        "Primitives marked *skill* are composed ones, offered at `--api high` (the default) \
         only; at `--api low` a program gets the building blocks and composes picks itself.\n\n",
    );
    for category in Category::ALL {
        out.push_str(&format!("## {}\n\n", category.title()));
        for p in in_category(category, ApiLevel::High) {
            let skill = if p.level == Level::High {
                " · *skill*"
            } else {
                ""
            };
            out.push_str(&format!(
                "### `{}` → {}{skill}\n\n",
                p.signature(),
                p.returns
            ));
            out.push_str(&p.doc.split_whitespace().collect::<Vec<_>>().join(" "));
            out.push_str("\n\n```python\n");
            out.push_str(p.example);
            out.push_str("\n```\n\n");
        }
    }
    out.push_str("## The sandbox\n\n```text\n");
    out.push_str(SANDBOX_NOTES);
    out.push_str("\n```\n\n");
    out.push_str(&imports_line());
    out.push_str("\n\n");
    out.push_str(&limits_line(&Limits::default()));
    out.push_str(" `wand script` flags change them (`--timeout-s`, `--sim-time-s`, `--memory-mb`, `--recursion-depth`).\n");
    out
}

/// Splits text into lines of at most `width` characters, on spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_primitive_appears_in_both_forms() {
        let (text, md) = (text(), markdown());
        for p in PRIMITIVES {
            assert!(
                text.contains(&p.signature()),
                "{} missing from text",
                p.name
            );
            assert!(
                md.contains(&format!("`{}`", p.signature())),
                "{} missing from markdown",
                p.name
            );
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = PRIMITIVES.iter().map(|p| p.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), PRIMITIVES.len());
    }
}
