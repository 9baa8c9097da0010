//! The grid of an experiment: which episodes a suite, seeds, models and feedback kinds
//! make. An episode is one cell of it; each axis is a field, so a new axis (primitive
//! level, samples) is a new field and a new loop, not a new design.

use crate::run::FeedbackKind;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use wand_primitives::task::{Split, TaskSet};
use wand_primitives::{ApiLevel, PerceptionMode};
use wand_sim::gripper::GripperKind;

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
    /// Programs drawn per attempt, the best by reward kept (`--samples`).
    #[serde(default = "one")]
    pub samples: u32,
    /// Whether the skill library (`--skills DIR`) is offered.
    #[serde(default)]
    pub skills: bool,
    /// The arm's gripper (`--gripper`).
    #[serde(default)]
    pub gripper: GripperKind,
    /// Where the perception primitives' answers come from (`--perception`).
    #[serde(default)]
    pub perception: PerceptionMode,
}

fn one() -> u32 {
    1
}

impl Episode {
    /// "block_in_bowl/seen/0/seed 3/builtin/full/high" (and "/samples 4" with more than
    /// one sample): unique within a grid.
    pub fn key(&self) -> String {
        let mut key = format!(
            "{}/{}/{}/seed {}/{}/{}/{}",
            self.family,
            split_name(self.split),
            self.template,
            self.seed,
            self.llm,
            self.feedback.as_str(),
            self.api.name()
        );
        if self.samples != 1 {
            key.push_str(&format!("/samples {}", self.samples));
        }
        if self.skills {
            key.push_str("/skills");
        }
        if self.gripper != GripperKind::Suction {
            key.push_str(&format!("/{}", self.gripper.name()));
        }
        if self.perception != PerceptionMode::Truth {
            key.push_str(&format!("/{}", self.perception.name()));
        }
        key
    }
}

/// Every (gripper, perception) pair of the axes, grippers first.
fn rigs(axes: &Axes) -> impl Iterator<Item = (&GripperKind, &PerceptionMode)> {
    axes.grippers
        .iter()
        .flat_map(|g| axes.perceptions.iter().map(move |p| (g, p)))
}

/// "seen" or "heldout".
pub fn split_name(split: Split) -> &'static str {
    match split {
        Split::Seen => "seen",
        Split::Heldout => "heldout",
    }
}

/// The axes of a grid besides the suite: each value of each makes a column.
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    /// Seeds, A..B (B excluded).
    pub seeds: Range<u64>,
    /// Model specs (`builtin`, `openai:gpt-4o-mini`, …).
    pub llms: Vec<String>,
    pub feedbacks: Vec<FeedbackKind>,
    pub apis: Vec<ApiLevel>,
    /// `--samples` values.
    pub samples: Vec<u32>,
    /// Whether skills are offered: `[false]` without `--skills`, `[true]` with it, both
    /// with `--skills DIR --no-skills`.
    pub skills: Vec<bool>,
    /// `--gripper` values (default: suction).
    pub grippers: Vec<GripperKind>,
    /// `--perception` values (default: truth).
    pub perceptions: Vec<PerceptionMode>,
}

impl Default for Axes {
    /// Seed 0, the builtin planner, full feedback, the high-level primitives, one sample.
    fn default() -> Axes {
        Axes {
            seeds: 0..1,
            llms: vec!["builtin".into()],
            feedbacks: vec![FeedbackKind::Full],
            apis: vec![ApiLevel::High],
            samples: vec![1],
            skills: vec![false],
            grippers: vec![GripperKind::Suction],
            perceptions: vec![PerceptionMode::Truth],
        }
    }
}

