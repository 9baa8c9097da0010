//! Statistics over `episodes.jsonl`: per family × condition (model, feedback, api level,
//! samples), overall, and seen against held-out — success with a Wilson 95% interval, mean
//! reward, success at the first attempt against after feedback, mean attempts, failure
//! classes, tokens, cost, latency — and paired comparisons of conditions on the same
//! episodes (the difference with a 95% interval, the exact McNemar p-value). A pure
//! function of the records, so `wand eval report` rebuilds it exactly.

use super::grid::split_name;
use super::record::Record;
use std::collections::BTreeMap;
use std::fmt::Write;
use wand_primitives::PerceptionMode;
use wand_sim::gripper::GripperKind;

/// The Wilson score interval for `successes` out of `trials` at 95% (z = 1.96):
/// `(low, high)` in [0, 1]; `(0, 1)` for no trials.
pub fn wilson(successes: usize, trials: usize) -> (f64, f64) {
    if trials == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n = trials as f64;
    let p = successes as f64 / n;
    let denominator = 1.0 + z * z / n;
    let center = (p + z * z / (2.0 * n)) / denominator;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denominator;
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// One row of the summary: a group of episodes and its statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// A family's name, "(all)", "(seen)" or "(heldout)".
    pub family: String,
    pub llm: String,
    pub feedback: String,
    /// The primitive level offered ("high", "low").
    pub api: String,
    /// Programs drawn per attempt.
    pub samples: u32,
    /// Whether the skill library was offered.
    pub skills: bool,
    /// The arm's gripper ("suction", "parallel").
    pub gripper: String,
    /// Where perception answers came from ("truth", "camera").
    pub perception: String,
    /// Episodes the check judged (success true or false).
    pub judged: usize,
    /// Episodes whose family had no task for the seed, or that nothing judged.
    pub skipped: usize,
    pub successes: usize,
    pub successes_at_1: usize,
    pub rate: f64,
    /// The Wilson 95% interval of `rate`.
    pub interval: (f64, f64),
    pub mean_reward: f64,
    pub mean_attempts: f64,
    /// Failure class label → count, over the judged failures.
    pub failures: BTreeMap<String, usize>,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// Summed over episodes whose model has a known price; `None` when none has.
    pub cost_usd: Option<f64>,
    /// Mean seconds per episode waiting for the model.
    pub mean_llm_latency_s: f64,
    /// Mean seconds per episode, all of it.
    pub mean_wall_s: f64,
}

/// What an episode was run under besides its task: the columns of a grid.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Condition {
    pub llm: String,
    pub feedback: String,
    pub api: String,
    pub samples: u32,
    /// Whether the skill library was offered.
    pub skills: bool,
    /// "suction" or "parallel".
    pub gripper: String,
    /// "truth" or "camera".
    pub perception: String,
}

impl Condition {
    /// The condition `record` ran under.
    pub fn of(record: &Record) -> Condition {
        Condition {
            llm: record.episode.llm.clone(),
            feedback: record.episode.feedback.as_str().to_string(),
            api: record.episode.api.name().to_string(),
            samples: record.episode.samples,
            skills: record.episode.skills,
            gripper: record.episode.gripper.name().to_string(),
            perception: record.episode.perception.name().to_string(),
        }
    }

    /// "builtin, full, high" (and ", 4 samples", ", skills", ", parallel", ", camera").
    pub fn label(&self) -> String {
        let mut label = format!("{}, {}, {}", self.llm, self.feedback, self.api);
        if self.samples != 1 {
            label.push_str(&format!(", {} samples", self.samples));
        }
        if self.skills {
            label.push_str(", skills");
        }
        if self.gripper != GripperKind::default().name() {
            label.push_str(&format!(", {}", self.gripper));
        }
        if self.perception != PerceptionMode::default().name() {
            label.push_str(&format!(", {}", self.perception));
        }
        label
    }

    /// On how many axes two conditions differ.
    fn differences(&self, other: &Condition) -> usize {
        usize::from(self.llm != other.llm)
            + usize::from(self.feedback != other.feedback)
            + usize::from(self.api != other.api)
            + usize::from(self.samples != other.samples)
            + usize::from(self.skills != other.skills)
            + usize::from(self.gripper != other.gripper)
            + usize::from(self.perception != other.perception)
    }
}

