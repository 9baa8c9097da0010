//! Which skills an instruction is offered: BM25 (k1 = 1.2, b = 0.75) of the instruction's
//! words against each skill's name, docstring and family — lexical, offline, and enough
//! to tell "stack the blocks" from "put the block in the bowl".

use super::Skill;
use std::collections::BTreeMap;

/// How many skills a prompt offers at most.
pub const TOP_K: usize = 5;

/// Lower-case words of two letters or more; `_` splits words too ("block_in_bowl").
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 2)
        .map(|w| {
            let w = w.to_lowercase();
            // A light stem, so "blocks" meets "block".
            match w.strip_suffix('s') {
                Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem.to_string(),
                _ => w,
            }
        })
        .collect()
}

/// Words too common in instructions and docstrings to tell skills apart.
const STOP: &[&str] = &[
    "the", "and", "to", "of", "in", "on", "it", "its", "is", "a", "an", "all", "each", "with",
    "from", "for", "by", "at", "as", "or", "that", "this", "them", "their", "then",
];

/// What a skill is matched on.
fn document(skill: &Skill) -> Vec<String> {
    let mut text = skill.name().replace('_', " ");
    text.push(' ');
    text.push_str(&skill.doc);
    if let Some(family) = &skill.entry.family {
        text.push(' ');
        text.push_str(&family.replace('_', " "));
    }
    words(&text)
}

/// The skills worth offering for `instruction`, best first: at most `k`, each sharing
/// at least one telling word with it, ties in the library's order. Skills that failed
/// their last verification are never offered.
pub fn rank<'a>(skills: &'a [Skill], instruction: &str, k: usize) -> Vec<&'a Skill> {
    let usable: Vec<&Skill> = skills.iter().filter(|s| s.is_verified()).collect();
    let docs: Vec<Vec<String>> = usable.iter().map(|s| document(s)).collect();
    let n = docs.len() as f64;
    if docs.is_empty() {
        return Vec::new();
    }
    let mean_len = docs.iter().map(Vec::len).sum::<usize>() as f64 / n;
    let mut containing: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in &docs {
        let mut seen: Vec<&str> = doc.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for w in seen {
            *containing.entry(w).or_insert(0) += 1;
        }
    }
    let mut query = words(instruction);
    query.retain(|w| !STOP.contains(&w.as_str()));
    query.sort();
    query.dedup();
    let (k1, b) = (1.2, 0.75);
    let mut scored: Vec<(f64, usize)> = docs
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let len = doc.len() as f64;
            let score: f64 = query
                .iter()
                .map(|q| {
                    let tf = doc.iter().filter(|w| *w == q).count() as f64;
                    let df = containing.get(q.as_str()).copied().unwrap_or(0) as f64;
                    let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
                    idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len / mean_len))
                })
                .sum();
            (score, i)
        })
        .filter(|(score, _)| *score > 0.0)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(k).map(|(_, i)| usable[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skills::Library;

    #[test]
    fn an_instruction_is_offered_the_skills_it_is_about() {
        let library = Library::standard();
        let names = |instruction: &str| -> Vec<String> {
            rank(&library.skills, instruction, 2)
                .iter()
                .map(|s| s.name().to_string())
                .collect()
        };
        assert_eq!(names("stack the blocks in order")[0], "stack");
        assert_eq!(
            names("which block is closest to the red bowl?")[0],
            "closest_to"
        );
        assert!(names("xyzzy").is_empty());
    }

    #[test]
    fn a_broken_skill_is_never_offered() {
        let mut library = Library::standard();
        for skill in &mut library.skills {
            if skill.name() == "stack" {
                skill.entry.status = "broken: the tower fell".into();
            }
        }
        let offered = rank(&library.skills, "stack the blocks", TOP_K);
        assert!(offered.iter().all(|s| s.name() != "stack"));
    }
}
