//! How parameters read: the values a parameter can take in a scene, how a template's
//! slot reads the words of an instruction, and how a value reads back in one.

use super::family::Family;
use super::format::{ChoiceValue, ParamSpec, ParamType, Unit};
use super::matcher::normalize;
use super::{ParamValue, TaskSpec};
use crate::workspace::LOCATIONS;
use std::collections::BTreeMap;

/// Directions as (word, value): left is +y, top is +x (far from the robot), as
/// `push` reads them.
const DIRECTIONS: [(&str, &str); 16] = [
    ("left", "left"),
    ("right", "right"),
    ("top", "top"),
    ("up", "top"),
    ("forward", "top"),
    ("away", "top"),
    ("far", "top"),
    ("above", "top"),
    ("behind", "top"),
    ("bottom", "bottom"),
    ("down", "bottom"),
    ("backward", "bottom"),
    ("back", "bottom"),
    ("toward", "bottom"),
    ("towards", "bottom"),
    ("below", "bottom"),
];

/// The ordinals that read as words, 1 → "first".
const ORDINAL_WORDS: [&str; 6] = ["first", "second", "third", "fourth", "fifth", "sixth"];

impl Family {
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
    pub(super) fn read_slot(
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
    pub(super) fn match_words(
        &self,
        words: &[String],
        names: &[String],
    ) -> Option<(TaskSpec, usize)> {
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
pub(super) fn ordinal(word: &str) -> Option<i64> {
    let digits = word.trim_end_matches(|c: char| c.is_alphabetic());
    let n: i64 = digits.parse().ok()?;
    (1..=6).contains(&n).then_some(n)
}

/// How a value reads in an instruction: "10 cm", "second", "red block".
pub(super) fn display(value: &ParamValue, spec: &ParamSpec) -> String {
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

pub(super) fn describe_type(spec: &ParamSpec) -> String {
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
