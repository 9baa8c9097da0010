//! The grid of an experiment: which episodes a suite, seeds, models and feedback kinds
//! make. An episode is one cell of it; each axis is a field, so a new axis (primitive
//! level, samples) is a new field and a new loop, not a new design.

use crate::run::FeedbackKind;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use wand_primitives::ApiLevel;
use wand_primitives::task::{Split, TaskSet};

/// Which families and templates an experiment covers (`--suite`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suite {
    /// A handful of episodes, for CI: the first seen and held-out template of the first
    /// [`SMOKE_FAMILIES`] families, on the first seed.
    Smoke,
    /// Every family's seen templates.
    Seen,
    /// Every family's held-out templates.
    Heldout,
    /// Every template, seen and held-out.
    All,
    /// One family's templates, seen and held-out.
    Family(String),
}

/// How many families the smoke suite takes.
pub const SMOKE_FAMILIES: usize = 3;

impl Suite {
    /// `smoke`, `seen`, `heldout`, `all`, or a family's name (checked against `tasks`).
    pub fn parse(text: &str, tasks: &TaskSet) -> Result<Suite, String> {
        Ok(match text {
            "smoke" => Suite::Smoke,
            "seen" => Suite::Seen,
            "heldout" => Suite::Heldout,
            "all" => Suite::All,
            name if tasks.get(name).is_ok() => Suite::Family(name.to_string()),
            other => {
                return Err(format!(
                    "unknown suite '{other}'; use smoke, seen, heldout, all, or a family: {}",
                    tasks.names().join(", ")
                ));
            }
        })
    }
}

/// One episode of the grid: a family's template (rendered for the task the family draws
/// from the seed), a model, and what feedback it gets. Its [`key`](Episode::key) names it
/// in `episodes.jsonl`, so a resumed run knows what is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub family: String,
    pub split: Split,
    /// Index into the family's templates of `split`.
    pub template: usize,
    pub seed: u64,
    /// The model spec (`builtin`, `openai:gpt-4o-mini`, …).
    pub llm: String,
    pub feedback: FeedbackKind,
    /// The primitives the program is offered (`--api`).
    #[serde(default)]
    pub api: ApiLevel,
    /// Programs drawn per attempt (`--samples`); 1 in records written before it existed.
    #[serde(default = "one_sample")]
    pub samples: u32,
}

fn one_sample() -> u32 {
    1
}

impl Episode {
    /// "block_in_bowl/seen/0/seed 3/builtin/full/high": unique within a grid.
    pub fn key(&self) -> String {
        format!(
            "{}/{}/{}/seed {}/{}/{}/{}",
            self.family,
            split_name(self.split),
            self.template,
            self.seed,
            self.llm,
            self.feedback.as_str(),
            self.api.name()
        )
    }
}

/// "seen" or "heldout".
pub fn split_name(split: Split) -> &'static str {
    match split {
        Split::Seen => "seen",
        Split::Heldout => "heldout",
    }
}

/// The episodes of `suite` over `seeds` × `llms` × `feedbacks` × `apis`, in a fixed order
/// (family, split, template, seed, model, feedback, api level), so the same arguments
/// give the same list.
pub fn episodes(
    tasks: &TaskSet,
    suite: &Suite,
    seeds: Range<u64>,
    llms: &[String],
    feedbacks: &[FeedbackKind],
    apis: &[ApiLevel],
) -> Vec<Episode> {
    let mut out = Vec::new();
    let families = tasks.families();
    for (index, family) in families.iter().enumerate() {
        let (splits, first_only, seeds): (&[Split], bool, Range<u64>) = match suite {
            Suite::Smoke if index < SMOKE_FAMILIES => (
                &[Split::Seen, Split::Heldout],
                true,
                seeds.start..seeds.start + 1,
            ),
            Suite::Smoke => continue,
            Suite::Seen => (&[Split::Seen], false, seeds.clone()),
            Suite::Heldout => (&[Split::Heldout], false, seeds.clone()),
            Suite::All => (&[Split::Seen, Split::Heldout], false, seeds.clone()),
            Suite::Family(name) if name == family.name() => {
                (&[Split::Seen, Split::Heldout], false, seeds.clone())
            }
            Suite::Family(_) => continue,
        };
        for &split in splits {
            let count = family.templates(split).len();
            let count = if first_only { count.min(1) } else { count };
            for template in 0..count {
                for seed in seeds.clone() {
                    for llm in llms {
                        for &feedback in feedbacks {
                            for &api in apis {
                                out.push(Episode {
                                    family: family.name().to_string(),
                                    split,
                                    template,
                                    seed,
                                    llm: llm.clone(),
                                    feedback,
                                    api,
                                    samples: 1,
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_the_order_is_fixed() {
        let tasks = TaskSet::shipped();
        let llms = vec!["builtin".to_string()];
        let feedbacks = [FeedbackKind::None, FeedbackKind::Full];
        let a = episodes(
            &tasks,
            &Suite::All,
            0..3,
            &llms,
            &feedbacks,
            &[ApiLevel::High],
        );
        let b = episodes(
            &tasks,
            &Suite::All,
            0..3,
            &llms,
            &feedbacks,
            &[ApiLevel::High],
        );
        assert_eq!(a, b);
        let keys: std::collections::BTreeSet<String> = a.iter().map(Episode::key).collect();
        assert_eq!(keys.len(), a.len());
        let seen = episodes(
            &tasks,
            &Suite::Seen,
            0..3,
            &llms,
            &feedbacks,
            &[ApiLevel::High],
        )
        .len();
        let heldout = episodes(
            &tasks,
            &Suite::Heldout,
            0..3,
            &llms,
            &feedbacks,
            &[ApiLevel::High],
        )
        .len();
        assert_eq!(seen + heldout, a.len());
    }

    #[test]
    fn smoke_is_a_handful() {
        let tasks = TaskSet::shipped();
        let smoke = episodes(
            &tasks,
            &Suite::Smoke,
            0..20,
            &["builtin".into()],
            &[FeedbackKind::Full],
            &[ApiLevel::High],
        );
        assert_eq!(smoke.len(), 2 * SMOKE_FAMILIES);
    }

    #[test]
    fn an_unknown_suite_lists_what_there_is() {
        let err = Suite::parse("nope", &TaskSet::shipped()).unwrap_err();
        assert!(err.contains("smoke, seen, heldout, all"), "{err}");
        assert!(err.contains("block_in_bowl"), "{err}");
    }
}
