//! The plots of an experiment, drawn from the same records as the summary: success per
//! family with Wilson 95% intervals, success within k attempts against k, and success
//! against `--samples`. A series is one model × feedback kind × api level; each plot is
//! written as PNG (a quick look) and SVG (for a paper).
//!
//! Text is measured and drawn with an embedded DejaVu Sans (`agent/fonts/`), so a plot
//! needs no system font and looks the same on every machine.

mod draw; // plotters: the axes, bars, lines, legend, font, PNG and SVG files

use super::record::Record;
use super::summary::{rows, wilson};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A plot that could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the plot {}: {message}", path.display())]
pub struct PlotError {
    /// The file that was being written.
    pub path: PathBuf,
    /// What went wrong (plotters' or the file system's words).
    pub message: String,
}

/// Writes the plots the records allow into `dir`, each as `.png` and `.svg`, and returns
/// their paths: `success_by_family` always (when any episode was judged),
/// `success_by_attempt` when some episode used more than one attempt, and
/// `success_by_samples` when more than one `--samples` value occurs.
pub fn write_plots(records: &[Record], dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let charts = [
        by_family(records).map(|c| ("success_by_family", Chart::Families(c))),
        by_attempt(records).map(|c| ("success_by_attempt", Chart::Curve(c))),
        by_samples(records).map(|c| ("success_by_samples", Chart::Curve(c))),
    ];
    let mut written = Vec::new();
    for (stem, chart) in charts.into_iter().flatten() {
        written.extend(draw::write_chart(&chart, &dir.join(stem))?);
    }
    Ok(written)
}

/// The episodes a series pools: one model, feedback kind and api level.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Series {
    llm: String,
    feedback: String,
    api: String,
    /// `--samples`; `None` on the plot whose x axis it is.
    samples: Option<u32>,
    /// Whether skills were offered.
    skills: bool,
    /// "suction" or "parallel".
    gripper: String,
    /// "truth" or "camera".
    perception: String,
}

impl Series {
    fn of(record: &Record) -> Series {
        Series {
            llm: record.episode.llm.clone(),
            feedback: record.episode.feedback.as_str().to_string(),
            api: record.episode.api.name().to_string(),
            samples: Some(record.episode.samples),
            skills: record.episode.skills,
            gripper: record.episode.gripper.name().to_string(),
            perception: record.episode.perception.name().to_string(),
        }
    }

    /// The series without its samples count (for the plot against samples).
    fn across_samples(mut self) -> Series {
        self.samples = None;
        self
    }
}

/// A success rate over judged episodes with its Wilson 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Estimate {
    rate: f64,
    low: f64,
    high: f64,
}

impl Estimate {
    /// `None` for no trials: nothing to show, rather than a 0% bar.
    fn of(successes: usize, trials: usize) -> Option<Estimate> {
        if trials == 0 {
            return None;
        }
        let (low, high) = wilson(successes, trials);
        Some(Estimate {
            rate: successes as f64 / trials as f64,
            low,
            high,
        })
    }
}

/// The episodes the check judged (success true or false), as the summary counts them.
fn judged(records: &[Record]) -> impl Iterator<Item = &Record> {
    records.iter().filter(|r| r.success.is_some())
}

/// The distinct series of the judged records, in order.
fn series_of(records: &[Record]) -> Vec<Series> {
    let set: BTreeSet<Series> = judged(records).map(Series::of).collect();
    set.into_iter().collect()
}

/// The distinct series of the judged records, samples counts merged, in order.
fn series_across_samples(records: &[Record]) -> Vec<Series> {
    let set: BTreeSet<Series> = judged(records)
        .map(|r| Series::of(r).across_samples())
        .collect();
    set.into_iter().collect()
}

/// Success per family: in each family's group one bar per series, "(all)" last.
#[derive(Debug, Clone, PartialEq)]
struct FamilyChart {
    families: Vec<String>,
    series: Vec<Series>,
    /// (family index, series index, estimate); a cell with no judged episode has none.
    bars: Vec<(usize, usize, Estimate)>,
}

