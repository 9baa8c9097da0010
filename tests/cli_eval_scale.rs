//! `wand eval` at scale, through the real binary against a local fake OpenAI-compatible
//! server: many model calls in flight (bounded by `--concurrency`), requests spaced by
//! `--rpm`, a cost budget that stops new episodes, and a grid split with `--shard` and
//! joined with `wand eval merge` into exactly the unsharded run.

mod common;
#[path = "../agent/tests/fake_server/mod.rs"]
mod fake_server;

use common::{ok, records, wand};
use fake_server::{FakeServer, Reply};
use std::path::Path;
use std::process::Output;
use std::time::Duration;

/// `wand eval` into `out`, with the cache off.
fn eval(out: &Path, args: &[&str]) -> Output {
    let mut all = vec!["eval", "--out", out.to_str().unwrap(), "--cache", "off"];
    all.extend_from_slice(args);
    wand(&all)
}

/// A slow server answering every first turn with a program that runs.
fn slow_server(delay: Duration) -> FakeServer {
    FakeServer::by_turn(vec![
        Reply::openai("```python\nsay('hi')\n```").delayed(delay),
    ])
}

/// block_in_bowl over `seeds` against `server`: 8 episodes a seed, one attempt each.
fn against(server: &FakeServer, seeds: &str, extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "--suite",
        "block_in_bowl",
        "--seeds",
        seeds,
        "--llm",
        "openai:gpt-4o-mini",
        "--base-url",
        &server.openai_url(),
        "--max-attempts",
        "1",
        "--llm-tries",
        "1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn many_model_calls_are_in_flight_and_concurrency_bounds_them() {
    // 32 episodes; each request takes 0.5 s.
    let server = slow_server(Duration::from_millis(500));
    let dir = common::scratch("cli-eval-scale", "concurrency");
    let args = against(&server, "0..4", &["--concurrency", "16", "--jobs", "2"]);
    ok(&eval(&dir.join("out"), &strs(&args)));
    assert_eq!(server.requests().len(), 32);
    assert_eq!(server.peak_in_flight(), 16);
    let records = records(&dir.join("out"));
    assert_eq!(records.len(), 32);
    assert!(records.values().all(|r| r["failure"] == "check_failed"));

    let server = slow_server(Duration::from_millis(100));
    let args = against(&server, "0..1", &["--concurrency", "3", "--jobs", "2"]);
    ok(&eval(&dir.join("out3"), &strs(&args)));
    assert_eq!(server.requests().len(), 8);
    assert_eq!(server.peak_in_flight(), 3);
}

#[test]
fn rpm_spaces_the_requests() {
    let server = slow_server(Duration::ZERO);
    let dir = common::scratch("cli-eval-scale", "rpm");
    let args = against(&server, "0..1", &["--rpm", "600", "--concurrency", "8"]);
    ok(&eval(&dir.join("out"), &strs(&args)));
    let mut arrivals: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    arrivals.sort();
    assert_eq!(arrivals.len(), 8);
    // 600 a minute: one every 100 ms, so 8 span at least 700 ms (less a little for when
    // the server gets to read the first; unthrottled they come within a few ms).
    let span = arrivals[7] - arrivals[0];
    assert!(span >= Duration::from_millis(600), "{span:?}");
}

#[test]
fn a_cost_budget_stops_new_episodes_and_the_summary_says_so() {
    let server = slow_server(Duration::ZERO);
    let dir = common::scratch("cli-eval-scale", "budget");
    let args = against(
        &server,
        "0..2",
        &[
            "--max-cost-usd",
            "0.000001",
            "--jobs",
            "1",
            "--concurrency",
            "1",
        ],
    );
    let stderr = ok(&eval(&dir.join("out"), &strs(&args)));
    assert!(stderr.contains("the cost budget"), "{stderr}");
    let records = records(&dir.join("out"));
    // The first episode spends the budget; at most the one in flight with it also ends.
    assert!(!records.is_empty() && records.len() <= 2, "{records:?}");
    let summary = std::fs::read_to_string(dir.join("out/summary.md")).unwrap();
    assert!(
        summary.contains("Stopped early: the cost budget (--max-cost-usd 0.000001) was reached"),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("{} episodes were not started", 16 - records.len())),
        "{summary}"
    );

    // A model without a known price cannot be held to a budget.
    let out = eval(
        &dir.join("unpriced"),
        &[
            "--suite",
            "smoke",
            "--llm",
            "openai:my-local-model",
            "--base-url",
            &server.openai_url(),
            "--max-cost-usd",
            "1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs a known price"), "{stderr}");
}

#[test]
fn shards_merge_into_the_unsharded_run() {
    let dir = common::scratch("cli-eval-scale", "shards");
    let grid = ["--suite", "block_in_bowl", "--seeds", "0..2", "--jobs", "2"];
    ok(&eval(&dir.join("whole"), &grid));
    for shard in ["0/3", "1/3", "2/3"] {
        let mut args = grid.to_vec();
        args.extend(["--shard", shard]);
        let out = dir.join(format!("part{}", &shard[..1]));
        ok(&eval(&out, &args));
    }
    let part_sizes: Vec<usize> = (0..3)
        .map(|i| records(&dir.join(format!("part{i}"))).len())
        .collect();
    assert_eq!(part_sizes, [6, 5, 5]);

    // Two of three: merged, with a note that one is missing.
    let out = wand(&[
        "eval",
        "merge",
        "--out",
        dir.join("some").to_str().unwrap(),
        dir.join("part0").to_str().unwrap(),
        dir.join("part2").to_str().unwrap(),
    ]);
    let stderr = ok(&out);
    assert!(stderr.contains("shard 1/3 not given"), "{stderr}");

    let out = wand(&[
        "eval",
        "merge",
        "--out",
        dir.join("merged").to_str().unwrap(),
        dir.join("part0").to_str().unwrap(),
        dir.join("part1").to_str().unwrap(),
        dir.join("part2").to_str().unwrap(),
    ]);
    ok(&out);
    assert_eq!(records(&dir.join("merged")), records(&dir.join("whole")));
    let summary = |d: &str| {
        let text = std::fs::read_to_string(dir.join(d).join("summary.csv")).unwrap();
        // The last column is wall time, which never repeats.
        text.lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(summary("merged"), summary("whole"));

    // A folder of another run is refused.
    ok(&eval(
        &dir.join("other"),
        &[
            "--suite",
            "block_in_bowl",
            "--seeds",
            "5..6",
            "--shard",
            "1/3",
        ],
    ));
    let out = wand(&[
        "eval",
        "merge",
        "--out",
        dir.join("bad").to_str().unwrap(),
        dir.join("part0").to_str().unwrap(),
        dir.join("other").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a shard of another run"), "{stderr}");
}

#[test]
fn bad_limits_are_usage_errors() {
    let dir = common::scratch("cli-eval-scale", "bad");
    for (flag, value, says) in [
        ("--rpm", "-5", "not a number above 0"),
        ("--max-cost-usd", "0", "not a number above 0"),
        ("--temperature", "3", "not a temperature from 0 to 2"),
        ("--shard", "3/3", "I/N"),
        ("--samples", "0", "0"),
        ("--concurrency", "0", "0"),
    ] {
        let arg = format!("{flag}={value}");
        let out = eval(&dir.join("out"), &["--suite", "smoke", &arg]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{flag} {value}: {stderr}");
    }
    assert!(
        !dir.join("out").exists(),
        "nothing is written for bad arguments"
    );
}
