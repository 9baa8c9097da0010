//! `wand-viewer` itself: bad input is a clear error before any window or renderer starts,
//! and without a display a window is refused with the way out. (Pictures and windows are
//! tested through wand in tests/cli_view.rs; this test target also makes `cargo test`
//! build the viewer program those tests start.)

use std::process::{Command, Output};

fn viewer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wand-viewer"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_file_that_is_not_a_recording_is_refused_by_name() {
    let dir = std::env::temp_dir().join(format!("wand-viewer-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("notes.txt");
    std::fs::write(&file, "hello\n").unwrap();
    let png = dir.join("out.png");
    let out = viewer(&[
        file.to_str().unwrap(),
        "--screenshot",
        png.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a wand recording"),
        "{}",
        stderr(&out)
    );
    assert!(!png.exists());
    let missing = viewer(&[
        dir.join("gone.rec").to_str().unwrap(),
        "--screenshot",
        "x.png",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read recording"),
        "{}",
        stderr(&missing)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_and_a_missing_display_say_what_to_do() {
    let out = viewer(&["run.rec", "--at=-1", "--screenshot", "x.png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--at must be 0 or more seconds"),
        "{}",
        stderr(&out)
    );
    let out = viewer(&["run.rec", "--size", "10x10"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not a size"), "{}", stderr(&out));
    // A window without a display: refused, with the two ways out.
    let out = viewer(&["run.rec"]);
    assert_eq!(out.status.code(), Some(3));
    let text = stderr(&out);
    assert!(
        text.contains("no display") && text.contains("--screenshot") && text.contains("xvfb-run"),
        "{text}"
    );
}
