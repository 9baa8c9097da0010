//! `wand replay FILE`: a recording (`--record`) as pictures — an animated GIF through
//! the scene's raycast camera. The world is posed from the recording's frames, never
//! stepped, so a replay does not depend on physics.

use super::{EXIT_OK, InputError};
use std::path::PathBuf;
use std::process::ExitCode;
use wand_sim::Recording;
use wand_sim::replay::Replay;
use wand_sim::world::WorldConfig;

/// Arguments of `wand replay`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A recording written by `wand script --record` or `wand run --record`.
    #[arg(value_name = "FILE")]
    recording: PathBuf,
    /// Write an animated GIF of the whole run (every attempt) to this file.
    #[arg(long, value_name = "OUT.gif")]
    gif: Option<PathBuf>,
    /// Pictures per second of simulated time in the GIF (it plays in real time).
    #[arg(long, default_value_t = 15.0)]
    fps: f64,
    /// Picture size, WIDTHxHEIGHT in pixels.
    #[arg(long, value_name = "WxH", default_value = "640x480", value_parser = parse_size)]
    size: (u32, u32),
}

/// "640x480" → (640, 480).
pub fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let parsed = text
        .split_once(['x', 'X'])
        .and_then(|(w, h)| Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((w, h)) if (16..=4096).contains(&w) && (16..=4096).contains(&h) => Ok((w, h)),
        _ => Err(format!(
            "'{text}' is not a size: give WIDTHxHEIGHT in pixels, each 16 to 4096, e.g. 640x480"
        )),
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
    let Some(gif) = &args.gif else {
        return Err(InputError(
            "nothing to do: give --gif OUT.gif for an animation of the run (a window to \
             watch it in comes with the viewer)"
                .into(),
        )
        .into());
    };
    super::script::check_writable(gif)?;
    let recording = Recording::load(&args.recording).map_err(|e| InputError(e.to_string()))?;
    let mut camera = recording.header.camera.clone();
    (camera.width_px, camera.height_px) = args.size;
    let mut replay = Replay::new(&recording, WorldConfig::default(), camera)
        .map_err(|e| InputError(format!("{}: {e}", args.recording.display())))?;
    let pictures = replay
        .write_gif(gif, args.fps)
        .map_err(|e| InputError(format!("{}: {e}", args.recording.display())))?;
    let seconds: f64 = recording.attempts.iter().map(|a| a.duration_s()).sum();
    eprintln!(
        "wrote {} ({pictures} pictures, {} attempt(s), {seconds:.1} s simulated)",
        gif.display(),
        recording.attempts.len()
    );
    Ok(ExitCode::from(EXIT_OK))
}
