//! `wand eval` writes its plots beside the summary, and `wand eval report` redraws them
//! from episodes.jsonl, byte for byte (the plots are a pure function of the records).

mod common;

use std::process::Command;

const PLOTS: [&str; 4] = [
    "success_by_family.png",
    "success_by_family.svg",
    "success_by_attempt.png",
    "success_by_attempt.svg",
];

#[test]
fn eval_writes_the_plots_and_report_redraws_them_the_same() {
    let dir = common::scratch("cli-eval-plots", "report");
    let out = dir.join("out");
    // `--api low` fails every attempt with the builtin planner, so attempts reach 4 and
    // the attempt plot is drawn; one samples value, so no samples plot.
    let run = Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(["eval", "--suite", "smoke", "--seeds", "0..1", "--jobs", "2"])
        .args(["--api", "high", "--api", "low"])
        .arg("--out")
        .arg(&out)
        .arg("--cache-dir")
        .arg(dir.join("cache"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!out.join("success_by_samples.png").exists());
    let mut drawn = Vec::new();
    for name in PLOTS {
        let bytes = std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        if name.ends_with(".png") {
            assert!(
                bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{name} is not a PNG"
            );
        } else {
            let svg = String::from_utf8(bytes.clone()).unwrap();
            assert!(svg.starts_with("<svg"), "{name} is not an SVG");
            for label in ["api high", "api low"] {
                assert!(svg.contains(label), "{name} has no legend entry {label}");
            }
        }
        drawn.push(bytes);
        std::fs::remove_file(out.join(name)).unwrap();
    }
    let svg = String::from_utf8(drawn[1].clone()).unwrap();
    for family in ["(all)", "all_to_corner"] {
        assert!(
            svg.contains(family),
            "the family plot does not name {family}"
        );
    }

    let report = Command::new(env!("CARGO_BIN_EXE_wand"))
        .args(["eval", "report"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    for (name, before) in PLOTS.iter().zip(&drawn) {
        let after = std::fs::read(out.join(name)).unwrap();
        assert!(after == *before, "report drew {name} differently");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
