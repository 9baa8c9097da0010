//! Compiles shipped data in, a folder at a time: every `scenes/tasks/*.toml` becomes an
//! entry of `task::SHIPPED` and every file of `scenes/skills/` (`*.py`, `index.toml`) one
//! of `STDLIB_SKILLS` (file name, text), so adding a family or a skill is adding files,
//! with no Rust change.

use std::fs;
use std::path::Path;

fn main() {
    embed("tasks", &["toml"], "shipped_tasks.rs");
    embed("skills", &["py", "toml"], "stdlib_skills.rs");
}

/// Writes `OUT_DIR/out`: a slice of (file name, `include_str!`) for the files of
/// `scenes/folder` with one of `extensions`, sorted by name.
fn embed(folder: &str, extensions: &[&str], out: &str) {
    // Read when the script runs, not when it was compiled: a reused target dir may hold a
    // script built from a clone elsewhere.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = Path::new(&manifest).join("../scenes").join(folder);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| extensions.iter().any(|e| x == *e))
        })
        .collect();
    files.sort();
    let mut text = String::from("&[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        let absolute = path.canonicalize().expect("a data file path");
        text.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            absolute.display().to_string()
        ));
    }
    text.push_str("]\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join(out);
    fs::write(target, text).unwrap_or_else(|e| panic!("write {out}: {e}"));
}
