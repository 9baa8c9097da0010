//! Which program line a suspended primitive call comes from, for recordings.
//!
//! monty 0.0.23 has no public accessor for the position of a suspended call, but a
//! suspended call serializes (serde) with the interpreter's state: the innermost
//! frame's function, the offset of the call instruction, and each code object's
//! location table (bytecode offset → source byte range). The line is found from those,
//! the way monty itself finds a traceback's line. This costs a serialization of the
//! interpreter state per call (tens of microseconds for a typical program), so it is
//! done only while recording. monty is pinned exactly; `tests/recording.rs` checks the
//! lines of a known program, so an upgrade that changes the layout is noticed.

use monty::FunctionCall;
use serde_json::Value;

/// The 1-based program line of the call `call` suspends at, when it can be told: the
/// innermost frame at or after line `first_line` of `source` (earlier lines are a
/// prelude, such as offered skills, whose calls count at the program line that called
/// into them), counted from `first_line`.
pub fn of(call: &FunctionCall, source: &str, first_line: u32) -> Option<u32> {
    let state = serde_json::to_value(call).ok()?;
    let snapshot = state.get("snapshot")?;
    let vm = snapshot.get("vm_state")?;
    let executor = snapshot.get("executor")?;
    let frames = vm.get("frames")?.as_array()?;
    // Innermost first: the innermost frame is at the call instruction; each outer frame
    // is where it called the frame inside it (kept in that inner frame).
    let mut offset = vm.get("instruction_ip")?.as_u64()?;
    for frame in frames.iter().rev() {
        let line = line_of(executor, frame, offset, source)?;
        if line >= first_line {
            return Some(line - first_line + 1);
        }
        offset = frame.get("call_offset")?.as_u64()?;
    }
    None
}

/// The source line of bytecode `offset` in `frame`'s code.
fn line_of(executor: &Value, frame: &Value, offset: u64, source: &str) -> Option<u32> {
    let code = match frame.get("function_id")? {
        Value::Null => executor.get("module_code")?,
        id => executor
            .get("interns")?
            .get("functions")?
            .get(usize::try_from(id.as_u64()?).ok()?)?
            .get("code")?,
    };
    let start_byte = code
        .get("location_table")?
        .as_array()?
        .iter()
        .filter_map(|entry| {
            let at = entry.get("bytecode_offset")?.as_u64()?;
            let start = entry.get("range")?.get("start_byte")?.as_u64()?;
            Some((at, start))
        })
        .filter(|(at, _)| *at <= offset)
        .max_by_key(|(at, _)| *at)?
        .1;
    let before = source.as_bytes().get(..usize::try_from(start_byte).ok()?)?;
    Some(before.iter().filter(|&&b| b == b'\n').count() as u32 + 1)
}