impl Row {
    fn new(family: &str, condition: &Condition, records: &[&Record]) -> Row {
        let judged: Vec<&&Record> = records.iter().filter(|r| r.success.is_some()).collect();
        let successes = judged.iter().filter(|r| r.success == Some(true)).count();
        let n = judged.len();
        let mean = |f: &dyn Fn(&Record) -> f64| {
            if n == 0 {
                0.0
            } else {
                judged.iter().map(|r| f(r)).sum::<f64>() / n as f64
            }
        };
        let mut failures = BTreeMap::new();
        for r in &judged {
            if let Some(class) = &r.failure {
                *failures.entry(class.label()).or_insert(0) += 1;
            }
        }
        let per_episode = |f: &dyn Fn(&Record) -> f64| {
            if records.is_empty() {
                0.0
            } else {
                records.iter().map(|r| f(r)).sum::<f64>() / records.len() as f64
            }
        };
        Row {
            family: family.into(),
            llm: condition.llm.clone(),
            feedback: condition.feedback.clone(),
            api: condition.api.clone(),
            samples: condition.samples,
            skills: condition.skills,
            gripper: condition.gripper.clone(),
            perception: condition.perception.clone(),
            judged: n,
            skipped: records.len() - n,
            successes,
            successes_at_1: judged.iter().filter(|r| r.success_at_1).count(),
            rate: if n == 0 {
                0.0
            } else {
                successes as f64 / n as f64
            },
            interval: wilson(successes, n),
            mean_reward: mean(&|r| r.reward),
            mean_attempts: mean(&|r| f64::from(r.attempts)),
            failures,
            tokens_in: records.iter().map(|r| r.tokens_in).sum(),
            tokens_out: records.iter().map(|r| r.tokens_out).sum(),
            cost_usd: records
                .iter()
                .filter_map(|r| r.cost_usd)
                .reduce(|a, b| a + b),
            mean_llm_latency_s: per_episode(&|r| r.llm_latency_s),
            mean_wall_s: per_episode(&|r| r.wall_time_s),
        }
    }

    /// Success at the first attempt, over judged episodes.
    pub fn rate_at_1(&self) -> f64 {
        if self.judged == 0 {
            0.0
        } else {
            self.successes_at_1 as f64 / self.judged as f64
        }
    }

    fn failure_text(&self) -> String {
        let parts: Vec<String> = self
            .failures
            .iter()
            .map(|(label, count)| format!("{label} {count}"))
            .collect();
        if parts.is_empty() {
            "-".into()
        } else {
            parts.join("; ")
        }
    }
}

/// The rows: per family × condition, then per condition over all families, over the
/// seen templates and over the held-out ones. Records are taken in key order, so the
/// same records in any order give the same rows.
pub fn rows(records: &[Record]) -> Vec<Row> {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let mut groups: BTreeMap<(u8, String, Condition), Vec<&Record>> = BTreeMap::new();
    for r in &sorted {
        let condition = Condition::of(r);
        let mut add = |order: u8, family: String| {
            groups
                .entry((order, family, condition.clone()))
                .or_default()
                .push(r);
        };
        add(0, r.episode.family.clone());
        add(1, "(all)".into());
        add(2, format!("({})", split_name(r.episode.split)));
    }
    groups
        .into_iter()
        .map(|((_, family, condition), records)| Row::new(&family, &condition, &records))
        .collect()
}

/// Two conditions compared on the episodes both ran and the check judged in both.
#[derive(Debug, Clone, PartialEq)]
pub struct Paired {
    pub a: Condition,
    pub b: Condition,
    /// Episodes judged under both.
    pub pairs: usize,
    /// Episodes that succeeded under `a` only, and under `b` only (the discordant pairs).
    pub a_only: usize,
    pub b_only: usize,
    /// Success rate under `a` minus under `b`, over the pairs.
    pub difference: f64,
    /// Its 95% interval (Wald's for paired proportions, clipped to [-1, 1]).
    pub interval: (f64, f64),
    /// The exact (binomial) McNemar test's two-sided p-value.
    pub p_value: f64,
}

