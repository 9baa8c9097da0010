//! The viewer window: `wand-viewer`, a separate program (bevy is heavy; wand builds and
//! runs without it), found next to `wand` or on PATH. `wand replay` and `wand view` hand
//! it a recording; `--view` streams a run to it live, as recording lines on its stdin
//! ([`LiveView`]): closing the window stops the run.

use super::InputError;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use wand_primitives::episode::{EpisodeRequest, EpisodeResult};
use wand_primitives::worker::{self, Watch};
use wand_sim::recording::{Header, Line};

/// The viewer program's name.
const VIEWER: &str = "wand-viewer";

/// How to get the viewer, for the message when it is missing.
const BUILD_IT: &str = "build it with `cargo build --release -p wand-viewer` (bevy: about 15 \
                        minutes the first time) and keep it next to wand or on PATH; \
                        README's \"Viewer\" section lists the system packages it needs";

/// The viewer program: next to this executable (a cargo build puts both in one folder),
/// else the first on PATH.
pub fn viewer_exe() -> Result<PathBuf, InputError> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(VIEWER)))
        .filter(|path| path.is_file());
    let on_path = || {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(VIEWER))
                .find(|path| path.is_file())
        })
    };
    beside
        .or_else(on_path)
        .ok_or_else(|| InputError(format!("{VIEWER} is not installed: {BUILD_IT}")))
}

/// Why no window can open here, if none can (no X or Wayland display).
pub fn no_display() -> Option<&'static str> {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    (!set("DISPLAY") && !set("WAYLAND_DISPLAY"))
        .then_some("no display (neither DISPLAY nor WAYLAND_DISPLAY is set)")
}

/// A window showing a run as it goes: the viewer reading recording lines on its stdin.
pub struct LiveView {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Programs run so far (each a new attempt in the window).
    runs: u32,
}

impl LiveView {
    /// Opens a window on the run `header` describes; `None` (said in one line on stderr)
    /// when no window can open here: the run goes on headless.
    pub fn open(header: &Header) -> Option<LiveView> {
        let headless = |why: &str| {
            eprintln!("--view: {why}; the run goes on without a window");
            None
        };
        if let Some(why) = no_display() {
            return headless(why);
        }
        let exe = match viewer_exe() {
            Ok(exe) => exe,
            Err(e) => return headless(&e.0),
        };
        let child = Command::new(&exe)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(e) => return headless(&format!("cannot start {}: {e}", exe.display())),
        };
        let stdin = child.stdin.take();
        let mut view = LiveView {
            child,
            stdin,
            runs: 0,
        };
        view.write(&header.to_text());
        Some(view)
    }

    /// Whether the window is still open.
    pub fn open_still(&mut self) -> bool {
        self.stdin.is_some() && matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends one line; a window that was closed takes no more.
    fn write(&mut self, text: &str) -> Watch {
        let Some(stdin) = &mut self.stdin else {
            return Watch::Stop;
        };
        match writeln!(stdin, "{text}").and_then(|()| stdin.flush()) {
            Ok(()) => Watch::Go,
            Err(_) => {
                self.stdin = None;
                Watch::Stop
            }
        }
    }

    /// Runs `request` in a watched worker, showing it as the next attempt; closing the
    /// window stops it (an interrupted result, [`EpisodeResult::interrupted`]).
    pub fn run(&mut self, exe: &Path, request: &EpisodeRequest) -> EpisodeResult {
        self.runs += 1;
        let start = Line::Attempt {
            number: self.runs,
            program: request.program.clone(),
        };
        if !self.open_still() || self.write(&start.to_text()) == Watch::Stop {
            return EpisodeResult::interrupted_result(request, 0.0);
        }
        let result =
            worker::run_in_worker_watched(exe, request, &mut |line| self.write(&line.to_text()));
        if !result.interrupted() {
            self.write(&Line::End(result.outcome()).to_text());
        }
        result
    }

    /// After the run: the window stays until it is closed (said on stderr).
    pub fn wait(mut self) {
        self.stdin = None; // the viewer sees the run has ended
        if matches!(self.child.try_wait(), Ok(None)) {
            eprintln!("the run has ended; close the viewer's window to exit");
        }
        let _ = self.child.wait();
    }
}
