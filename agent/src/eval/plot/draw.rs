//! Drawing a [`Chart`] with plotters, the same calls for the PNG (a pixel buffer,
//! encoded by `image`) and the SVG (a string). Text is measured and drawn with the
//! embedded DejaVu Sans, registered as plotters' "sans-serif".

use super::{Chart, CurveChart, Estimate, FamilyChart, PlotError, legend};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The colour of series `index`: Okabe and Ito's palette, which stays distinct for
/// readers with colour-blindness (yellow, the faintest, last).
pub(super) fn color(index: usize) -> RGBColor {
    const PALETTE: [RGBColor; 8] = [
        RGBColor(0, 114, 178),
        RGBColor(230, 159, 0),
        RGBColor(0, 158, 115),
        RGBColor(213, 94, 0),
        RGBColor(204, 121, 167),
        RGBColor(86, 180, 233),
        RGBColor(90, 90, 90),
        RGBColor(240, 228, 66),
    ];
    PALETTE[index % PALETTE.len()]
}

pub(super) const TEXT_PX: u32 = 15;
const TITLE_PX: u32 = 20;

fn text_style(px: u32) -> TextStyle<'static> {
    ("sans-serif", px).into_font().into()
}

/// A linear axis whose ticks are exactly `ticks`: plotters' own are "nice" numbers, not
/// the families' slots or the attempt numbers.
struct Ticked {
    linear: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Ticked {
        Ticked {
            linear: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.linear.map(value, limit)
    }

    /// The ticks for the labels and bold lines; no light lines between them.
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.linear.range()
    }
}

/// 0% to 100% (a little headroom so a cap at 100% shows), ticks every 20%.
fn percent_axis() -> Ticked {
    Ticked::new(0.0..1.05, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
}

/// Registers the embedded font as plotters' "sans-serif", once.
fn font() -> Result<(), String> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    static DEJAVU_SANS: &[u8] = include_bytes!("../../../fonts/DejaVuSans.ttf");
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err("the embedded DejaVu Sans does not parse".into())
    }
}

impl Chart {
    /// Pixels (PNG) and user units (SVG): wide enough for a bar per series and family.
    fn size(&self) -> (u32, u32) {
        match self {
            Chart::Families(c) => {
                let group = 14 + 18 * c.series.len() as u32;
                ((140 + group * c.families.len() as u32).max(900), 640)
            }
            Chart::Curve(_) => (900, 560),
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (series, title) = match self {
            Chart::Families(c) => (&c.series, "Success per family (Wilson 95% intervals)"),
            Chart::Curve(c) => (&c.series, c.title.as_str()),
        };
        let (labels, shared) = legend(series);
        let title = if shared.is_empty() {
            title.to_string()
        } else {
            format!("{title}; {shared}")
        };
        let body = draw_heading(root, &title, &labels)?;
        match self {
            Chart::Families(c) => draw_families(&body, c),
            Chart::Curve(c) => draw_curve(&body, c),
        }
    }
}

/// Draws the title and a legend that wraps across the width; returns the area below.
fn draw_heading<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    labels: &[String],
) -> Result<DrawingArea<DB, Shift>, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let (width, _) = root.dim_in_pixel();
    let title_style = text_style(TITLE_PX);
    let label_style = text_style(TEXT_PX);
    root.draw(&Text::new(title.to_string(), (16, 10), title_style))
        .map_err(err)?;
    let swatch = TEXT_PX as i32;
    let line = TEXT_PX as i32 + 8;
    let (mut x, mut y) = (16, 10 + TITLE_PX as i32 + 10);
    for (index, label) in labels.iter().enumerate() {
        let (text_w, _) = root.estimate_text_size(label, &label_style).map_err(err)?;
        let item = swatch + 6 + text_w as i32 + 24;
        if x > 16 && x + item > width as i32 - 16 {
            x = 16;
            y += line;
        }
        root.draw(&Rectangle::new(
            [(x, y), (x + swatch, y + swatch)],
            color(index).filled(),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            label.clone(),
            (x + swatch + 6, y),
            label_style.clone(),
        ))
        .map_err(err)?;
        x += item;
    }
    let used = y + line + 4;
    Ok(root.split_vertically(used).1)
}

