//! Taking a program out of a model's reply, and finding the functions it calls but
//! neither defines nor can call (for hierarchical generation).

use std::collections::BTreeSet;

/// The program in a reply: the first fenced ```python block (or the first fenced block
/// of any language), else the whole reply when it reads as bare code. `None` when the
/// reply holds no code.
pub fn extract_code(reply: &str) -> Option<String> {
    let mut blocks = Vec::new();
    let mut rest = reply;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let (lang, body) = after.split_once('\n').unwrap_or(("", ""));
        let Some(end) = body.find("```") else {
            // An unclosed fence: take the rest (models stop mid-block at max_tokens).
            blocks.push((lang.trim().to_lowercase(), body.to_string()));
            break;
        };
        blocks.push((lang.trim().to_lowercase(), body[..end].to_string()));
        rest = &body[end + 3..];
    }
    let pick = blocks
        .iter()
        .find(|(lang, _)| lang == "python" || lang == "py")
        .or_else(|| blocks.iter().find(|(lang, _)| lang.is_empty()))
        .or(blocks.first());
    if let Some((_, code)) = pick {
        let code = code.trim_end().to_string();
        return (!code.trim().is_empty()).then_some(code);
    }
    looks_like_code(reply).then(|| reply.trim().to_string())
}

/// Whether unfenced text reads as Python rather than prose.
fn looks_like_code(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return false;
    }
    let code_like = lines
        .iter()
        .filter(|l| {
            l.starts_with('#')
                || l.starts_with("def ")
                || l.starts_with("for ")
                || l.starts_with("if ")
                || l.starts_with("import ")
                || l.ends_with(':')
                || l.ends_with(')')
                || l.contains(" = ")
        })
        .count();
    code_like * 2 > lines.len()
}

/// Python builtins and keywords that look like calls.
const BUILTINS: &[&str] = &[
    "print",
    "len",
    "range",
    "enumerate",
    "zip",
    "sorted",
    "min",
    "max",
    "sum",
    "abs",
    "round",
    "int",
    "float",
    "str",
    "list",
    "dict",
    "set",
    "tuple",
    "bool",
    "isinstance",
    "any",
    "all",
    "map",
    "filter",
    "reversed",
    "divmod",
    "pow",
    "type",
    "repr",
    "hasattr",
    "getattr",
    "setattr",
    "iter",
    "next",
    "chr",
    "ord",
    "format",
    "hash",
    "id",
    "callable",
    "object",
    "frozenset",
    "slice",
    "super",
    "issubclass",
    "bin",
    "hex",
    "oct",
    "ValueError",
    "RuntimeError",
    "TypeError",
    "KeyError",
    "IndexError",
    "Exception",
    "ZeroDivisionError",
    "AssertionError",
    "NotImplementedError",
    "StopIteration",
    "AttributeError",
    "NameError",
    "if",
    "elif",
    "while",
    "for",
    "in",
    "not",
    "and",
    "or",
    "return",
    "assert",
    "lambda",
    "yield",
    "with",
    "except",
    "print",
    "del",
    "global",
    "nonlocal",
    "raise",
    "import",
    "from",
    "is",
    "else",
    "dataclass",
    "field",
    "property",
    "staticmethod",
    "classmethod",
];

/// Functions `source` calls that it does not define, that are not Python builtins and not
/// in `known` (the primitives): each with the first line that calls it, for context.
pub fn undefined_calls(source: &str, known: &[&str]) -> Vec<(String, String)> {
    let mut defined: BTreeSet<String> = BTreeSet::new();
    for line in source.lines() {
        let t = line.trim_start();
        for prefix in ["def ", "class "] {
            if let Some(rest) = t.strip_prefix(prefix) {
                defined.insert(identifier_at(rest).to_string());
            }
        }
        if let Some(rest) = t.strip_prefix("from ")
            && let Some((_, names)) = rest.split_once(" import ")
        {
            for name in names.split(',') {
                let name = name.split(" as ").last().unwrap_or("").trim();
                defined.insert(name.trim_matches(|c| c == '(' || c == ')').to_string());
            }
        }
        // Assigned names (a lambda, a function passed around) are defined too.
        if let Some((lhs, _)) = t.split_once('=')
            && !lhs.contains(['(', '[', '!', '<', '>', '='])
        {
            for name in lhs.split(',') {
                defined.insert(name.trim().to_string());
            }
        }
        // Parameters of functions may be called (callbacks).
        if let Some(rest) = t.strip_prefix("def ")
            && let Some((_, params)) = rest.split_once('(')
        {
            for p in params
                .trim_end_matches(':')
                .trim_end_matches(')')
                .split(',')
            {
                let p = p
                    .split(['=', ':'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches('*');
                defined.insert(p.to_string());
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for line in source.lines() {
        let code = strip_strings_and_comments(line);
        let bytes: Vec<char> = code.chars().collect();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_alphabetic() || bytes[i] == '_' {
                let start = i;
                while i < bytes.len() && (bytes[i].is_alphanumeric() || bytes[i] == '_') {
                    i += 1;
                }
                let name: String = bytes[start..i].iter().collect();
                let after_dot = start > 0 && bytes[start - 1] == '.';
                let mut j = i;
                while j < bytes.len() && bytes[j] == ' ' {
                    j += 1;
                }
                let called = j < bytes.len() && bytes[j] == '(';
                let is_def = code.trim_start().starts_with("def ")
                    || code.trim_start().starts_with("class ");
                if called
                    && !after_dot
                    && !is_def
                    && !defined.contains(&name)
                    && !BUILTINS.contains(&name.as_str())
                    && !known.contains(&name.as_str())
                    && seen.insert(name.clone())
                {
                    found.push((name, line.trim().to_string()));
                }
            } else {
                i += 1;
            }
        }
    }
    found
}

fn identifier_at(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The line with string literals blanked and any comment removed.
fn strip_strings_and_comments(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
                out.push(' ');
            }
            None if c == '#' => break,
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                out.push(' ');
            }
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_python_blocks_win() {
        let reply = "Here you go:\n```python\npick('red block')\n```\nand also\n```\nx = 1\n```";
        assert_eq!(extract_code(reply).as_deref(), Some("pick('red block')"));
        let bare = "```\nfor n in get_obj_names():\n    print(n)\n```";
        assert_eq!(
            extract_code(bare).as_deref(),
            Some("for n in get_obj_names():\n    print(n)")
        );
    }

    #[test]
    fn bare_code_is_taken_whole_and_prose_is_not_code() {
        let code = "names = get_obj_names()\nfor n in names:\n    pick(n)\n";
        assert_eq!(extract_code(code).as_deref(), Some(code.trim()));
        assert_eq!(
            extract_code("I cannot help with that request, sorry."),
            None
        );
        assert_eq!(extract_code("```python\n\n```"), None);
    }

    #[test]
    fn undefined_calls_skip_builtins_primitives_definitions_and_methods() {
        let source = "\
import math
def helper(f):
    return f(1)
stack = lambda xs: xs
blocks = sorted(get_obj_names())
put_in_line(blocks, 'left')  # builds a line
x = math.sqrt(2)
helper(print)
print('not_a_call(1)')
arrange_circle(blocks)
arrange_circle(blocks)
";
        let found = undefined_calls(source, &["get_obj_names"]);
        let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["put_in_line", "arrange_circle"]);
        assert_eq!(found[0].1, "put_in_line(blocks, 'left')  # builds a line");
    }
}
