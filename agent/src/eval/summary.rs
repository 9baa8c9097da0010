//! Statistics over `episodes.jsonl`: per family × model × feedback, overall, and seen
//! against held-out — success with a Wilson 95% interval, mean reward, success at the
//! first attempt against after feedback, mean attempts, failure classes, tokens, cost.
//! A pure function of the records, so `wand eval report` rebuilds it exactly.

use super::grid::split_name;
use super::record::Record;
use std::collections::BTreeMap;
use std::fmt::Write;

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
}

impl Row {
    fn new(family: &str, llm: &str, feedback: &str, api: &str, records: &[&Record]) -> Row {
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
        Row {
            family: family.into(),
            llm: llm.into(),
            feedback: feedback.into(),
            api: api.into(),
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

/// The rows: per family × model × feedback × api level, then per model × feedback × api
/// level over all families,
/// over the seen templates and over the held-out ones. Records are taken in key order,
/// so the same records in any order give the same rows.
pub fn rows(records: &[Record]) -> Vec<Row> {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    type Group = (u8, String, String, String, String);
    let mut groups: BTreeMap<Group, Vec<&Record>> = BTreeMap::new();
    for r in &sorted {
        let llm = r.episode.llm.clone();
        let feedback = r.episode.feedback.as_str().to_string();
        let api = r.episode.api.name().to_string();
        let mut add = |order: u8, family: String| {
            groups
                .entry((order, family, llm.clone(), feedback.clone(), api.clone()))
                .or_default()
                .push(r);
        };
        add(0, r.episode.family.clone());
        add(1, "(all)".into());
        add(2, format!("({})", split_name(r.episode.split)));
    }
    groups
        .into_iter()
        .map(|((_, family, llm, feedback, api), records)| {
            Row::new(&family, &llm, &feedback, &api, &records)
        })
        .collect()
}

/// `summary.md`: a table a reader of a paper can take in.
pub fn markdown(records: &[Record], title: &str) -> String {
    let rows = rows(records);
    let mut out = format!("# {title}\n\n");
    let _ = writeln!(
        out,
        "{} episodes; success is over episodes the check judged (skipped: the family had no \
         task for the seed); the interval is Wilson's at 95%.\n",
        records.len()
    );
    out.push_str(
        "| family | llm | feedback | api | n | skipped | success | 95% CI | at attempt 1 \
         | mean reward | mean attempts | failures | tokens in/out | cost $ |\n",
    );
    out.push_str("|---|---|---|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|\n");
    for row in &rows {
        let family = if row.family.starts_with('(') {
            format!("**{}**", row.family)
        } else {
            row.family.clone()
        };
        let _ = writeln!(
            out,
            "| {family} | {} | {} | {} | {} | {} | {:.1}% | {:.1}–{:.1}% | {:.1}% | {:.3} | {:.2} | {} | {}/{} | {} |",
            row.llm,
            row.feedback,
            row.api,
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
        );
    }
    out
}

/// `summary.csv`: the same rows, one per line, for plotting and spreadsheets.
pub fn csv(records: &[Record]) -> String {
    let mut out = String::from(
        "family,llm,feedback,api,judged,skipped,successes,success_rate,ci_low,ci_high,success_at_1,\
         mean_reward,mean_attempts,failures,tokens_in,tokens_out,cost_usd\n",
    );
    for row in rows(records) {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{:.4},{:.4},{:.4},{:.4},{:.4},{:.3},\"{}\",{},{},{}",
            row.family,
            row.llm,
            row.feedback,
            row.api,
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
}
