//! `wand bench`: times the benchmark scenes of ../shared/bench on wand's world and, with
//! `--compare`, runs peers.py (PyBullet and MuJoCo) in the same run and prints ratios.
//!
//! Progress goes to stderr, results to stdout. `--json` prints
//! `{"wand": {scene: {"steps_per_s": …, "rtf": …, …}}, "versions": {…}}`, the shape of
//! `peers.py --json`, so the two merge; with `--compare` the peers' engines sit beside
//! `"wand"` and a `"ratios"` object holds wand's speed relative to each.

use crate::cmd::InputError;
use anyhow::{Context, bail};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use wand_sim::bench::{self, SCENE_NAMES, SceneResult};

/// Arguments of `wand bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object (the shape of peers.py --json) instead of a table.
    #[arg(long)]
    json: bool,
    /// Comma-separated scenes to run (default: all).
    #[arg(long, value_delimiter = ',', value_parser = clap::builder::PossibleValuesParser::new(bench::SCENE_NAMES))]
    scenes: Vec<String>,
    /// One short timed block per scene (for tests and CI; timings are rough).
    #[arg(long)]
    quick: bool,
    /// Also time PyBullet and MuJoCo with peers.py in this run and print ratios
    /// (installs them into a venv with setup_peers.sh the first time, ~500 MB).
    #[arg(long)]
    compare: bool,
    /// Directory holding peers.py and setup_peers.sh [default: $WAND_PEERS_DIR, else
    /// ../shared/bench next to the repository].
    #[arg(long, value_name = "DIR")]
    peers_dir: Option<PathBuf>,
    /// The peers' Python venv [default: $WAND_PEERS_VENV, else .venv-peers in the repository].
    #[arg(long, value_name = "DIR")]
    peers_venv: Option<PathBuf>,
}

/// The peer engines, in peers.py's order.
const PEERS: [&str; 2] = ["pybullet", "mujoco"];

/// Runs `wand bench`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let scenes: Vec<&str> = if args.scenes.is_empty() {
        SCENE_NAMES.to_vec()
    } else {
        args.scenes
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect()
    };
    bench::check_scene_names(&scenes).map_err(|e| InputError(e.to_string()))?;
    // Find the peers before spending a minute on wand's own timings.
    let peers = if args.compare {
        Some(PeerSetup::locate(args.peers_dir, args.peers_venv)?)
    } else {
        None
    };

    let mut results = Vec::with_capacity(scenes.len());
    for name in &scenes {
        eprintln!("wand {name} ...");
        results.push(bench::run_scene(name, args.quick)?);
    }
    let mut report = json!({
        "wand": wand_json(&results),
        "versions": wand_versions(args.quick),
    });
    if let Some(peers) = peers {
        let peer_scenes: Vec<&str> = scenes
            .iter()
            .copied()
            .filter(|s| bench::PEER_SCENES.contains(s))
            .collect();
        let peer_report = peers.run(&peer_scenes)?;
        merge_peers(&mut report, peer_report);
        let ratios = ratios(&report, &scenes);
        report["ratios"] = ratios;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if args.compare {
        print!("{}", comparison_table(&report, &scenes));
    } else {
        print!("{}", wand_table(&report, &results));
    }
    Ok(ExitCode::SUCCESS)
}

fn wand_json(results: &[SceneResult]) -> Value {
    let scenes: Map<String, Value> = results
        .iter()
        .map(|r| {
            (
                r.scene.clone(),
                serde_json::to_value(r).expect("plain data"),
            )
        })
        .collect();
    Value::Object(scenes)
}

fn wand_versions(quick: bool) -> Value {
    json!({
        "wand": env!("CARGO_PKG_VERSION"),
        "rapier3d": bench::RAPIER_VERSION,
        "enhanced_determinism": bench::ENHANCED_DETERMINISM,
        "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        "quick": quick,
        "cpus": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "os": std::env::consts::OS,
        "arch": std::env::consts::ARCH,
    })
}

/// Where peers.py lives and which Python runs it.
struct PeerSetup {
    dir: PathBuf,
    venv: PathBuf,
}