/// The exact McNemar test: the two-sided binomial p-value of `b` against `c` discordant
/// pairs under no difference (each discordant pair equally likely either way); 1 with
/// no discordant pairs.
pub fn mcnemar_exact(b: usize, c: usize) -> f64 {
    let n = b + c;
    if n == 0 {
        return 1.0;
    }
    // P(X <= min(b, c)) for X ~ Binomial(n, 1/2), summed in logs so large n cannot underflow.
    let ln_choose = |k: usize| ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k);
    let tail: f64 = (0..=b.min(c))
        .map(|k| (ln_choose(k) - n as f64 * std::f64::consts::LN_2).exp())
        .sum();
    (2.0 * tail).min(1.0)
}

fn ln_factorial(n: usize) -> f64 {
    (2..=n).map(|k| (k as f64).ln()).sum()
}

/// Paired comparisons: every two conditions that differ on one axis (model, feedback,
/// api level, samples, skills, gripper or perception), or the only two there are, over
/// the episodes (family, template, seed) both ran and the check judged in both.
pub fn paired(records: &[Record]) -> Vec<Paired> {
    type Cell = (String, u8, usize, u64);
    let mut outcomes: BTreeMap<Condition, BTreeMap<Cell, bool>> = BTreeMap::new();
    for r in records {
        if let Some(success) = r.success {
            let cell = (
                r.episode.family.clone(),
                r.episode.split as u8,
                r.episode.template,
                r.episode.seed,
            );
            outcomes
                .entry(Condition::of(r))
                .or_default()
                .insert(cell, success);
        }
    }
    let conditions: Vec<&Condition> = outcomes.keys().collect();
    let mut out = Vec::new();
    for (i, a) in conditions.iter().enumerate() {
        for b in &conditions[i + 1..] {
            if conditions.len() > 2 && a.differences(b) != 1 {
                continue;
            }
            let (in_a, in_b) = (&outcomes[*a], &outcomes[*b]);
            let both: Vec<(bool, bool)> = in_a
                .iter()
                .filter_map(|(cell, &x)| in_b.get(cell).map(|&y| (x, y)))
                .collect();
            let n = both.len();
            if n == 0 {
                continue;
            }
            let a_only = both.iter().filter(|(x, y)| *x && !*y).count();
            let b_only = both.iter().filter(|(x, y)| !*x && *y).count();
            let (nf, d) = (n as f64, a_only as f64 - b_only as f64);
            let difference = d / nf;
            let se = ((a_only + b_only) as f64 - d * d / nf).max(0.0).sqrt() / nf;
            let z = 1.959_963_984_540_054_f64;
            out.push(Paired {
                a: (*a).clone(),
                b: (*b).clone(),
                pairs: n,
                a_only,
                b_only,
                difference,
                interval: (
                    (difference - z * se).max(-1.0),
                    (difference + z * se).min(1.0),
                ),
                p_value: mcnemar_exact(a_only, b_only),
            });
        }
    }
    out
}

