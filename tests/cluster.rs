//! The cluster recipes in docs/cluster/ run as a scheduler would run them: the Slurm
//! array job and the Kubernetes Indexed Job each run their shards (the shard from the
//! scheduler's variables), and `wand eval merge` joins them into exactly the run one
//! machine makes. The Job's manifest is checked to agree with itself.

mod common;

use common::records;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GRID: [&str; 6] = [
    "--suite",
    "block_in_bowl",
    "--seeds",
    "0..1",
    "--cache",
    "off",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A recipe from the repository's root, as the scheduler would start it.
fn recipe(script: &str, env: &[(&str, String)], results: &Path) -> Output {
    Command::new(repo().join(script))
        .current_dir(repo())
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("SLURM_ARRAY_TASK_COUNT")
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("WAND_SHARDS")
        .env("WAND", env!("CARGO_BIN_EXE_wand"))
        .env("WAND_EVAL_DIR", results)
        .envs(env.iter().map(|(k, v)| (*k, v)))
        .args(GRID)
        .output()
        .unwrap()
}

/// Merges the shard folders under `results` and checks them against one machine's run.
fn merged_equals_whole(results: &Path, shards: usize) {
    let parts: Vec<PathBuf> = (0..shards)
        .map(|i| results.join(format!("shard-{i}-of-{shards}")))
        .collect();
    let mut merge = Command::new(env!("CARGO_BIN_EXE_wand"));
    merge
        .args(["eval", "merge", "--out"])
        .arg(results.join("merged"))
        .args(&parts);
    ok(merge.output().unwrap());
    let whole = results.join("whole");
    ok(Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(["eval", "--out"])
        .arg(&whole)
        .args(GRID)
        .output()
        .unwrap());
    assert_eq!(records(&results.join("merged")), records(&whole));
    assert_eq!(records(&whole).len(), 8);
}

#[test]
fn the_slurm_array_job_runs_its_shards_and_they_merge() {
    let results = common::scratch("cluster", "slurm");
    for index in 0..3 {
        let env = [
            ("SLURM_ARRAY_TASK_ID", index.to_string()),
            ("SLURM_ARRAY_TASK_COUNT", "3".to_string()),
            ("SLURM_CPUS_PER_TASK", "1".to_string()),
        ];
        ok(recipe("docs/cluster/slurm-eval.sbatch", &env, &results));
    }
    merged_equals_whole(&results, 3);
}

#[test]
fn the_kubernetes_indexed_job_runs_its_shards_and_they_merge() {
    let manifest = std::fs::read_to_string(repo().join("docs/cluster/k8s-eval-job.yaml")).unwrap();
    let field = |name: &str| -> String {
        let line = manifest
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no {name} in the manifest"));
        line.split_once(':')
            .unwrap()
            .1
            .trim()
            .trim_matches('"')
            .to_string()
    };
    assert_eq!(field("completionMode"), "Indexed");
    let shards = field("completions");
    assert_eq!(field("parallelism"), shards);
    let env_line = manifest
        .lines()
        .skip_while(|l| !l.contains("name: WAND_SHARDS"))
        .nth(1)
        .unwrap();
    assert_eq!(
        env_line.split_once(':').unwrap().1.trim(),
        format!("\"{shards}\"")
    );
    let command: Vec<String> = serde_json::from_str(&field("command")).unwrap();
    assert_eq!(command[0], "docs/cluster/eval-shard.sh");
    assert!(repo().join(&command[0]).exists());

    // Each pod runs the script with its completion index (here 2 of them, small grid).
    let results = common::scratch("cluster", "k8s");
    for index in 0..2 {
        let env = [
            ("JOB_COMPLETION_INDEX", index.to_string()),
            ("WAND_SHARDS", "2".to_string()),
        ];
        ok(recipe(&command[0], &env, &results));
    }
    merged_equals_whole(&results, 2);
}

#[test]
fn the_shard_script_without_a_scheduler_says_what_it_needs() {
    let results = common::scratch("cluster", "none");
    let out = recipe("docs/cluster/eval-shard.sh", &[], &results);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("SLURM_ARRAY_TASK_ID"), "{stderr}");
    assert!(stderr.contains("JOB_COMPLETION_INDEX"), "{stderr}");
}
