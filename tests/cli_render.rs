//! `wand render`: the binary writes PNGs of a scene and refuses bad input with exit code 2.

use std::path::PathBuf;
use std::process::{Command, Output};
use wand_sim::camera::image;

fn wand(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(args)
        .output()
        .expect("the wand binary runs")
}

/// A fresh folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("wand-cli-render-{test}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn renders_the_default_scene_at_the_requested_size() {
    let dir = TempDir::new("default");
    let (rgb, depth, seg) = (
        dir.file("rgb.png"),
        dir.file("depth.png"),
        dir.file("seg.png"),
    );
    let out = wand(&[
        "render", "--scene", "tabletop", "--seed", "3", "--out", &rgb, "--depth", &depth, "--seg",
        &seg, "--width", "200", "--height", "150",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "wand render failed: {stderr}");
    for path in [&rgb, &depth, &seg] {
        assert!(
            stderr.contains(path.as_str()),
            "stderr does not name {path}: {stderr}"
        );
    }

    let image = image::open(&rgb).unwrap().into_rgb8();
    assert_eq!(image.dimensions(), (200, 150));
    let first = image.get_pixel(0, 0);
    assert!(
        image.pixels().any(|p| p != first),
        "the RGB image is a single color"
    );
    assert_eq!(
        image::open(&depth).unwrap().into_luma16().dimensions(),
        (200, 150)
    );
    let seg_image = image::open(&seg).unwrap().into_rgb8();
    let colors: std::collections::HashSet<[u8; 3]> = seg_image.pixels().map(|p| p.0).collect();
    // Sky, table, robot and the 5-9 objects of a tabletop seed (some may hide others).
    assert!(
        colors.len() >= 5,
        "only {} segmentation colors",
        colors.len()
    );
}

#[test]
fn width_alone_keeps_the_cameras_aspect_ratio() {
    let dir = TempDir::new("aspect");
    let rgb = dir.file("rgb.png");
    let out = wand(&["render", "--out", &rgb, "--width", "160"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        image::open(&rgb).unwrap().into_rgb8().dimensions(),
        (160, 120)
    );
}

#[test]
fn an_unknown_scene_exits_2_and_names_it() {
    let dir = TempDir::new("unknown");
    let rgb = dir.file("rgb.png");
    let out = wand(&["render", "--scene", "no-such-scene", "--out", &rgb]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-scene"), "{stderr}");
    assert!(!std::path::Path::new(&rgb).exists());
}

#[test]
fn a_missing_output_folder_exits_2_before_rendering() {
    let dir = TempDir::new("folder");
    let rgb = dir.file("not-there/rgb.png");
    let out = wand(&["render", "--out", &rgb]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}
