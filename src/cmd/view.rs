//! `wand view --scene S --seed N`: a scene as it starts, before anything runs (for
//! checking a scene file), in the viewer's window or as a PNG without any display. Also
//! how `wand replay` hands a recording to the viewer.

use super::window::{no_display, viewer_exe};
use super::{EXIT_OK, InputError};
use anyhow::Context;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use wand_sim::Scene;
use wand_sim::recording::{Attempt, FRAME_HZ, Frame, Header, Recording};
use wand_sim::replay::parse_size;

/// Arguments of `wand view`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: super::SceneArgs,
    /// Write the picture (the scene and the panel) to this PNG instead of opening a
    /// window; needs no display.
    #[arg(long, value_name = "OUT.png")]
    screenshot: Option<PathBuf>,
    /// Window or picture size, WIDTHxHEIGHT in pixels.
    #[arg(long, value_name = "WxH", default_value = super::replay::VIEW_SIZE, value_parser = parse_size)]
    size: (u32, u32),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(png) = &args.screenshot {
        super::script::check_writable(png)?;
    }
    let scene = Scene::load(&args.at.scene)?;
    let mut world = scene.build(args.at.seed)?;
    // The scene as built: a recording of one frame, no program.
    let header = Header::describe(&world, &args.at.scene, args.at.seed, &scene.camera);
    world.record_frames(FRAME_HZ);
    let frames: Vec<Frame> = world.take_frames();
    let recording = Recording {
        header,
        attempts: vec![Attempt {
            number: 1,
            program: String::new(),
            frames,
            events: Vec::new(),
            outcome: Default::default(),
        }],
    };
    let shown = Shown::Text(recording.to_text());
    match &args.screenshot {
        Some(png) => picture(shown, png, Some(0.0), args.size)?,
        None => window(shown, Some(0.0), args.size)?,
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// What the viewer shows: a recording file, or a recording's text (piped to it).
pub enum Shown<'a> {
    File(&'a Path),
    Text(String),
}

/// The viewer's window on `shown`, from `at` seconds; returns when it is closed.
pub fn window(shown: Shown<'_>, at: Option<f64>, size: (u32, u32)) -> anyhow::Result<()> {
    if let Some(why) = no_display() {
        return Err(InputError(format!(
            "cannot open a window: {why}; give --screenshot OUT.png for a picture without \
             one, or run under xvfb-run"
        ))
        .into());
    }
    viewer(shown, at, size, None)
}

/// The viewer's picture of `shown` at `at` (default: the end) in `png`, without any
/// display.
pub fn picture(
    shown: Shown<'_>,
    png: &Path,
    at: Option<f64>,
    size: (u32, u32),
) -> anyhow::Result<()> {
    viewer(shown, at, size, Some(png))?;
    if !png.is_file() {
        anyhow::bail!("the viewer ended without writing {}", png.display());
    }
    eprintln!("wrote {}", png.display());
    Ok(())
}

fn viewer(
    shown: Shown<'_>,
    at: Option<f64>,
    (width, height): (u32, u32),
    png: Option<&Path>,
) -> anyhow::Result<()> {
    let exe = viewer_exe()?;
    let mut command = Command::new(&exe);
    let text = match shown {
        Shown::File(path) => {
            command.arg(path);
            None
        }
        Shown::Text(text) => {
            command.arg("-").stdin(Stdio::piped());
            Some(text)
        }
    };
    command.arg("--size").arg(format!("{width}x{height}"));
    if let Some(at) = at {
        command.arg("--at").arg(at.to_string());
    }
    if let Some(png) = png {
        command.arg("--screenshot").arg(OsString::from(png));
    }
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {}", exe.display()))?;
    if let (Some(text), Some(mut stdin)) = (text, child.stdin.take()) {
        // A window closed early takes no more; that is not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    let status = child.wait()?;
    if !status.success() {
        anyhow::bail!("{} failed ({status})", exe.display());
    }
    Ok(())
}