impl PeerSetup {
    fn locate(dir: Option<PathBuf>, venv: Option<PathBuf>) -> anyhow::Result<PeerSetup> {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = dir
            .or_else(|| std::env::var_os("WAND_PEERS_DIR").map(PathBuf::from))
            .unwrap_or_else(|| repo.join("../shared/bench"));
        for file in ["peers.py", "setup_peers.sh"] {
            if !dir.join(file).is_file() {
                return Err(InputError(format!(
                    "no {file} in the peers directory {}; pass --peers-dir DIR (or set \
                     WAND_PEERS_DIR) to the folder holding peers.py and setup_peers.sh",
                    dir.display()
                ))
                .into());
            }
        }
        let venv = venv
            .or_else(|| std::env::var_os("WAND_PEERS_VENV").map(PathBuf::from))
            .unwrap_or_else(|| repo.join(".venv-peers"));
        Ok(PeerSetup { dir, venv })
    }

    /// Installs the peers if needed, runs peers.py on `scenes`, returns its JSON.
    fn run(&self, scenes: &[&str]) -> anyhow::Result<Value> {
        eprintln!(
            "peers: setting up PyBullet and MuJoCo in {} (a ~500 MB download the first time)",
            self.venv.display()
        );
        let setup = Command::new("bash")
            .arg(self.dir.join("setup_peers.sh"))
            .arg(&self.venv)
            // Its messages are progress: keep stdout for results.
            .stdout(std::io::stderr())
            .status()
            .context("could not run bash for setup_peers.sh")?;
        if !setup.success() {
            bail!(
                "setup_peers.sh {} failed ({setup}); see its output above",
                self.venv.display()
            );
        }
        eprintln!("peers: running peers.py (about a minute for every scene)");
        let python = self.venv.join("bin/python");
        let output = Command::new(&python)
            .arg(self.dir.join("peers.py"))
            .arg("--json")
            .arg("--scenes")
            .arg(scenes.join(","))
            .stderr(Stdio::inherit())
            .output()
            .with_context(|| format!("could not run {}", python.display()))?;
        if !output.status.success() {
            bail!("peers.py failed ({}); see its output above", output.status);
        }
        serde_json::from_slice(&output.stdout)
            .context("peers.py --json printed something that is not JSON")
    }
}

/// Puts the peers' engines beside "wand" (never over it) and joins the two "versions"
/// objects, wand's keys first.
fn merge_peers(report: &mut Value, peers: Value) {
    let Value::Object(peers) = peers else { return };
    for (key, value) in peers {
        if key == "versions" {
            if let (Some(ours), Value::Object(theirs)) = (report["versions"].as_object_mut(), value)
            {
                for (k, v) in theirs {
                    ours.entry(k).or_insert(v);
                }
            }
        } else if key != "wand" && key != "ratios" {
            report[key] = value;
        }
    }
}

/// wand relative to each peer, > 1 where wand is faster: steps/s wand ÷ peer, ms per
/// image peer ÷ wand.
fn ratios(report: &Value, scenes: &[&str]) -> Value {
    let mut out = Map::new();
    for scene in scenes {
        let mut per_peer = Map::new();
        for peer in PEERS {
            if let Some(r) = ratio(report, scene, peer) {
                per_peer.insert(peer.to_string(), json!((r * 100.0).round() / 100.0));
            }
        }
        out.insert(scene.to_string(), Value::Object(per_peer));
    }
    Value::Object(out)
}

fn ratio(report: &Value, scene: &str, peer: &str) -> Option<f64> {
    let figure = |engine: &str, key: &str| report[engine][scene][key].as_f64().filter(|v| *v > 0.0);
    if let (Some(ours), Some(theirs)) = (figure("wand", "steps_per_s"), figure(peer, "steps_per_s"))
    {
        return Some(ours / theirs);
    }
    let (ours, theirs) = (
        figure("wand", "ms_per_image")?,
        figure(peer, "ms_per_image")?,
    );
    Some(theirs / ours)
}

fn cell(value: Option<f64>, width: usize, format: fn(f64) -> String) -> String {
    format!("{:>width$}", value.map_or_else(|| "-".to_string(), format))
}

/// One table row; `ratio` is `None` without peers (no ratio column).
fn row(scene: &str, engine: &str, r: &Value, ratio: Option<Option<f64>>) -> String {
    let get = |key: &str| r[key].as_f64();
    let note = r["skipped"]
        .as_str()
        .or_else(|| r["note"].as_str())
        .unwrap_or("");
    let tracking = get("max_joint_tracking_error_rad")
        .map(|e| format!("tracking {e:.2e} rad"))
        .unwrap_or_default();
    let note = [tracking.as_str(), note]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let ratio = ratio.map_or_else(String::new, |r| {
        format!(" {}", cell(r, 7, |v| format!("{v:.2}×")))
    });
    format!(
        "{scene:<15} {engine:<9}{} {} {} {}{ratio}  {note}\n",
        cell(get("steps_per_s"), 9, |v| format!("{v:.0}")),
        cell(get("rtf"), 7, |v| format!("{v:.1}")),
        cell(get("ms_per_image"), 9, |v| format!("{v:.2}")),
        cell(get("max_cube_displacement_m"), 10, |v| format!("{v:.2e}")),
    )
}

