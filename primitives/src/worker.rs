//! Worker processes: each episode (interpreter + simulation) runs in a child process, so
//! a program that exhausts memory — which can abort the whole process inside monty's
//! allocator — becomes a clear MemoryError in the parent's result, never a crash of
//! `wand`. The child is the same binary started with [`WORKER_ARG`]; request and result
//! travel as JSON over its stdin and stdout.
//!
//! The parent also keeps the program's wall-clock limit from outside: the worker says on
//! stdout when the program starts and when it stops ([`STARTED`], [`ENDED`] lines before
//! the JSON result), and a program still running [`PROGRAM_GRACE`] after its limit is
//! killed — also one stuck in a single long builtin call (`10 ** 10 ** 8`), which the
//! interpreter's own clock cannot interrupt.
//!
//! A watched episode ([`run_in_worker_watched`], started with [`WATCHED_ARG`]) also
//! sends each frame as the world keeps it and each event (the line running, what was
//! printed and said) as it happens ([`WATCHED`] lines: a recording's lines), for a live
//! viewer; the watcher can stop the run, which kills the worker at once.

use crate::episode::{self, EpisodeRequest, EpisodeResult, Watcher};
use crate::limits::Limits;
use crate::runtime::ProgramError;
use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};
use wand_sim::recording::Line;

/// The hidden argument that makes the `wand` binary serve one episode as a worker.
pub const WORKER_ARG: &str = "__worker";

/// The line a worker writes when the program starts.
pub const STARTED: &str = "wand-worker: program started";
/// The line a worker writes when the program has stopped.
pub const ENDED: &str = "wand-worker: program ended";
/// The start of a line with one recording line (JSON: a frame or an event) of a watched
/// episode.
pub const WATCHED: &str = "wand-worker: watched ";
/// The argument after [`WORKER_ARG`] that makes a worker send its frames and events as
/// they happen ([`WATCHED`] lines), for someone watching the run live.
pub const WATCHED_ARG: &str = "--watched";

/// Time a worker gets to start up and build the scene, before the program starts.
const SETUP_GRACE: Duration = Duration::from_secs(30);
/// Time a program gets beyond its wall-clock limit before its worker is killed.
pub const PROGRAM_GRACE: Duration = Duration::from_secs(1);
/// Time a worker gets after the program: the task's check (at most 2 s), the picture,
/// writing the result.
const REPORT_GRACE: Duration = Duration::from_secs(15);

/// What the parent hears from a worker's stdout.
enum Heard {
    Started,
    Ended,
    /// A frame or an event of a watched episode.
    Watched(Line),
    /// Everything else it wrote, at the end: the result.
    Result(String),
}

/// Serves one request from stdin and writes its result to stdout. Called by the binary
/// when started with [`WORKER_ARG`]; `arm_memory` sets the process-wide memory limit.
pub fn serve(arm_memory: impl FnOnce(&Limits)) -> std::io::Result<()> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let request: EpisodeRequest = serde_json::from_str(&input)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let say = |line: &str| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    };
    let arm = |limits: &Limits| {
        arm_memory(limits);
        say(STARTED);
    };
    // A watched episode's frames and events go out as they happen, one line each.
    let watched = std::env::args().any(|a| a == WATCHED_ARG);
    let watcher = watched.then(|| {
        Watcher::new(|line: Line| {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{WATCHED}{}", line.to_text());
            let _ = out.flush();
        })
    });
    let result = episode::run_episode_watched(&request, arm, || say(ENDED), watcher);
    let text = serde_json::to_string(&result).map_err(std::io::Error::other)?;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Runs `request` in a worker process started from `exe` (normally the current
/// executable) and returns its result; a worker that dies or hangs becomes an error in
/// the result.
pub fn run_in_worker(exe: &Path, request: &EpisodeRequest) -> EpisodeResult {
    run_worker(exe, request, None)
}

/// What a watcher of an episode wants after a frame or an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watch {
    /// Go on.
    Go,
    /// Stop the run now (the viewer's window was closed).
    Stop,
}

/// [`run_in_worker`], handing `on_line` each frame as the worker keeps it (30 per
/// simulated second, the first at the start and the last at the end) and each event
/// (line, print, say) as it happens, as recording lines. When it answers
/// [`Watch::Stop`] the worker is killed at once and the result is a
/// `KeyboardInterrupt` ([`EpisodeResult::interrupted`]), as for a run interrupted by hand.
pub fn run_in_worker_watched(
    exe: &Path,
    request: &EpisodeRequest,
    on_line: &mut dyn FnMut(Line) -> Watch,
) -> EpisodeResult {
    run_worker(exe, request, Some(on_line))
}

