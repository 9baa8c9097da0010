//! Compiles the shipped task families in: every `scenes/tasks/*.toml` becomes an entry of
//! `SHIPPED` (file name, text), so adding a family is adding a file, with no Rust change.

use std::fs;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it was compiled: a reused target dir may hold a
    // script built from a clone elsewhere.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("../scenes/tasks");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        let absolute = path.canonicalize().expect("a task file path");
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    out.push_str("]\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("shipped_tasks.rs");
    fs::write(target, out).expect("write shipped_tasks.rs");
}
