//! Verifying the task families over seeds: each family's reference program, or the
//! builtin planner on every template (seen and held-out), each run on the seed's scene and
//! judged by the drawn task's own check. `wand tasks verify` and the tests use it.

use crate::llm::builtin::{PlannerInput, reply};
use crate::run::EpisodeRunner;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use wand_primitives::Limits;
use wand_primitives::episode::EpisodeRequest;
use wand_primitives::task::{NoTask, Split, TaskSet, TaskSpec};

/// Which program an episode runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Writer {
    /// The family's reference program.
    Reference,
    /// The builtin planner, on the instruction a template reads as.
    Planner { split: Split, template: usize },
}

/// One episode to verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    pub family: String,
    pub scene: String,
    pub seed: u64,
    pub writer: Writer,
    /// Where perception answers come from; `None`: the scene's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perception: Option<wand_primitives::PerceptionMode>,
    /// The gripper instead of the scene's, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gripper: Option<wand_sim::gripper::GripperKind>,
}

/// How it went.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub case: Case,
    /// The task drawn for the seed.
    pub task: Option<TaskSpec>,
    /// The instruction the planner was given.
    pub instruction: Option<String>,
    /// Why the family has no task for this seed, if it has none.
    pub skipped: Option<String>,
    pub success: bool,
    /// The check's reason, the error, or why there was no program.
    pub reason: String,
}

/// The cases for `families` (all when empty) over `seeds`, on each family's first scene
/// (or `scene`): the reference program, or (`planner`) every template.
pub fn cases(
    tasks: &TaskSet,
    families: &[String],
    seeds: std::ops::Range<u64>,
    planner: bool,
    scene: Option<&str>,
) -> Vec<Case> {
    let mut out = Vec::new();
    for family in tasks.families() {
        if !families.is_empty() && !families.iter().any(|f| f == family.name()) {
            continue;
        }
        let scene = scene.map_or_else(|| family.file.scenes[0].clone(), str::to_string);
        for seed in seeds.clone() {
            let case = |writer| Case {
                family: family.name().to_string(),
                scene: scene.clone(),
                seed,
                writer,
                perception: None,
                gripper: None,
            };
            if !planner {
                out.push(case(Writer::Reference));
                continue;
            }
            for split in [Split::Seen, Split::Heldout] {
                for template in 0..family.templates(split).len() {
                    out.push(case(Writer::Planner { split, template }));
                }
            }
        }
    }
    out
}

/// Runs one case.
pub fn run_case(tasks: &TaskSet, case: &Case, runner: &dyn EpisodeRunner) -> CaseResult {
    let mut result = CaseResult {
        case: case.clone(),
        task: None,
        instruction: None,
        skipped: None,
        success: false,
        reason: String::new(),
    };
    let family = match tasks.get(&case.family) {
        Ok(f) => f,
        Err(e) => {
            result.reason = e.to_string();
            return result;
        }
    };
    let (_, world, task) = match family.draw_on(&case.scene, case.seed) {
        Ok(drawn) => drawn,
        Err(NoTask::Scene(why)) => {
            result.reason = why;
            return result;
        }
        Err(NoTask::Skip(skip)) => {
            result.reason = skip.0.clone();
            result.skipped = Some(skip.0);
            return result;
        }
    };
    let program = match case.writer {
        Writer::Reference => family.reference_program(&task, 0),
        Writer::Planner { split, template } => {
            // Each seed words the template its own way (alternatives, optional parts).
            let instruction =
                family.instruction_variant(&family.templates(split)[template], &task, case.seed);
            let input = PlannerInput {
                instruction: instruction.clone(),
                objects: Some(world.object_names()),
                attempt: 0,
            };
            result.instruction = Some(instruction);
            let text = reply(&input, tasks);
            match crate::extract::extract_code(&text) {
                Some(code) => code,
                None => {
                    result.reason = text;
                    result.task = Some(task);
                    return result;
                }
            }
        }
    };
    let request = EpisodeRequest {
        scene: case.scene.clone(),
        seed: case.seed,
        program,
        limits: Limits {
            perception: case.perception,
            gripper: case.gripper,
            ..Limits::default()
        },
        png: None,
        task: Some(family.check(&task)),
        prelude: String::new(),
        record: false,
    };
    let episode = runner.run(&request);
    result.task = Some(task);
    result.success = episode.success == Some(true);
    result.reason = match (&episode.error, &episode.check) {
        (Some(error), _) => error.summary(),
        (None, Some(verdict)) => verdict.reason.clone(),
        (None, None) => "not judged".into(),
    };
    result
}

/// Runs every case on `jobs` threads; results in the cases' order.
pub fn run_all(
    tasks: &TaskSet,
    cases: &[Case],
    runner: &(dyn EpisodeRunner + Sync),
    jobs: usize,
) -> Vec<CaseResult> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(cases.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(case) = cases.get(index) else { break };
                    let result = run_case(tasks, case, runner);
                    results.lock().expect("no panics").push((index, result));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("no panics");
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Counts for one family (and split, for the planner).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub family: String,
    /// "reference", "seen" or "heldout".
    pub programs: String,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Tally {
    /// Passed over judged episodes (skips do not count), in [0, 1].
    pub fn rate(&self) -> f64 {
        let judged = self.passed + self.failed;
        if judged == 0 {
            0.0
        } else {
            self.passed as f64 / judged as f64
        }
    }
}

/// Counts per (family, programs), sorted.
pub fn tally(results: &[CaseResult]) -> Vec<Tally> {
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for r in results {
        let programs = match r.case.writer {
            Writer::Reference => "reference",
            Writer::Planner {
                split: Split::Seen, ..
            } => "seen",
            Writer::Planner {
                split: Split::Heldout,
                ..
            } => "heldout",
        };
        let entry = tallies
            .entry((r.case.family.clone(), programs.to_string()))
            .or_insert_with(|| Tally {
                family: r.case.family.clone(),
                programs: programs.to_string(),
                ..Tally::default()
            });
        if r.skipped.is_some() {
            entry.skipped += 1;
        } else if r.success {
            entry.passed += 1;
        } else {
            entry.failed += 1;
        }
    }
    tallies.into_values().collect()
}
