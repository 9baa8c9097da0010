//! `wand render`: a scene's world for a seed, seen from the scene's camera, as PNG files.
//!
//! Nothing is stepped: the picture shows the world as the seed lays it out, before an
//! episode starts. The written paths go to stderr, one line each.

use super::InputError;
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wand_sim::Scene;
use wand_sim::camera::{Camera, Images, RaycastCamera};

/// Arguments of `wand render`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    at: super::SceneArgs,
    /// Where to write the RGB image (PNG).
    #[arg(long, value_name = "FILE.png")]
    out: PathBuf,
    /// Also write depth: 16-bit grayscale PNG, millimeters along the optical axis, 0 = nothing hit.
    #[arg(long, value_name = "FILE.png")]
    depth: Option<PathBuf>,
    /// Also write segmentation: a PNG with one color per object (black: nothing, dark
    /// gray: table, light gray: robot).
    #[arg(long, value_name = "FILE.png")]
    seg: Option<PathBuf>,
    /// Image width in pixels (default: the scene camera's). Given alone, the height
    /// follows the camera's aspect ratio.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16384))]
    width: Option<u32>,
    /// Image height in pixels (default: the scene camera's). The vertical field of view
    /// stays the camera's, so another aspect ratio shows more or less at the sides.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=16384))]
    height: Option<u32>,
}

/// Renders the scene and writes the requested images.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let outputs = outputs(&args);
    for (_, path) in &outputs {
        check_writable(path)?;
    }
    let scene = Scene::load(&args.at.scene)?;
    let world = scene.build(args.at.seed).with_context(|| {
        format!(
            "cannot build scene '{}' for seed {}",
            scene.name, args.at.seed
        )
    })?;
    let mut spec = scene.camera.clone();
    let (w, h) = (spec.width_px, spec.height_px);
    (spec.width_px, spec.height_px) = match (args.width, args.height) {
        (None, None) => (w, h),
        (Some(width), None) => (width, scaled(width, h, w)),
        (None, Some(height)) => (scaled(height, w, h), height),
        (Some(width), Some(height)) => (width, height),
    };
    let camera = RaycastCamera::new(spec)
        .with_context(|| format!("the camera of scene '{}' ({})", scene.name, scene.source))?;
    let start = std::time::Instant::now();
    let images = camera.render(&world);
    tracing::debug!(ms = start.elapsed().as_secs_f64() * 1000.0, "rendered");
    for (kind, path) in outputs {
        save(&images, kind, path)?;
        eprintln!(
            "wrote {} {}×{} to {}",
            kind.label(),
            images.width,
            images.height,
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `length × num / den`, rounded, at least 1: the other side at the camera's aspect ratio.
fn scaled(length: u32, num: u32, den: u32) -> u32 {
    ((u64::from(length) * u64::from(num) + u64::from(den) / 2) / u64::from(den)).max(1) as u32
}

#[derive(Debug, Clone, Copy)]
enum Output {
    Rgb,
    Depth,
    Segmentation,
}

impl Output {
    fn label(self) -> &'static str {
        match self {
            Output::Rgb => "RGB",
            Output::Depth => "depth",
            Output::Segmentation => "segmentation",
        }
    }
}

fn outputs(args: &Args) -> Vec<(Output, &Path)> {
    let mut outputs = vec![(Output::Rgb, args.out.as_path())];
    outputs.extend(args.depth.as_deref().map(|p| (Output::Depth, p)));
    outputs.extend(args.seg.as_deref().map(|p| (Output::Segmentation, p)));
    outputs
}

/// Fails before any work is done if an output's folder does not exist.
fn check_writable(path: &Path) -> anyhow::Result<()> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = parent.filter(|dir| !dir.is_dir()) {
        return Err(InputError(format!(
            "cannot write '{}': the folder '{}' does not exist; create it or choose another path",
            path.display(),
            dir.display()
        ))
        .into());
    }
    Ok(())
}

fn save(images: &Images, kind: Output, path: &Path) -> anyhow::Result<()> {
    match kind {
        Output::Rgb => images.save_rgb(path),
        Output::Depth => images.save_depth(path),
        Output::Segmentation => images.save_segmentation(path),
    }
    .with_context(|| {
        format!(
            "cannot write the {} image to '{}'",
            kind.label(),
            path.display()
        )
    })
}
