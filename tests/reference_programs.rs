//! The reference programs in scenes/programs/ succeed seed after seed: judged by the task
//! families' checks (`--task`), or, for pick and place to the freest named place, on the
//! final state that `wand script --json` reports.
//!
//! 10 seeds each by default; `WAND_SEEDS=100 cargo test --release --test
//! reference_programs -- --nocapture` gives the 100-seed counts.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn seeds() -> u64 {
    std::env::var("WAND_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10)
}

fn run(program: &str, scene: &str, seed: u64, task: Option<&str>) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenes/programs")
        .join(program);
    let out = Command::new(env!("CARGO_BIN_EXE_wand"))
        .args([
            "script",
            "--json",
            "--scene",
            scene,
            "--seed",
            &seed.to_string(),
        ])
        .args(task.map(|t| ["--task", t]).into_iter().flatten())
        .arg(path)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{program} seed {seed}: no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn pos(result: &Value, name: &str) -> [f64; 3] {
    let p = &result["objects"][name]["pos"];
    [0, 1, 2].map(|i| p[i].as_f64().unwrap())
}

fn names(result: &Value, kind: &str) -> Vec<String> {
    result["objects"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, o)| o["kind"] == kind)
        .map(|(n, _)| n.clone())
        .collect()
}

fn horizontal(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// Why the episode failed, or None when it succeeded.
type Check = fn(&Value) -> Option<String>;

fn pick_and_place(r: &Value) -> Option<String> {
    let first = names(r, "block").into_iter().min().unwrap();
    let p = pos(r, &first);
    // The nine named places of the placement area x 0.3..0.8, y -0.3..0.3.
    let nearest = [0.3, 0.55, 0.8]
        .iter()
        .flat_map(|x| [-0.3, 0.0, 0.3].map(|y| horizontal(p, [*x, y, 0.0])))
        .fold(f64::INFINITY, f64::min);
    let resting = r["objects"][&first]["on"] == "table";
    (nearest > 0.025 || !resting)
        .then(|| format!("{first} ended at {p:?}, {nearest:.3} m from the nearest named place"))
}

/// The task's check passed.
fn judged(r: &Value) -> Option<String> {
    (r["success"] != true).then(|| format!("{}", r["check"]["reason"]))
}

fn successes(program: &str, scene: &str, task: Option<&str>, check: Check) -> (u64, Vec<String>) {
    let n = seeds();
    let failures: Vec<String> = std::thread::scope(|s| {
        let halves: Vec<_> = (0..2)
            .map(|part| {
                s.spawn(move || {
                    (0..n)
                        .filter(|seed| seed % 2 == part)
                        .filter_map(|seed| {
                            let r = run(program, scene, seed, task);
                            if !r["error"].is_null() {
                                return Some(format!("seed {seed}: {}", r["error"]["traceback"]));
                            }
                            check(&r).map(|why| format!("seed {seed}: {why}"))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    println!(
        "{program} on {scene}: {}/{n} seeds",
        n - failures.len() as u64
    );
    (n - failures.len() as u64, failures)
}

#[test]
fn pick_and_place_succeeds_on_every_seed() {
    let (ok, failures) = successes("pick_and_place.py", "tabletop", None, pick_and_place);
    assert_eq!(ok, seeds(), "{failures:#?}");
}

#[test]
fn stack_all_succeeds_on_every_seed() {
    let (ok, failures) = successes("stack_all.py", "blocks", Some("stack_all"), judged);
    assert_eq!(ok, seeds(), "{failures:#?}");
}

#[test]
fn blocks_in_bowls_succeeds_on_every_seed() {
    let (ok, failures) = successes(
        "blocks_in_bowls.py",
        "tabletop",
        Some("matching_bowls"),
        judged,
    );
    assert_eq!(ok, seeds(), "{failures:#?}");
}

/// Every ```python block in README.md runs without error (on the `blocks` scene), so
/// the examples a reader copies cannot rot.
#[test]
fn readme_examples_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let blocks: Vec<&str> = readme
        .split("```python\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(!blocks.is_empty(), "README.md has no python example");
    let dir = std::env::temp_dir().join(format!("wand-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, code) in blocks.iter().enumerate() {
        let path = dir.join(format!("example{i}.py"));
        std::fs::write(&path, code).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_wand"))
            .args(["script", "--json", "--scene", "blocks"])
            .arg(&path)
            .output()
            .unwrap();
        let result: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            result["error"].is_null(),
            "README example {i} failed: {}",
            result["error"]
        );
        assert!(result["primitive_calls"].as_u64().unwrap() > 0);
    }
}