fn run_worker(
    exe: &Path,
    request: &EpisodeRequest,
    mut on_line: Option<&mut dyn FnMut(Line) -> Watch>,
) -> EpisodeResult {
    let started = Instant::now();
    let failed = |kind: &str, message: String| {
        let error = ProgramError::new(kind, message, None, "");
        EpisodeResult::failed(request, error, started.elapsed().as_secs_f64())
    };
    let mut command = Command::new(exe);
    command.arg(WORKER_ARG);
    if on_line.is_some() {
        command.arg(WATCHED_ARG);
    }
    let mut child = match command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            return failed(
                "RuntimeError",
                format!("could not start a worker process: {e}"),
            );
        }
    };
    let payload = serde_json::to_vec(request).expect("requests serialize");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&payload));
    let stdout = child.stdout.take().expect("piped stdout");
    let (heard, hear) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = std::io::BufReader::new(stdout);
        let mut rest = String::new();
        loop {
            let mut line = String::new();
            match lines.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => match line.trim_end() {
                    STARTED => drop(heard.send(Heard::Started)),
                    ENDED => drop(heard.send(Heard::Ended)),
                    text => match text
                        .strip_prefix(WATCHED)
                        .and_then(|json| serde_json::from_str::<Line>(json).ok())
                    {
                        Some(watched) => drop(heard.send(Heard::Watched(watched))),
                        None => rest.push_str(&line),
                    },
                },
            }
        }
        let _ = heard.send(Heard::Result(rest));
    });
    let limit = Duration::from_secs_f64(request.limits.timeout_s);
    let mut deadline = started + SETUP_GRACE;
    let mut program_running = false;
    let mut stopped = false;
    let mut text = String::new();
    let status = loop {
        match hear.recv_timeout(Duration::from_millis(2)) {
            Ok(Heard::Started) => {
                program_running = true;
                deadline = Instant::now() + limit + PROGRAM_GRACE;
            }
            Ok(Heard::Ended) => {
                program_running = false;
                deadline = Instant::now() + REPORT_GRACE;
            }
            Ok(Heard::Watched(line)) => {
                if let Some(watch) = &mut on_line
                    && watch(line) == Watch::Stop
                {
                    let _ = child.kill();
                    let _ = child.wait();
                    stopped = true;
                    break None;
                }
            }
            Ok(Heard::Result(rest)) => text = rest,
            Err(_) => {}
        }
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => {}
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let _ = reader.join();
    // The result (and the last frames) may arrive just after the exit is seen.
    while let Ok(message) = hear.try_recv() {
        match message {
            Heard::Result(rest) => text = rest,
            Heard::Watched(line) if !stopped => {
                if let Some(watch) = &mut on_line {
                    watch(line);
                }
            }
            _ => {}
        }
    }
    if stopped {
        return EpisodeResult::interrupted_result(request, started.elapsed().as_secs_f64());
    }
    let Some(status) = status else {
        let message = if program_running {
            format!(
                "the program ran longer than its limit of {:.0} s and was stopped (a single \
                 long computation, such as a huge power, cannot be interrupted from inside)",
                request.limits.timeout_s
            )
        } else {
            "the worker running the program did not finish (setting up the scene or \
             checking the result took too long) and was stopped"
                .to_string()
        };
        return failed("TimeoutError", message);
    };
    if status.success()
        && let Ok(result) = serde_json::from_str::<EpisodeResult>(&text)
    {
        return result;
    }
    match death(status) {
        Death::OutOfMemory => failed(
            "MemoryError",
            format!(
                "the program used more than its memory limit of {} MB and was stopped",
                request.limits.memory_mb
            ),
        ),
        Death::Other(how) => failed(
            "RuntimeError",
            format!("the worker process running the program died ({how})"),
        ),
    }
}

enum Death {
    OutOfMemory,
    Other(String),
}

/// How a worker ended: monty's allocator exits with its OOM code (or aborts).
fn death(status: ExitStatus) -> Death {
    if status.code() == Some(monty_types::OOM_EXIT_CODE) {
        return Death::OutOfMemory;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if status.signal() == Some(6) {
            return Death::OutOfMemory;
        }
        if let Some(signal) = status.signal() {
            return Death::Other(format!("signal {signal}"));
        }
    }
    Death::Other(format!("exit status {status}"))
}
