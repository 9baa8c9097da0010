//! The viewer (`wand-viewer`, started by `wand replay`, `wand view` and `--view`):
//! pictures without any display, a live window under Xvfb that is closed halfway through
//! a run (the run stops: exit 130, no hang), and what happens without a display.
//!
//! These need the viewer built next to wand (`cargo test --workspace` builds it) and,
//! for the window, Xvfb and Mesa's Vulkan drivers (`scripts/setup.sh` installs them).

mod common;
#[path = "../agent/tests/fake_server/mod.rs"]
mod fake_server;

use common::{ok, scratch};
use fake_server::{FakeServer, Reply};
use image::RgbImage;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, Window};
use x11rb::rust_connection::RustConnection;

fn wand_exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_wand"))
}

/// The viewer, which `cargo test --workspace` builds beside wand.
fn viewer_exe() -> PathBuf {
    let path = wand_exe().with_file_name("wand-viewer");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo test --workspace` (or `cargo build -p wand-viewer`) first",
        path.display()
    );
    path
}

/// `wand ARGS` with no display at all.
fn wand_headless(args: &[&str]) -> Output {
    viewer_exe();
    Command::new(wand_exe())
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap()
}

fn png(path: &Path) -> RgbImage {
    image::open(path).unwrap().to_rgb8()
}

/// How many pixels of `region` ([x0, y0, x1, y1)) are within `tolerance` of `rgb`.
fn count_near(image: &RgbImage, region: [u32; 4], rgb: [u8; 3], tolerance: i32) -> usize {
    let [x0, y0, x1, y1] = region;
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let p = image.get_pixel(x, y).0;
            if (0..3).all(|i| (p[i] as i32 - rgb[i] as i32).abs() <= tolerance) {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn a_screenshot_of_the_stacking_run_shows_the_panel_and_the_moved_blocks() {
    let dir = scratch("cli-view", "screenshot");
    let file = common::record_stacking(&dir, &[]).0;
    let end = dir.join("end.png");
    let start = dir.join("start.png");
    for (out, at) in [(&end, None), (&start, Some("0"))] {
        let mut args = vec![
            "replay",
            file.to_str().unwrap(),
            "--screenshot",
            out.to_str().unwrap(),
            "--size",
            "1280x800",
        ];
        if let Some(at) = at {
            args.extend(["--at", at]);
        }
        let stderr = ok(&wand_headless(&args));
        assert!(stderr.contains("wrote"), "{stderr}");
    }
    let (end, start) = (png(&end), png(&start));
    assert_eq!(end.dimensions(), (1280, 800));
    // The panel (egui's light theme) on the left: mostly its near-white background,
    // with dark text on it (the program's lines).
    let panel = [0, 0, 400, 800];
    let background = count_near(&end, panel, [248, 248, 248], 8);
    let text = count_near(&end, panel, [60, 60, 60], 50);
    assert!(background > 400 * 800 / 2, "{background} background pixels");
    assert!(text > 500, "{text} text pixels");
    // The scene on the right: not the panel's color, and different at the start and the
    // end (the blocks were stacked).
    let scene = [480, 0, 1280, 800];
    assert!(count_near(&end, scene, [248, 248, 248], 4) < 800 * 800 / 10);
    let changed = (480..1280)
        .flat_map(|x| (0..800).map(move |y| (x, y)))
        .filter(|&(x, y)| end.get_pixel(x, y) != start.get_pixel(x, y))
        .count();
    assert!(
        changed > 2000,
        "{changed} pixels changed between start and end"
    );
}

#[test]
fn wand_view_pictures_a_scene_before_anything_runs() {
    let dir = scratch("cli-view", "scene");
    let out = dir.join("scene.png");
    let stderr = ok(&wand_headless(&[
        "view",
        "--scene",
        "tabletop",
        "--seed",
        "3",
        "--screenshot",
        out.to_str().unwrap(),
        "--size",
        "640x400",
    ]));
    assert!(stderr.contains("wrote"), "{stderr}");
    assert_eq!(png(&out).dimensions(), (640, 400));
}

#[test]
fn without_a_display_view_says_so_in_one_line_and_the_run_goes_on() {
    let dir = scratch("cli-view", "headless");
    let program = dir.join("hello.py");
    std::fs::write(&program, "say('hello')\n").unwrap();
    let out = wand_headless(&["script", "--view", program.to_str().unwrap()]);
    let stderr = ok(&out);
    let about_view: Vec<&str> = stderr.lines().filter(|l| l.contains("--view")).collect();
    assert_eq!(
        about_view,
        [
            "--view: no display (neither DISPLAY nor WAYLAND_DISPLAY is set); the run goes on without a window"
        ],
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("robot says: hello"));
    // A window asked for outright is an input error.
    let rec = common::record_stacking(&dir, &[]).0;
    let out = wand_headless(&["replay", rec.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot open a window: no display"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An X server of its own (Xvfb), stopped when dropped.
struct Xvfb {
    server: Child,
    display: String,
}

impl Xvfb {
    fn start() -> Xvfb {
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is missing: scripts/setup.sh installs it (package xvfb)");
        // Xvfb writes the display number it chose once it is ready.
        let mut number = String::new();
        let mut stdout = server.stdout.take().unwrap();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
            number.push(byte[0] as char);
        }
        assert!(!number.trim().is_empty(), "Xvfb said no display number");
        Xvfb {
            server,
            display: format!(":{}", number.trim()),
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// The top-level window whose title starts with "wand", once it is mapped.
fn find_window(conn: &RustConnection, root: Window) -> Option<Window> {
    let tree = conn.query_tree(root).ok()?.reply().ok()?;
    tree.children.into_iter().find(|&w| {
        conn.get_property(false, w, AtomEnum::WM_NAME, AtomEnum::ANY, 0, 256)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|p| p.value.starts_with(b"wand"))
    })
}

/// Asks the window to close, as a window manager's close button does.
fn close_window(conn: &RustConnection, window: Window) {
    let atom = |name: &[u8]| conn.intern_atom(false, name).unwrap().reply().unwrap().atom;
    let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
    let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
    conn.send_event(false, window, EventMask::NO_EVENT, event)
        .unwrap();
    conn.flush().unwrap();
}

/// Starts `wand ARGS` on the display, waits for its window, lets it draw, closes it, and
/// returns how wand ended (failing after a minute: a hang).
fn close_halfway(args: &[&str]) -> Output {
    viewer_exe();
    let x = Xvfb::start();
    let mut child = Command::new(wand_exe())
        .args(args)
        .env("DISPLAY", &x.display)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (conn, screen) = x11rb::connect(Some(&x.display)).unwrap();
    let root = conn.setup().roots[screen].root;
    let started = Instant::now();
    let window = loop {
        if let Some(w) = find_window(&conn, root) {
            break w;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no window opened"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // Let it draw a few seconds of the run first.
    std::thread::sleep(Duration::from_secs(3));
    close_window(&conn, window);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("wand did not end within a minute of the window closing");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn closing_the_live_window_stops_the_run_cleanly() {
    let dir = scratch("cli-view", "live");
    // A program that would move the arm until its limits (10 minutes): only the window's
    // closing ends it.
    let program = dir.join("forever.py");
    std::fs::write(
        &program,
        "while True:\n    move_to([0.4, 0.2, 0.3])\n    move_to([0.4, -0.2, 0.3])\n",
    )
    .unwrap();
    let out = close_halfway(&[
        "script",
        "--view",
        "--timeout-s",
        "600",
        "--sim-time-s",
        "100000",
        program.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("the run was stopped before the program finished (the window was closed)"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn closing_the_window_after_a_run_ends_keeps_the_runs_verdict() {
    let dir = scratch("cli-view", "run");
    let runs = dir.join("runs");
    let out = close_halfway(&[
        "run",
        "--view",
        "--cache",
        "off",
        "--runs-dir",
        runs.to_str().unwrap(),
        "--scene",
        "tabletop",
        "--seed",
        "3",
        "stack all the blocks",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The builtin planner's run ends before the window is closed; wand waits for it.
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("close the viewer's window to exit"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn closing_the_window_mid_run_stops_the_repair_loop_as_interrupted() {
    let dir = scratch("cli-view", "run-mid");
    let runs = dir.join("runs");
    let forever =
        "```python\nwhile True:\n    move_to([0.4, 0.2, 0.3])\n    move_to([0.4, -0.2, 0.3])\n```";
    let server = FakeServer::start(vec![Reply::openai(forever), Reply::openai(forever)]);
    let out = close_halfway(&[
        "run",
        "--view",
        "--llm",
        "openai:test-model",
        "--base-url",
        &server.openai_url(),
        "--cache",
        "off",
        "--runs-dir",
        runs.to_str().unwrap(),
        "--timeout-s",
        "600",
        "--scene",
        "demo",
        "put the red block in the green bowl",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    let run = std::fs::read_dir(&runs)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let transcript = std::fs::read_to_string(run.join("transcript.jsonl")).unwrap();
    let done: serde_json::Value = serde_json::from_str(transcript.lines().last().unwrap()).unwrap();
    assert_eq!(done["event"], "done", "{done}");
    assert_eq!(done["interrupted"], true, "{done}");
    assert_eq!(done["success"], serde_json::Value::Null, "{done}");
    // No request after the window closed: one per attempt made.
    assert_eq!(
        done["attempts"].as_u64(),
        Some(server.requests().len() as u64),
        "{done}"
    );
    assert!(
        transcript.contains("the window was closed"),
        "the last attempt's error says why it stopped"
    );
}