/// Whole-number axis positions `0, 1, …` with the family names as labels, rotated so
/// long names fit; bars side by side within a family's slot, intervals as whiskers.
fn draw_families<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &FamilyChart,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let label_style = text_style(TEXT_PX);
    let mut longest = 0;
    for family in &chart.families {
        longest = longest.max(
            area.estimate_text_size(family, &label_style)
                .map_err(err)?
                .0,
        );
    }
    let count = chart.families.len();
    let keys: Vec<f64> = (0..count).map(|i| i as f64).collect();
    let mut plot = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(longest + 24)
        .y_label_area_size(64)
        .build_cartesian_2d(Ticked::new(-0.5..count as f64 - 0.5, keys), percent_axis())
        .map_err(err)?;
    plot.configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .y_label_style(label_style.clone())
        .y_desc("success (judged episodes)")
        .axis_desc_style(label_style.clone())
        .draw()
        .map_err(err)?;
    // plotters centres a rotated x label on its tick, across the axis; these hang below
    // it instead, reading upwards and ending at the tick.
    let hanging = label_style
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Right, VPos::Center));
    let base = area.get_base_pixel();
    for (index, family) in chart.families.iter().enumerate() {
        let (x, y) = plot.backend_coord(&(index as f64, 0.0));
        let at = (x - base.0, y - base.1 + 8);
        area.draw(&Text::new(family.clone(), at, hanging.clone()))
            .map_err(err)?;
    }
    let slot = 0.8 / chart.series.len() as f64;
    let left = |family: usize, series: usize| family as f64 - 0.4 + slot * series as f64;
    plot.draw_series(chart.bars.iter().map(|&(family, series, e)| {
        let x = left(family, series);
        Rectangle::new(
            [(x + 0.08 * slot, 0.0), (x + 0.92 * slot, e.rate)],
            color(series).filled(),
        )
    }))
    .map_err(err)?;
    // A line at each bar's top, so that a 0% bar shows as drawn rather than missing.
    plot.draw_series(chart.bars.iter().map(|&(family, series, e)| {
        let x = left(family, series);
        PathElement::new(
            vec![(x + 0.08 * slot, e.rate), (x + 0.92 * slot, e.rate)],
            color(series).stroke_width(3),
        )
    }))
    .map_err(err)?;
    plot.draw_series(chart.bars.iter().flat_map(|&(family, series, e)| {
        let center = left(family, series) + 0.5 * slot;
        whisker(center, 0.2 * slot, e, BLACK)
    }))
    .map_err(err)?;
    area.present().map_err(err)
}

/// An interval as a vertical line with caps `half_width` either side of `x`.
fn whisker(x: f64, half_width: f64, e: Estimate, color: RGBColor) -> [PathElement<(f64, f64)>; 3] {
    let style = color.stroke_width(2);
    [
        PathElement::new(vec![(x, e.low), (x, e.high)], style),
        PathElement::new(
            vec![(x - half_width, e.low), (x + half_width, e.low)],
            style,
        ),
        PathElement::new(
            vec![(x - half_width, e.high), (x + half_width, e.high)],
            style,
        ),
    ]
}

/// Lines with a marker at each x, and each point's interval; series are nudged apart a
/// little so their whiskers do not hide each other.
fn draw_curve<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &CurveChart,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let label_style = text_style(TEXT_PX);
    let first = f64::from(*chart.xs.first().unwrap_or(&1));
    let last = f64::from(*chart.xs.last().unwrap_or(&1));
    let pad = ((last - first) * 0.06).max(0.5);
    let keys: Vec<f64> = chart.xs.iter().map(|&x| f64::from(x)).collect();
    let mut plot = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(Ticked::new(first - pad..last + pad, keys), percent_axis())
        .map_err(err)?;
    plot.configure_mesh()
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style(label_style.clone())
        .x_desc(chart.x_desc.as_str())
        .y_desc("success (judged episodes)")
        .axis_desc_style(label_style)
        .draw()
        .map_err(err)?;
    let nudge = (last - first + 2.0 * pad) * 0.01;
    let middle = (chart.series.len() as f64 - 1.0) / 2.0;
    for (index, line) in chart.lines.iter().enumerate() {
        let shift = (index as f64 - middle) * nudge;
        let points: Vec<(f64, f64)> = line
            .iter()
            .map(|&(x, e)| (f64::from(x) + shift, e.rate))
            .collect();
        plot.draw_series(LineSeries::new(
            points.clone(),
            color(index).stroke_width(2),
        ))
        .map_err(err)?;
        plot.draw_series(
            points
                .iter()
                .map(|&p| Circle::new(p, 4, color(index).filled())),
        )
        .map_err(err)?;
        plot.draw_series(
            line.iter()
                .flat_map(|&(x, e)| whisker(f64::from(x) + shift, nudge, e, color(index))),
        )
        .map_err(err)?;
    }
    area.present().map_err(err)
}

/// Draws `chart` into `stem.png` and `stem.svg`.
pub(super) fn write_chart(chart: &Chart, stem: &Path) -> Result<[PathBuf; 2], PlotError> {
    let png = stem.with_extension("png");
    let svg = stem.with_extension("svg");
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |message: String| PlotError { path, message }
    };
    font().map_err(fail(&png))?;
    let (width, height) = chart.size();

    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        chart.draw(&root).map_err(fail(&png))?;
    }
    image::save_buffer(&png, &pixels, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| fail(&png)(e.to_string()))?;

    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (width, height)).into_drawing_area();
        chart.draw(&root).map_err(fail(&svg))?;
    }
    std::fs::write(&svg, text).map_err(|e| fail(&svg)(e.to_string()))?;
    Ok([png, svg])
}
