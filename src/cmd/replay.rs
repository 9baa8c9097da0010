//! `wand replay FILE`: a recording (`--record`) shown again — in the viewer's window, as
//! a PNG from the viewer without any display (`--screenshot`), or as an animated GIF
//! through the scene's raycast camera (`--gif`). The world is posed from the recording's
//! frames, never stepped, so a replay does not depend on physics.

use super::view::{self, Shown};
use super::{EXIT_OK, InputError};
use std::path::PathBuf;
use std::process::ExitCode;
use wand_sim::Recording;
use wand_sim::replay::{Replay, parse_size};
use wand_sim::world::WorldConfig;

/// The GIF's size unless `--size` says otherwise (the raycast camera's cost grows with it).
const GIF_SIZE: (u32, u32) = (640, 480);
/// The window's and the screenshot's size unless `--size` says otherwise.
pub const VIEW_SIZE: &str = "1280x800";

/// Arguments of `wand replay`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A recording written by `wand script --record` or `wand run --record`.
    #[arg(value_name = "FILE")]
    recording: PathBuf,
    /// Write an animated GIF of the whole run (every attempt) to this file, through the
    /// recording's camera (the raycast camera: fast, no GPU, no display).
    #[arg(long, value_name = "OUT.gif")]
    gif: Option<PathBuf>,
    /// Pictures per second of simulated time in the GIF (it plays in real time).
    #[arg(long, default_value_t = 15.0)]
    fps: f64,
    /// Write the viewer's picture (the scene and the panel with the program) at `--at` to
    /// this PNG, without any display. Without --gif or --screenshot, a window opens.
    #[arg(long, value_name = "OUT.png")]
    screenshot: Option<PathBuf>,
    /// The moment of the screenshot, or where the window starts: seconds of simulated
    /// time on one clock over all attempts (default: the end; a window: the start).
    #[arg(long, value_name = "SECONDS", value_parser = non_negative)]
    at: Option<f64>,
    /// Picture size, WIDTHxHEIGHT in pixels (default: 640x480 for --gif, 1280x800 for
    /// the window and --screenshot).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<(u32, u32)>,
}

/// For clap: seconds, 0 or more.
pub fn non_negative(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x >= 0.0 && x.is_finite() => Ok(x),
        _ => Err(format!("'{text}' is not a number of seconds, 0 or more")),
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if !(args.fps > 0.0 && args.fps <= 60.0) {
        return Err(InputError(format!(
            "--fps must be more than 0 and at most 60, got {}",
            args.fps
        ))
        .into());
    }
    for out in [&args.gif, &args.screenshot].into_iter().flatten() {
        super::script::check_writable(out)?;
    }
    // Checked here, so a bad recording is one clear error whichever way it is shown.
    let recording = Recording::load(&args.recording).map_err(|e| InputError(e.to_string()))?;
    if let Some(gif) = &args.gif {
        write_gif(&recording, &args, gif)?;
    }
    let view_size = args.size.unwrap_or(parse_size(VIEW_SIZE).expect("a size"));
    let shown = || Shown::File(&args.recording);
    if let Some(png) = &args.screenshot {
        view::picture(shown(), png, args.at, view_size)?;
    }
    if args.gif.is_none() && args.screenshot.is_none() {
        view::window(shown(), args.at, view_size)?;
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn write_gif(recording: &Recording, args: &Args, gif: &std::path::Path) -> anyhow::Result<()> {
    let mut camera = recording.header.camera.clone();
    (camera.width_px, camera.height_px) = args.size.unwrap_or(GIF_SIZE);
    let shown = args.recording.display();
    let mut replay = Replay::new(recording, WorldConfig::default(), camera)
        .map_err(|e| InputError(format!("{shown}: {e}")))?;
    let pictures = replay
        .write_gif(gif, args.fps)
        .map_err(|e| InputError(format!("{shown}: {e}")))?;
    let seconds: f64 = recording.attempts.iter().map(|a| a.duration_s()).sum();
    eprintln!(
        "wrote {} ({pictures} pictures, {} attempt(s), {seconds:.1} s simulated)",
        gif.display(),
        recording.attempts.len()
    );
    Ok(())
}
