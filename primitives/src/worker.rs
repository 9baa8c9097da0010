//! Worker processes: each episode (interpreter + simulation) runs in a child process, so
//! a program that exhausts memory — which can abort the whole process inside monty's
//! allocator — becomes a clear MemoryError in the parent's result, never a crash of
//! `wand`. The child is the same binary started with [`WORKER_ARG`]; request and result
//! travel as JSON over its stdin and stdout.

use crate::episode::{self, EpisodeRequest, EpisodeResult};
use crate::limits::Limits;
use crate::runtime::ProgramError;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The hidden argument that makes the `wand` binary serve one episode as a worker.
pub const WORKER_ARG: &str = "__worker";

/// Time a worker gets beyond the program's own wall-clock limit: building the scene,
/// rendering the final image, and starting up.
const WORKER_GRACE: Duration = Duration::from_secs(30);

/// Serves one request from stdin and writes its result to stdout. Called by the binary
/// when started with [`WORKER_ARG`]; `arm_memory` sets the process-wide memory limit.
pub fn serve(arm_memory: impl FnOnce(&Limits)) -> std::io::Result<()> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let request: EpisodeRequest = serde_json::from_str(&input)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let result = episode::run_episode(&request, arm_memory);
    let text = serde_json::to_string(&result).map_err(std::io::Error::other)?;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Runs `request` in a worker process started from `exe` (normally the current
/// executable) and returns its result; a worker that dies or hangs becomes an error in
/// the result.
pub fn run_in_worker(exe: &Path, request: &EpisodeRequest) -> EpisodeResult {
    let started = Instant::now();
    let failed = |kind: &str, message: String| {
        let error = ProgramError::new(kind, message, None, "");
        EpisodeResult::failed(request, error, started.elapsed().as_secs_f64())
    };
    let mut child = match Command::new(exe)
        .arg(WORKER_ARG)
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
    let mut stdout = child.stdout.take().expect("piped stdout");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let deadline = Duration::from_secs_f64(request.limits.timeout_s) + WORKER_GRACE;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let _ = writer.join();
    let text = reader.join().ok().and_then(Result::ok).unwrap_or_default();
    let Some(status) = status else {
        return failed(
            "TimeoutError",
            format!(
                "the program ran longer than its limit of {:.0} s and was stopped",
                request.limits.timeout_s
            ),
        );
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
