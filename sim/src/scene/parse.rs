//! TOML to typed structs, with errors that name the file, line, column and field.
//!
//! toml knows where in the text an error is (a byte span) and serde_path_to_error knows
//! which field (objects[1].pos_m); the message joins the two so a person or a language
//! model can go straight to the mistake.

use crate::error::SimError;
use serde::de::DeserializeOwned;

/// Deserializes `text`, read from `source`, into `T`; an error names the file, line,
/// column and field.
pub fn from_toml<T: DeserializeOwned>(text: &str, source: &str) -> Result<T, SimError> {
    let error_at = |error: &toml::de::Error, path: Option<String>| {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        SimError::SceneParse {
            file: source.to_string(),
            line,
            column,
            message: describe(error.message(), path),
        }
    };
    let deserializer = toml::Deserializer::parse(text).map_err(|e| error_at(&e, None))?;
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        error_at(error.inner(), Some(path))
    })
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// "unknown field `colour`, expected one of `kind`, `color`" at objects[1].colour becomes
/// "unknown field `colour` in objects[1]; expected one of kind, color".
fn describe(message: &str, path: Option<String>) -> String {
    // toml's syntax errors can span lines; keep the message on one.
    let message = message.trim().replace('\n', "; ");
    let Some(mut path) = path.filter(|p| p != ".") else {
        return message;
    };
    // For an unknown field the path ends at the field itself; say where it was found.
    if let Some(field) = backticked_after(&message, "unknown field ")
        && let Some(parent) = path.strip_suffix(&field)
    {
        path = parent.trim_end_matches('.').to_string();
    }
    let location = if path.is_empty() || path == "." {
        "the top level".to_string()
    } else {
        path
    };
    match message.split_once(", expected ") {
        Some((what, expected)) => {
            let expected = match expected {
                "f32" | "f64" => "a number",
                "u32" | "u64" => "a whole number, 0 or more",
                other => other,
            };
            format!(
                "{what} in {location}; expected {}",
                expected.replace('`', "")
            )
        }
        None if message.starts_with("missing field") => format!("{message} in {location}"),
        // Our own checks (count ranges, positions) say what is wrong; lead with where.
        None => format!("{location}: {message}"),
    }
}

/// The text between the backticks that follow `prefix` at the start of `message`.
fn backticked_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(word, _)| word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbc = 2\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 8), (2, 3));
    }

    #[test]
    fn unknown_field_names_the_table_it_was_found_in() {
        let message = "unknown field `colour`, expected one of `kind`, `color`";
        assert_eq!(
            describe(message, Some("objects[1].colour".into())),
            "unknown field `colour` in objects[1]; expected one of kind, color"
        );
        assert_eq!(
            describe(message, Some("colour".into())),
            "unknown field `colour` in the top level; expected one of kind, color"
        );
    }
}
