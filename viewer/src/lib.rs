//! wand-viewer: a window onto a recording or a live run of wand's simulated arm, drawn
//! with bevy; and the same picture without any display, for papers, slides and CI.
//!
//! Everything it draws is a recording ([`wand_sim::Recording`], docs/RECORDINGS.md):
//! a file (`wand replay FILE`), or the lines a live run streams into its stdin
//! (`wand run --view`, `wand view --scene`). It builds the recording's world (table, arm,
//! blocks, bowls) once, from the header, draws every collider of it as a mesh, and poses
//! it from the frames with [`wand_sim::World::show`]: it never steps physics.
//!
//! Start reading at [`show`].

pub mod feed; // where the recording comes from: a file, or a live run's stdin, line by line
pub mod orbit; // the orbit camera: drag to turn, right-drag to pan, scroll to zoom, R resets
pub mod panel; // the egui side panel: program and current line, attempts, said, transport
pub mod stage; // the recording's world as bevy meshes, posed from the frame at the moment

use anyhow::Context;
use bevy::app::{AppExit, ScheduleRunnerPlugin};
use bevy::prelude::*;
use bevy::render::RenderPlugin;
use bevy::render::settings::{Backends, WgpuSettings};
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::window::{ExitCondition, WindowResolution};
use bevy::winit::WinitPlugin;
use bevy_egui::EguiPlugin;
use std::path::PathBuf;
use std::time::Duration;

/// What to show and how.
#[derive(Debug, Clone)]
pub struct Show {
    pub feed: feed::Source,
    /// `None`: a window. `Some`: one picture to this PNG file, without any display.
    pub screenshot: Option<PathBuf>,
    /// The moment of the screenshot or where the window starts, seconds on the one clock
    /// over all attempts; `None`: the end.
    pub at_s: Option<f64>,
    /// Window or picture size, pixels.
    pub size: (u32, u32),
}

/// The graphics backends to try: `WGPU_BACKEND` if set; on Linux, Vulkan (which Mesa's
/// lavapipe provides on machines without a GPU, windowed under Xvfb and headless; its
/// OpenGL backend fails there); elsewhere, any.
fn backends() -> Backends {
    Backends::from_env().unwrap_or(if cfg!(target_os = "linux") {
        Backends::VULKAN
    } else {
        Backends::all()
    })
}

/// Frames a screenshot waits after the recording is in, so meshes and shadow maps are
/// ready (pipelines compile synchronously, but assets load over a few frames).
const SETTLE_FRAMES: u32 = 12;

/// Shows a recording: a window until it is closed, or a PNG without any display.
pub fn show(options: Show) -> anyhow::Result<()> {
    let recording = options.feed.open()?;
    let mut app = App::new();
    let render = RenderPlugin {
        render_creation: WgpuSettings {
            backends: Some(backends()),
            ..default()
        }
        .into(),
        // On a software renderer the first frames come out empty otherwise.
        synchronous_pipeline_compilation: true,
        ..default()
    };
    let (width, height) = options.size;
    match &options.screenshot {
        None => {
            let window = Window {
                title: format!("wand — {}", recording.title()),
                resolution: WindowResolution::new(width, height),
                ..default()
            };
            app.add_plugins(
                DefaultPlugins
                    .set(WindowPlugin {
                        primary_window: Some(window),
                        ..default()
                    })
                    .set(render),
            );
        }
        Some(_) => {
            app.add_plugins(
                DefaultPlugins
                    .set(WindowPlugin {
                        primary_window: None,
                        exit_condition: ExitCondition::DontExit,
                        ..default()
                    })
                    .set(render)
                    .disable::<WinitPlugin>(),
            )
            .add_plugins(ScheduleRunnerPlugin::run_loop(Duration::from_millis(5)));
        }
    }
    app.add_plugins(EguiPlugin::default())
        .insert_resource(ClearColor(Color::srgb(0.80, 0.83, 0.87)))
        .insert_resource(recording)
        .insert_resource(stage::Start {
            at_s: options.at_s,
            target: match &options.screenshot {
                None => stage::Target::Window,
                Some(_) => stage::Target::Image { width, height },
            },
        })
        .add_plugins((stage::StagePlugin, orbit::OrbitPlugin, panel::PanelPlugin));
    if let Some(path) = options.screenshot.clone() {
        app.insert_resource(Shot {
            path,
            frames_left: SETTLE_FRAMES,
            taken: false,
        })
        .add_systems(Update, take_screenshot);
    }
    let exit = app.run();
    match exit {
        AppExit::Success => Ok(()),
        AppExit::Error(code) => Err(anyhow::anyhow!("the viewer stopped with code {code}")),
    }
    .context("wand-viewer")
}

/// A screenshot to take once the scene has settled.
#[derive(Resource)]
struct Shot {
    path: PathBuf,
    frames_left: u32,
    taken: bool,
}

fn take_screenshot(
    mut commands: Commands,
    mut shot: ResMut<Shot>,
    target: Option<Res<stage::ImageTarget>>,
    feed: Res<feed::Feed>,
) {
    let Some(target) = target else { return };
    // A live feed is pictured once it has ended (`wand view` streams one frame and ends).
    if shot.taken || !feed.ended() {
        return;
    }
    if shot.frames_left > 0 {
        shot.frames_left -= 1;
        return;
    }
    shot.taken = true;
    let path = shot.path.clone();
    commands.spawn(Screenshot::image(target.0.clone())).observe(
        move |captured: On<ScreenshotCaptured>, mut exit: MessageWriter<AppExit>| {
            let saved = captured
                .image
                .clone()
                .try_into_dynamic()
                .map_err(|e| e.to_string())
                .and_then(|image| image.to_rgb8().save(&path).map_err(|e| e.to_string()));
            match saved {
                Ok(()) => {
                    exit.write(AppExit::Success);
                }
                Err(e) => {
                    error!("cannot write {}: {e}", path.display());
                    exit.write(AppExit::error());
                }
            }
        },
    );
}

/// Why no window can open here, if none can: no X or Wayland display to open it on.
pub fn no_display() -> Option<String> {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        None
    } else {
        Some(
            "no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set): \
             use --screenshot OUT.png for a picture without one, or run under xvfb-run"
                .into(),
        )
    }
}
