//! Experiments (`wand eval`): a grid of episodes ([`grid`]), each run by the agent loop
//! on its family's seeded scene and judged by the family's check, recorded one line each
//! ([`record`]) and summarised with intervals ([`summary`]).

pub mod grid; // suites, the episode list, episode keys
pub mod plot; // success per family, per attempt and per --samples, as PNG and SVG
pub mod record; // the episodes.jsonl row, failure classes, resume
pub mod summary; // success rates with Wilson intervals, summary.md and summary.csv

use crate::llm::{LanguageModel, prices::cost_usd};
use crate::run::{self, Executor, RunConfig, RunOutcome};
use crate::transcript::Transcript;
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use grid::Episode;
use record::{FailureClass, Record};
use std::collections::BTreeMap;
use std::time::Instant;
use wand_primitives::task::{NoTask, TaskSet};

/// What every episode of an experiment shares.
#[derive(Debug, Clone)]
pub struct EvalConfig {
    /// The attempt budget per episode (`--max-attempts`).
    pub max_attempts: u32,
    /// Wall-clock limit per program run, seconds.
    pub timeout_s: f64,
    /// `--temperature`; `None` for 0 with one sample and 0.7 with several.
    pub temperature: Option<f64>,
    /// The skill library offered to episodes with `skills` (`--skills DIR`).
    pub library: Option<crate::skills::Library>,
}

/// Runs one episode: the family draws its task from the seed on its first scene, the
/// template is rendered for that task, the model gets the prompt `wand run` gives, and
/// the family's check judges each attempt.
pub async fn run_episode(
    tasks: &TaskSet,
    episode: &Episode,
    model: &dyn LanguageModel,
    executor: &dyn Executor,
    config: &EvalConfig,
) -> Record {
    let started = Instant::now();
    let mut record = Record::new(episode);
    let family = match tasks.get(&episode.family) {
        Ok(family) => family,
        Err(e) => {
            record.reason = e.to_string();
            return record;
        }
    };
    let scene_name = family.file.scenes[0].clone();
    let (scene, world, task) = match family.draw_on(&scene_name, episode.seed) {
        Ok(drawn) => drawn,
        Err(NoTask::Scene(why)) => {
            record.reason = why;
            return record;
        }
        Err(NoTask::Skip(skip)) => {
            record.reason.clone_from(&skip.0);
            record.skipped = Some(skip.0);
            record.wall_time_s = started.elapsed().as_secs_f64();
            return record;
        }
    };
    let Some(template) = family.templates(episode.split).get(episode.template) else {
        record.reason = format!(
            "family {} has no {} template {}",
            family.name(),
            grid::split_name(episode.split),
            episode.template
        );
        return record;
    };
    let instruction = family.instruction_variant(template, &task, episode.seed);
    let bounds = [
        [scene.placement.x_m.min, scene.placement.y_m.min],
        [scene.placement.x_m.max, scene.placement.y_m.max],
    ];
    let offered: Vec<crate::skills::Skill> = match (&config.library, episode.skills) {
        (Some(library), true) => {
            crate::skills::rank::rank(&library.skills, &instruction, crate::skills::rank::TOP_K)
                .into_iter()
                .cloned()
                .collect()
        }
        _ => Vec::new(),
    };
    let conversation = crate::prompt::initial_messages(
        &wand_primitives::reference::text_for(episode.api),
        &crate::prompt::describe_scene(&world, bounds),
        &crate::skills::prompt_section(&offered.iter().collect::<Vec<_>>()),
        &instruction,
    );
    let mut run_config = RunConfig::new(&scene_name, episode.seed, &instruction);
    run_config.task = Some(family.check(&task));
    run_config.max_attempts = config.max_attempts;
    run_config.feedback = episode.feedback;
    run_config.samples = episode.samples;
    run_config.temperature = run::temperature_for(episode.samples, config.temperature);
    run_config.limits.timeout_s = config.timeout_s;
    run_config.limits.api = episode.api;
    run_config.limits.perception = Some(episode.perception);
    run_config.limits.gripper = Some(episode.gripper);
    run_config.skills = offered;
    let outcome = run::run(
        model,
        executor,
        &run_config,
        conversation,
        &mut Transcript::discard(),
    )
    .await;
    record.instruction = Some(instruction);
    record.task = Some(task.describe());
    fill(&mut record, &outcome);
    record.wall_time_s = started.elapsed().as_secs_f64();
    record
}