/// The episodes of `suite` over the `axes`, in a fixed order (family, split, template,
/// seed, model, feedback, api level, samples, skills, gripper, perception), so the same
/// arguments give the same list.
pub fn episodes(tasks: &TaskSet, suite: &Suite, axes: &Axes) -> Vec<Episode> {
    let mut out = Vec::new();
    let families = tasks.families();
    for (index, family) in families.iter().enumerate() {
        let all_seeds = axes.seeds.clone();
        let (splits, first_only, seeds): (&[Split], bool, Range<u64>) = match suite {
            Suite::Smoke if index < SMOKE_FAMILIES => (
                &[Split::Seen, Split::Heldout],
                true,
                all_seeds.start..all_seeds.start + 1,
            ),
            Suite::Smoke => continue,
            Suite::Seen => (&[Split::Seen], false, all_seeds),
            Suite::Heldout => (&[Split::Heldout], false, all_seeds),
            Suite::All => (&[Split::Seen, Split::Heldout], false, all_seeds),
            Suite::Family(name) if name == family.name() => {
                (&[Split::Seen, Split::Heldout], false, all_seeds)
            }
            Suite::Family(_) => continue,
        };
        for &split in splits {
            let count = family.templates(split).len();
            let count = if first_only { count.min(1) } else { count };
            for template in 0..count {
                for seed in seeds.clone() {
                    for llm in &axes.llms {
                        for &feedback in &axes.feedbacks {
                            for &api in &axes.apis {
                                for &samples in &axes.samples {
                                    for &skills in &axes.skills {
                                        for (&gripper, &perception) in rigs(axes) {
                                            out.push(Episode {
                                                family: family.name().to_string(),
                                                split,
                                                template,
                                                seed,
                                                llm: llm.clone(),
                                                feedback,
                                                api,
                                                samples,
                                                skills,
                                                gripper,
                                                perception,
                                            });
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// `--shard I/N`: which part of a grid one machine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// From 0.
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// "I/N" with 0 ≤ I < N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("--shard '{text}': give I/N with 0 <= I < N, e.g. 0/4");
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = index.trim().parse().map_err(|_| bad())?;
        let count: usize = count.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// This shard's episodes: every `count`-th of the grid's fixed order from `index`, so
    /// the shards are disjoint, together are the grid, and each mixes all families.
    pub fn select(&self, episodes: Vec<Episode>) -> Vec<Episode> {
        episodes
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index)
            .map(|(_, e)| e)
            .collect()
    }

    /// "2/4".
    pub fn name(&self) -> String {
        format!("{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_the_order_is_fixed() {
        let tasks = TaskSet::shipped();
        let axes = Axes {
            seeds: 0..3,
            feedbacks: vec![FeedbackKind::None, FeedbackKind::Full],
            samples: vec![1, 4],
            ..Axes::default()
        };
        let a = episodes(&tasks, &Suite::All, &axes);
        assert_eq!(a, episodes(&tasks, &Suite::All, &axes));
        let keys: std::collections::BTreeSet<String> = a.iter().map(Episode::key).collect();
        assert_eq!(keys.len(), a.len());
        assert!(keys.iter().any(|k| k.ends_with("/samples 4")), "{keys:?}");
        let seen = episodes(&tasks, &Suite::Seen, &axes).len();
        let heldout = episodes(&tasks, &Suite::Heldout, &axes).len();
        assert_eq!(seen + heldout, a.len());
    }

    #[test]
    fn smoke_is_a_handful() {
        let axes = Axes {
            seeds: 0..20,
            ..Axes::default()
        };
        let smoke = episodes(&TaskSet::shipped(), &Suite::Smoke, &axes);
        assert_eq!(smoke.len(), 2 * SMOKE_FAMILIES);
    }

    #[test]
    fn an_unknown_suite_lists_what_there_is() {
        let err = Suite::parse("nope", &TaskSet::shipped()).unwrap_err();
        assert!(err.contains("smoke, seen, heldout, all"), "{err}");
        assert!(err.contains("block_in_bowl"), "{err}");
    }

    #[test]
    fn shards_are_disjoint_and_cover_the_grid() {
        let axes = Axes {
            seeds: 0..5,
            ..Axes::default()
        };
        let all = episodes(&TaskSet::shipped(), &Suite::Seen, &axes);
        let mut union: Vec<String> = Vec::new();
        for index in 0..3 {
            let shard = Shard { index, count: 3 };
            let part = shard.select(all.clone());
            assert!(part.len().abs_diff(all.len() / 3) <= 1);
            union.extend(part.iter().map(Episode::key));
        }
        let mut expected: Vec<String> = all.iter().map(Episode::key).collect();
        union.sort();
        expected.sort();
        assert_eq!(union, expected);
    }

    #[test]
    fn shard_text_is_checked() {
        assert_eq!(Shard::parse("1/4"), Ok(Shard { index: 1, count: 4 }));
        for bad in ["4/4", "1", "a/2", "0/0", "-1/3"] {
            let err = Shard::parse(bad).unwrap_err();
            assert!(err.contains("I/N"), "{bad}: {err}");
        }
    }
}