/// The summary's rows (per family × llm × feedback × api, and "(all)"), so the bars are
/// exactly the rates and intervals of summary.md.
fn by_family(records: &[Record]) -> Option<FamilyChart> {
    let series = series_of(records);
    if series.is_empty() {
        return None;
    }
    let rows: Vec<_> = rows(records)
        .into_iter()
        .filter(|row| row.judged > 0 && (!row.family.starts_with('(') || row.family == "(all)"))
        .collect();
    let mut families: Vec<String> = Vec::new();
    let mut bars = Vec::new();
    for row in &rows {
        let family = match families.iter().position(|f| *f == row.family) {
            Some(index) => index,
            None => {
                families.push(row.family.clone());
                families.len() - 1
            }
        };
        let key = Series {
            llm: row.llm.clone(),
            feedback: row.feedback.clone(),
            api: row.api.clone(),
            samples: Some(row.samples),
            skills: row.skills,
            gripper: row.gripper.clone(),
            perception: row.perception.clone(),
        };
        let Some(index) = series.iter().position(|s| *s == key) else {
            continue;
        };
        let estimate = Estimate {
            rate: row.rate,
            low: row.interval.0,
            high: row.interval.1,
        };
        bars.push((family, index, estimate));
    }
    Some(FamilyChart {
        families,
        series,
        bars,
    })
}

/// Success against a whole number (attempts, samples): one line per series.
#[derive(Debug, Clone, PartialEq)]
struct CurveChart {
    title: String,
    x_desc: String,
    xs: Vec<u32>,
    series: Vec<Series>,
    /// Per series, its points in x order.
    lines: Vec<Vec<(u32, Estimate)>>,
}

/// Success within k attempts for k = 1 … the most attempts any episode used: a success
/// at attempt k (its `attempts`) counts from k on; a failure never counts. At the last k
/// it is the summary's "(all)" rate. `None` when no episode used more than one attempt.
fn by_attempt(records: &[Record]) -> Option<CurveChart> {
    let most = judged(records).map(|r| r.attempts).max()?;
    if most <= 1 {
        return None;
    }
    let series = series_of(records);
    let lines = series
        .iter()
        .map(|s| {
            let pool: Vec<&Record> = judged(records).filter(|r| Series::of(r) == *s).collect();
            (1..=most)
                .filter_map(|k| {
                    let successes = pool
                        .iter()
                        .filter(|r| r.success == Some(true) && r.attempts <= k)
                        .count();
                    Estimate::of(successes, pool.len()).map(|e| (k, e))
                })
                .collect()
        })
        .collect();
    Some(CurveChart {
        title: "Success within k attempts".into(),
        x_desc: "attempt k".into(),
        xs: (1..=most).collect(),
        series,
        lines,
    })
}

/// Success against the programs drawn per attempt (`--samples`). `None` unless more
/// than one value occurs.
fn by_samples(records: &[Record]) -> Option<CurveChart> {
    let xs: BTreeSet<u32> = judged(records).map(|r| r.episode.samples).collect();
    if xs.len() < 2 {
        return None;
    }
    let series = series_across_samples(records);
    let lines = series
        .iter()
        .map(|s| {
            xs.iter()
                .filter_map(|&n| {
                    let pool: Vec<&Record> = judged(records)
                        .filter(|r| r.episode.samples == n && Series::of(r).across_samples() == *s)
                        .collect();
                    let successes = pool.iter().filter(|r| r.success == Some(true)).count();
                    Estimate::of(successes, pool.len()).map(|e| (n, e))
                })
                .collect()
        })
        .collect();
    Some(CurveChart {
        title: "Success against programs sampled per attempt".into(),
        x_desc: "--samples N".into(),
        xs: xs.into_iter().collect(),
        series,
        lines,
    })
}

/// What one plot shows.
enum Chart {
    Families(FamilyChart),
    Curve(CurveChart),
}

