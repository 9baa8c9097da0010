//! Records the git commit wand is built from (`WAND_GIT_COMMIT`, "unknown" outside a git
//! checkout), for the config.json of each `wand eval` run.

use std::process::Command;

fn main() {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=WAND_GIT_COMMIT={commit}");
    // Rebuilt when HEAD moves: a commit, a checkout (in a worktree, HEAD is its own).
    if let Some(dirs) = git(&["rev-parse", "--git-dir", "--git-common-dir"]) {
        for dir in dirs.lines() {
            println!("cargo:rerun-if-changed={dir}/HEAD");
            println!("cargo:rerun-if-changed={dir}/refs/heads");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
