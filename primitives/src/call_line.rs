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

/// The 1-based program line of the call `call` suspends at, when it can be told.
pub fn of(call: &FunctionCall, source: &str) -> Option<u32> {
    let state = serde_json::to_value(call).ok()?;
    let snapshot = state.get("snapshot")?;
    let vm = snapshot.get("vm_state")?;
    let offset = vm.get("instruction_ip")?.as_u64()?;
    let frame = vm.get("frames")?.as_array()?.last()?;
    let executor = snapshot.get("executor")?;
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