/// Legend labels name what differs between the series; what they share goes in the
/// title ("feedback full, api high").
fn legend(series: &[Series]) -> (Vec<String>, String) {
    let varies = |f: fn(&Series) -> &str| series.iter().any(|s| f(s) != f(&series[0]));
    let (llm, feedback, api) = (
        varies(|s| &s.llm),
        varies(|s| &s.feedback),
        varies(|s| &s.api),
    );
    let samples = series.iter().any(|s| s.samples != series[0].samples);
    let skills = series.iter().any(|s| s.skills != series[0].skills);
    let gripper = varies(|s| &s.gripper);
    let perception = varies(|s| &s.perception);
    let labels = series
        .iter()
        .map(|s| {
            let mut parts = Vec::new();
            if llm || !(feedback || api || samples || skills || gripper || perception) {
                parts.push(s.llm.clone());
            }
            if feedback {
                parts.push(format!("feedback {}", s.feedback));
            }
            if api {
                parts.push(format!("api {}", s.api));
            }
            match (samples, s.samples) {
                (true, Some(1)) => parts.push("1 sample".into()),
                (true, Some(n)) => parts.push(format!("{n} samples")),
                _ => {}
            }
            if skills {
                parts.push(if s.skills { "skills" } else { "no skills" }.into());
            }
            if gripper {
                parts.push(format!("{} gripper", s.gripper));
            }
            if perception {
                parts.push(format!("{} perception", s.perception));
            }
            parts.join(", ")
        })
        .collect();
    let mut shared = Vec::new();
    if let Some(first) = series.first() {
        if !llm && (feedback || api || samples || skills || gripper || perception) {
            shared.push(first.llm.clone());
        }
        if !feedback {
            shared.push(format!("feedback {}", first.feedback));
        }
        if !api {
            shared.push(format!("api {}", first.api));
        }
    }
    (labels, shared.join(", "))
}

#[cfg(test)]
mod tests {
    use super::draw::{TEXT_PX, color};
    use super::*;
    use crate::eval::grid::Episode;
    use crate::run::FeedbackKind;
    use plotters::style::RGBColor;
    use wand_primitives::ApiLevel;
    use wand_primitives::task::Split;

    /// A judged (or, with `None`, skipped) episode of `family` by `llm`.
    fn record(family: &str, llm: &str, success: Option<bool>, attempts: u32) -> Record {
        let episode = Episode {
            family: family.into(),
            split: Split::Seen,
            template: 0,
            seed: 0,
            llm: llm.into(),
            feedback: FeedbackKind::Full,
            api: ApiLevel::High,
            samples: 1,
            skills: false,
            gripper: Default::default(),
            perception: Default::default(),
        };
        Record {
            key: String::new(),
            skipped: success.is_none().then(|| "no task".to_string()),
            success,
            reward: if success == Some(true) { 1.0 } else { 0.0 },
            attempts,
            success_at_1: success == Some(true) && attempts == 1,
            ..Record::new(&episode)
        }
    }