/// Copies what the loop's outcome says into the record and classifies a failure.
fn fill(record: &mut Record, outcome: &RunOutcome) {
    record.success = outcome.success;
    record.attempts = outcome.attempts.len() as u32;
    record.success_at_1 = outcome.success == Some(true) && outcome.attempts.len() == 1;
    record.tokens_in = outcome.tokens.prompt_tokens;
    record.tokens_out = outcome.tokens.completion_tokens;
    record.cost_usd = cost_usd(&record.episode.llm, &outcome.tokens);
    record.llm_latency_s = outcome.attempts.iter().map(|a| a.llm_latency_s).sum();
    record.run_time_s = outcome.attempts.iter().map(|a| a.run_time_s).sum();
    let last = outcome.attempts.last();
    record.program = last.and_then(|a| a.code.clone());
    if let Some(result) = &outcome.result {
        record.sim_time_s = result.sim_time_s;
        record.reward = result.check.as_ref().map_or(0.0, |v| v.reward);
    }
    let error = last.and_then(|a| a.error.as_ref());
    let verdict = last.and_then(|a| a.verdict.as_ref());
    record.reason = match (&outcome.stopped, error, verdict) {
        (Some(why), _, _) => why.clone(),
        (None, Some(error), _) => error.summary(),
        (None, None, Some(verdict)) => verdict.reason.clone(),
        (None, None, None) => outcome.not_judged.clone().unwrap_or_default(),
    };
    record.failure = match outcome.success {
        Some(true) => None,
        None => Some(FailureClass::NotJudged),
        Some(false) => Some(if let Some(kind) = outcome.model_error {
            FailureClass::ModelError(kind.to_string())
        } else if outcome.stopped.is_some() {
            FailureClass::PlannerCannot
        } else if let Some(error) = error {
            match error.kind.as_str() {
                "SyntaxError" => FailureClass::SyntaxError,
                "TimeoutError" => FailureClass::Timeout,
                "MemoryError" => FailureClass::Memory,
                _ if error.message.contains("safety stop") => FailureClass::SafetyStop,
                kind => FailureClass::RuntimeError(kind.to_string()),
            }
        } else if last.is_none_or(|a| a.code.is_none()) {
            FailureClass::NoCode
        } else {
            FailureClass::CheckFailed
        }),
    };
}

/// How a grid run ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GridEnd {
    /// Why episodes were left unstarted (the cost budget was reached), if they were.
    pub stopped: Option<String>,
    /// How many episodes were not started.
    pub not_started: usize,
}

/// Runs `episodes` with up to `in_flight` of them at once on this task: while some wait
/// for their models (bounded by the models' [`Limiter`](crate::llm::throttle::Limiter)),
/// others run their programs on `executor` (a [`PhysicsPool`](crate::run::PhysicsPool)
/// bounds those). `done` gets each record as it ends, in whatever order they end.
/// `models` holds the model of each episode's `llm` (a missing one is a programming
/// error). With `max_cost_usd`, no episode starts once the episodes ended so far cost
/// that much; those in flight finish.
#[allow(clippy::too_many_arguments)]
pub async fn run_grid(
    tasks: &TaskSet,
    episodes: &[Episode],
    models: &BTreeMap<String, Box<dyn LanguageModel>>,
    executor: &dyn Executor,
    config: &EvalConfig,
    in_flight: usize,
    max_cost_usd: Option<f64>,
    done: &mut dyn FnMut(Record),
) -> GridEnd {
    let mut waiting = episodes.iter();
    let mut running = FuturesUnordered::new();
    let mut spent = 0.0;
    let mut end = GridEnd::default();
    loop {
        while end.stopped.is_none() && running.len() < in_flight.max(1) {
            let Some(episode) = waiting.next() else {
                break;
            };
            let model = models[&episode.llm].as_ref();
            running.push(run_episode(tasks, episode, model, executor, config));
        }
        let Some(record) = running.next().await else {
            break;
        };
        spent += record.cost_usd.unwrap_or(0.0);
        if let Some(limit) = max_cost_usd
            && spent >= limit
            && end.stopped.is_none()
        {
            end.stopped = Some(format!(
                "the cost budget (--max-cost-usd {limit}) was reached: ${spent:.4} spent"
            ));
        }
        done(record);
    }
    end.not_started = waiting.len();
    end
}