fn header(with_ratio: bool) -> String {
    let ratio = if with_ratio {
        format!(" {:>7}", "wand ×")
    } else {
        String::new()
    };
    format!(
        "{:<15} {:<9}{:>9} {:>7} {:>9} {:>10}{ratio}  note\n",
        "scene", "engine", "steps/s", "RTF", "ms/image", "max disp m"
    )
}

fn versions_line(report: &Value) -> String {
    let v = &report["versions"];
    let mut line = format!(
        "wand {}, rapier3d {}, {} build, enhanced-determinism {}, {} cpus",
        v["wand"].as_str().unwrap_or("?"),
        v["rapier3d"].as_str().unwrap_or("?"),
        v["profile"].as_str().unwrap_or("?"),
        if v["enhanced_determinism"].as_bool() == Some(true) {
            "on"
        } else {
            "off"
        },
        v["cpus"],
    );
    if let Some(python) = v["python"].as_str() {
        line.push_str(&format!(
            "; python {python}, pybullet {}, mujoco {}",
            v["pybullet"].as_str().unwrap_or("?"),
            v["mujoco"].as_str().unwrap_or("?")
        ));
    }
    if v["quick"].as_bool() == Some(true) {
        line.push_str("; QUICK mode (rough timings)");
    }
    line.push('\n');
    line
}

fn wand_table(report: &Value, results: &[SceneResult]) -> String {
    let mut out = versions_line(report);
    out.push_str(&header(false));
    for r in results {
        out.push_str(&row(&r.scene, "wand", &report["wand"][&r.scene], None));
    }
    out
}

fn comparison_table(report: &Value, scenes: &[&str]) -> String {
    let mut out = versions_line(report);
    out.push_str(&header(true));
    for scene in scenes {
        out.push_str(&row(scene, "wand", &report["wand"][scene], Some(None)));
        for peer in PEERS {
            let r = &report[peer][*scene];
            if !r.is_null() {
                out.push_str(&row("", peer, r, Some(ratio(report, scene, peer))));
            }
        }
    }
    out.push_str("wand × = wand's speed relative to the peer (steps/s wand ÷ peer; ms/image peer ÷ wand): > 1 means wand is faster\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_above_one_where_wand_is_faster() {
        let report = json!({
            "wand": {"cubes10": {"steps_per_s": 60000.0}, "camera_160x120": {"ms_per_image": 1.0}},
            "pybullet": {"cubes10": {"steps_per_s": 20000.0}, "camera_160x120": {"ms_per_image": 3.0}},
            "mujoco": {"cubes10": {"steps_per_s": 30000.0}, "camera_160x120": {"skipped": "no GL"}},
        });
        let r = ratios(&report, &["cubes10", "camera_160x120"]);
        assert_eq!(r["cubes10"]["pybullet"], json!(3.0));
        assert_eq!(r["cubes10"]["mujoco"], json!(2.0));
        assert_eq!(r["camera_160x120"]["pybullet"], json!(3.0));
        assert!(r["camera_160x120"]["mujoco"].is_null());
    }

    #[test]
    fn peers_merge_beside_wand_and_versions_join() {
        let mut report = json!({"wand": {"cubes10": {}}, "versions": {"wand": "0.1.0", "cpus": 2}});
        merge_peers(
            &mut report,
            json!({
                "mujoco": {"cubes10": {}},
                "wand": {"cubes10": {"steps_per_s": 1.0}},
                "versions": {"mujoco": "4.0.0", "wand": "9.9.9", "cpus": 2},
            }),
        );
        assert!(report["mujoco"]["cubes10"].is_object());
        assert!(
            report["wand"]["cubes10"].get("steps_per_s").is_none(),
            "peers never overwrite wand"
        );
        assert_eq!(report["versions"]["mujoco"], json!("4.0.0"));
        assert_eq!(report["versions"]["wand"], json!("0.1.0"));
    }
}