/// `summary.md`: a table a reader of a paper can take in, then the paired comparisons;
/// `notes` (why a run stopped early) go under the title.
pub fn markdown(records: &[Record], title: &str, notes: &[String]) -> String {
    let rows = rows(records);
    let mut out = format!("# {title}\n\n");
    for note in notes {
        let _ = writeln!(out, "**{note}**\n");
    }
    let _ = writeln!(
        out,
        "{} episodes; success is over episodes the check judged (skipped: the family had no \
         task for the seed); the interval is Wilson's at 95%.\n",
        records.len()
    );
    out.push_str(
        "| family | llm | feedback | api | samples | skills | gripper | perception | n | skipped | success | 95% CI \
         | at attempt 1 | mean reward | mean attempts | failures | tokens in/out | cost $ \
         | model s/episode |\n",
    );
    out.push_str(
        "|---|---|---|---|---:|---|---|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|\n",
    );
    for row in &rows {
        let family = if row.family.starts_with('(') {
            format!("**{}**", row.family)
        } else {
            row.family.clone()
        };
        let _ = writeln!(
            out,
            "| {family} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1}% | {:.1}–{:.1}% | {:.1}% | {:.3} | {:.2} | {} | {}/{} | {} | {:.2} |",
            row.llm,
            row.feedback,
            row.api,
            row.samples,
            if row.skills { "yes" } else { "no" },
            row.gripper,
            row.perception,
            row.judged,
            row.skipped,
            100.0 * row.rate,
            100.0 * row.interval.0,
            100.0 * row.interval.1,
            100.0 * row.rate_at_1(),
            row.mean_reward,
            row.mean_attempts,
            row.failure_text(),
            row.tokens_in,
            row.tokens_out,
            row.cost_usd.map_or("-".into(), |c| format!("{c:.4}")),
            row.mean_llm_latency_s,
        );
    }
    let comparisons = paired(records);
    if !comparisons.is_empty() {
        out.push_str(
            "\n## Paired comparisons\n\nOn the episodes (family, template, seed) both conditions \
             ran and the check judged in both: the difference in success rate (A − B) with a \
             95% interval, and the exact McNemar test's p-value over the discordant pairs.\n\n\
             | A | B | pairs | A only | B only | A − B | 95% CI | McNemar p |\n\
             |---|---|---:|---:|---:|---:|---|---:|\n",
        );
        for c in &comparisons {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {:+.1} pp | {:+.1} to {:+.1} pp | {:.4} |",
                c.a.label(),
                c.b.label(),
                c.pairs,
                c.a_only,
                c.b_only,
                100.0 * c.difference,
                100.0 * c.interval.0,
                100.0 * c.interval.1,
                c.p_value
            );
        }
    }
    out
}

/// `summary.csv`: the same rows, one per line, for plotting and spreadsheets.
pub fn csv(records: &[Record]) -> String {
    let mut out = String::from(
        "family,llm,feedback,api,samples,skills,gripper,perception,judged,skipped,successes,success_rate,ci_low,ci_high,\
         success_at_1,mean_reward,mean_attempts,failures,tokens_in,tokens_out,cost_usd,\
         mean_llm_latency_s,mean_wall_s\n",
    );
    for row in rows(records) {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{:.4},{:.4},{:.4},{:.4},{:.4},{:.3},\"{}\",{},{},{},{:.3},{:.3}",
            row.family,
            row.llm,
            row.feedback,
            row.api,
            row.samples,
            row.skills,
            row.gripper,
            row.perception,
            row.judged,
            row.skipped,
            row.successes,
            row.rate,
            row.interval.0,
            row.interval.1,
            row.rate_at_1(),
            row.mean_reward,
            row.mean_attempts,
            row.failure_text().replace('"', "'"),
            row.tokens_in,
            row.tokens_out,
            row.cost_usd.map_or(String::new(), |c| format!("{c:.6}")),
            row.mean_llm_latency_s,
            row.mean_wall_s,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook() {
        // 8 of 10: 0.490–0.943 (Wilson 1927; Newcombe 1998, table I).
        let (low, high) = wilson(8, 10);
        assert!(
            (low - 0.4902).abs() < 1e-3 && (high - 0.9433).abs() < 1e-3,
            "{low} {high}"
        );
        let (low, high) = wilson(0, 10);
        assert!(low == 0.0 && (high - 0.2775).abs() < 1e-3, "{high}");
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    #[test]
    fn mcnemar_matches_the_binomial_test() {
        // 1 against 9 discordant pairs: 2 · P(X <= 1), X ~ Bin(10, 1/2) = 2 · 11/1024.
        assert!((mcnemar_exact(1, 9) - 22.0 / 1024.0).abs() < 1e-12);
        assert!((mcnemar_exact(9, 1) - 22.0 / 1024.0).abs() < 1e-12);
        assert_eq!(mcnemar_exact(5, 5), 1.0);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
        // 0 against 6: 2 / 64.
        assert!((mcnemar_exact(0, 6) - 2.0 / 64.0).abs() < 1e-12);
        // Thousands of pairs neither underflow nor exceed 1.
        let p = mcnemar_exact(1000, 1100);
        assert!(p > 0.0 && p < 0.05, "{p}");
    }
}
