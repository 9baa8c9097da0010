//! `wand-viewer`: a window onto a wand recording (or a live run on stdin), or a PNG of
//! one without any display. `wand replay`, `wand view` and `--view` start it; see
//! `wand-viewer --help`.

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use wand_viewer::{Show, feed::Source};

/// Watch a wand recording in a window (orbit camera, program and attempts beside it),
/// or picture it without a display.
#[derive(Debug, Parser)]
#[command(name = "wand-viewer", version)]
struct Args {
    /// A recording (`wand script/run --record FILE`), or `-` for one streamed on stdin
    /// as a run goes (what `--view` does).
    #[arg(value_name = "FILE")]
    recording: String,
    /// Write one picture to this PNG instead of opening a window; needs no display.
    #[arg(long, value_name = "OUT.png")]
    screenshot: Option<PathBuf>,
    /// The moment to show, seconds of simulated time on one clock over all attempts
    /// (default: the end).
    #[arg(long, value_name = "SECONDS")]
    at: Option<f64>,
    /// Window or picture size, WIDTHxHEIGHT in pixels.
    #[arg(long, value_name = "WxH", default_value = "1280x800", value_parser = wand_sim::replay::parse_size)]
    size: (u32, u32),
}

fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(at) = args.at
        && !(at >= 0.0 && at.is_finite())
    {
        eprintln!("wand-viewer: --at must be 0 or more seconds, got {at}");
        return ExitCode::from(2);
    }
    if args.screenshot.is_none()
        && let Some(why) = wand_viewer::no_display()
    {
        eprintln!("wand-viewer: {why}");
        return ExitCode::from(3);
    }
    let show = Show {
        feed: Source::from_arg(&args.recording),
        screenshot: args.screenshot,
        at_s: args.at,
        size: args.size,
    };
    match wand_viewer::show(show) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wand-viewer: {e:#}");
            ExitCode::from(2)
        }
    }
}