    /// Unique keys, as the grid gives them (the summary orders by key).
    fn keyed(mut records: Vec<Record>) -> Vec<Record> {
        for (index, r) in records.iter_mut().enumerate() {
            r.key = format!("{}/{}/{index}", r.episode.family, r.episode.llm);
        }
        records
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wand-plot-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn success_within_k_attempts_counts_a_success_from_its_attempt_on() {
        let records = keyed(vec![
            record("stack_all", "builtin", Some(true), 1),
            record("stack_all", "builtin", Some(true), 3),
            record("stack_all", "builtin", Some(false), 4),
            record("stack_all", "builtin", None, 0),
        ]);
        let chart = by_attempt(&records).unwrap();
        assert_eq!(chart.xs, [1, 2, 3, 4]);
        let rates: Vec<f64> = chart.lines[0].iter().map(|(_, e)| e.rate).collect();
        let third = 1.0 / 3.0;
        assert_eq!(rates, [third, third, 2.0 * third, 2.0 * third]);
        let all = rows(&records)
            .into_iter()
            .find(|r| r.family == "(all)")
            .unwrap();
        let last = chart.lines[0][3].1;
        assert_eq!((last.rate, (last.low, last.high)), (all.rate, all.interval));
    }

    #[test]
    fn one_attempt_and_one_samples_value_make_no_curve() {
        let mut records = keyed(vec![
            record("stack_all", "builtin", Some(true), 1),
            record("stack_all", "builtin", Some(false), 1),
        ]);
        assert_eq!(by_attempt(&records), None);
        assert_eq!(by_samples(&records), None);
        records[1].episode.samples = 3;
        let chart = by_samples(&records).unwrap();
        assert_eq!(chart.xs, [1, 3]);
        let rates: Vec<(u32, f64)> = chart.lines[0].iter().map(|&(n, e)| (n, e.rate)).collect();
        assert_eq!(rates, [(1, 1.0), (3, 0.0)]);
    }

    #[test]
    fn the_family_bars_are_the_summary_rows() {
        let records = keyed(vec![
            record("always", "alpha", Some(true), 1),
            record("always", "beta", Some(false), 4),
            record("never", "alpha", Some(false), 2),
            record("skipped", "alpha", None, 0),
        ]);
        let chart = by_family(&records).unwrap();
        assert_eq!(chart.families, ["always", "never", "(all)"]);
        assert_eq!(chart.series.len(), 2);
        let cell = |family: usize, series: usize| {
            chart
                .bars
                .iter()
                .find(|b| (b.0, b.1) == (family, series))
                .map(|b| b.2.rate)
        };
        assert_eq!(cell(0, 0), Some(1.0));
        assert_eq!(cell(0, 1), Some(0.0));
        assert_eq!(cell(1, 0), Some(0.0));
        assert_eq!(cell(1, 1), None, "beta never ran 'never': no bar, not 0%");
        assert_eq!(cell(2, 0), Some(0.5));
        assert_eq!(chart.bars.len(), 5);
    }

    #[test]
    fn legends_name_what_differs_and_titles_what_is_shared() {
        let mut low = record("a", "builtin", Some(true), 1);
        low.episode.api = ApiLevel::Low;
        let records = keyed(vec![
            record("a", "builtin", Some(true), 1),
            low,
            record("a", "openai:gpt-4o-mini", Some(true), 1),
        ]);
        let (labels, shared) = legend(&series_of(&records));
        assert_eq!(
            labels,
            [
                "builtin, api high",
                "builtin, api low",
                "openai:gpt-4o-mini, api high"
            ]
        );
        assert_eq!(shared, "feedback full");
        let (labels, shared) = legend(&series_of(&records[..1]));
        assert_eq!(
            (labels, shared),
            (
                vec!["builtin".to_string()],
                "feedback full, api high".into()
            )
        );
        let (labels, shared) = legend(&series_of(&records[..2]));
        assert_eq!(labels, ["api high", "api low"]);
        assert_eq!(shared, "builtin, feedback full");
    }

    /// Columns of the PNG holding pixels of `rgb`, as runs of adjacent columns with the
    /// most such pixels any column of the run has.
    fn colored_runs(image: &image::RgbImage, rgb: RGBColor) -> Vec<(u32, u32, u32)> {
        let mut runs: Vec<(u32, u32, u32)> = Vec::new();
        for x in 0..image.width() {
            let count = (0..image.height())
                .filter(|&y| image.get_pixel(x, y).0 == [rgb.0, rgb.1, rgb.2])
                .count() as u32;
            match runs.last_mut() {
                Some(run) if count > 0 && run.1 + 1 == x => {
                    run.1 = x;
                    run.2 = run.2.max(count);
                }
                _ if count > 0 => runs.push((x, x, count)),
                _ => {}
            }
        }
        runs
    }

    #[test]
    fn the_family_plot_draws_bars_as_tall_as_their_rates() {
        // "always" 2 of 2, "never" 0 of 2, so "(all)" 2 of 4: two bars, the first twice
        // as tall as the second, and for "never" only the thin line a 0% bar has.
        let records = keyed(vec![
            record("always", "builtin", Some(true), 1),
            record("always", "builtin", Some(true), 1),
            record("never", "builtin", Some(false), 1),
            record("never", "builtin", Some(false), 1),
        ]);
        let dir = scratch("bars");
        let written = write_plots(&records, &dir).unwrap();
        assert_eq!(
            written,
            [
                dir.join("success_by_family.png"),
                dir.join("success_by_family.svg")
            ]
        );
        let png = image::open(&written[0]).unwrap().to_rgb8();
        assert_eq!(png.dimensions(), (900, 640));
        let runs = colored_runs(&png, color(0));
        let bars: Vec<(u32, u32, u32)> = runs
            .iter()
            .copied()
            .filter(|run| run.2 > 2 * TEXT_PX)
            .collect();
        assert_eq!(bars.len(), 2, "{runs:?}");
        let ((a_start, a_end, always), (b_start, b_end, all)) = (bars[0], bars[1]);
        let ratio = f64::from(always) / f64::from(all);
        assert!((ratio - 2.0).abs() < 0.05, "{always} px against {all} px");
        assert!(
            f64::from(always) > 0.5 * f64::from(png.height()),
            "{always}"
        );
        // Equal slots: "never" halfway between "always" and "(all)", as wide, 0% high.
        let zero: Vec<&(u32, u32, u32)> = runs
            .iter()
            .filter(|run| run.0 > a_end && run.1 < b_start)
            .collect();
        assert_eq!(zero.len(), 1, "{runs:?}");
        let (z_start, z_end, z_height) = *zero[0];
        assert!(z_height <= 4, "{zero:?}");
        let middle = |start: u32, end: u32| f64::from(start + end) / 2.0;
        let expected = (middle(a_start, a_end) + middle(b_start, b_end)) / 2.0;
        assert!((middle(z_start, z_end) - expected).abs() < 2.0, "{runs:?}");
        assert!((z_end - z_start).abs_diff(a_end - a_start) <= 2, "{runs:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The text of each `<text>` element of an SVG, in order.
    fn svg_texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|element| {
                let (_, rest) = element.split_once('>')?;
                let (text, _) = rest.split_once("</text>")?;
                Some(text.trim().to_string())
            })
            .collect()
    }

    #[test]
    fn every_plot_is_written_as_png_and_svg_with_names_and_legend() {
        let mut records = keyed(vec![
            record("block_in_bowl", "builtin", Some(true), 1),
            record("block_in_bowl", "builtin", Some(true), 2),
            record("stack_all", "builtin", Some(false), 4),
            record("stack_all", "openai:gpt-4o-mini", Some(true), 3),
            record("stack_all", "openai:gpt-4o-mini", Some(false), 4),
        ]);
        records[1].episode.samples = 3;
        let dir = scratch("all");
        let written = write_plots(&records, &dir).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "success_by_family.png",
                "success_by_family.svg",
                "success_by_attempt.png",
                "success_by_attempt.svg",
                "success_by_samples.png",
                "success_by_samples.svg"
            ]
        );
        for path in written.iter().filter(|p| p.extension().unwrap() == "png") {
            let png = image::open(path).unwrap().to_rgb8();
            for series in 0..2 {
                assert!(
                    !colored_runs(&png, color(series)).is_empty(),
                    "{} has no series {series}",
                    path.display()
                );
            }
        }
        let texts = |name: &str| svg_texts(&std::fs::read_to_string(dir.join(name)).unwrap());
        let family = texts("success_by_family.svg");
        // A series per model and samples count (the samples vary here).
        for text in [
            "block_in_bowl",
            "stack_all",
            "(all)",
            "builtin, 1 sample",
            "builtin, 3 samples",
            "openai:gpt-4o-mini, 1 sample",
        ] {
            assert!(family.iter().any(|t| t == text), "no {text} in {family:?}");
        }
        assert!(
            family[0].ends_with("; feedback full, api high"),
            "{family:?}"
        );
        assert!(texts("success_by_attempt.svg").contains(&"attempt k".to_string()));
        assert!(texts("success_by_samples.svg").contains(&"--samples N".to_string()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn no_judged_episode_makes_no_plot() {
        let records = keyed(vec![record("stack_all", "builtin", None, 0)]);
        let dir = scratch("none");
        assert_eq!(write_plots(&records, &dir).unwrap(), Vec::<PathBuf>::new());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
