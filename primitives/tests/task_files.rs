//! The shipped task families: every file loads, every template reads back as its task,
//! and every family's reference program passes its own check on a sample of seeds.

use std::sync::Mutex;
use wand_primitives::Limits;
use wand_primitives::episode::{EpisodeRequest, EpisodeResult, run_episode};
use wand_primitives::task::{Family, Split, TaskSet, TaskSpec};
use wand_sim::Scene;

/// Seeds per family in this test (the full 100-seed counts come from `wand tasks verify`).
const SAMPLE_SEEDS: u64 = 4;

fn run_reference(family: &Family, scene: &str, seed: u64) -> Option<(TaskSpec, EpisodeResult)> {
    let scene_file = Scene::load(scene).unwrap();
    let world = scene_file.build(seed).unwrap();
    let task = family.draw(&world, &scene_file.placement, seed).ok()?;
    let request = EpisodeRequest {
        scene: scene.into(),
        seed,
        program: family.reference_program(&task, 0),
        limits: Limits::default(),
        png: None,
        task: Some(family.check(&task)),
        prelude: String::new(),
        record: false,
    };
    Some((task, run_episode(&request, |_| {})))
}

#[test]
fn every_shipped_check_and_reference_program_compiles() {
    for (file, text) in wand_primitives::task::SHIPPED {
        Family::parse(text, file).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn every_shipped_family_loads_with_seen_and_heldout_templates() {
    let set = TaskSet::shipped();
    assert!(set.families().len() >= 14, "{:?}", set.names());
    for family in set.families() {
        assert!(
            family.templates(Split::Seen).len() >= 3,
            "{}",
            family.name()
        );
        assert!(
            family.templates(Split::Heldout).len() >= 3,
            "{}",
            family.name()
        );
        assert!(!family.file.scenes.is_empty(), "{}", family.name());
        for scene in &family.file.scenes {
            Scene::load(scene).unwrap_or_else(|e| panic!("{}: {e}", family.name()));
        }
    }
}

#[test]
fn every_reference_program_passes_its_check_on_sample_seeds() {
    let set = TaskSet::shipped();
    let jobs: Vec<(&Family, u64)> = set
        .families()
        .iter()
        .flat_map(|f| (0..SAMPLE_SEEDS).map(move |seed| (f, seed)))
        .collect();
    let failures = Mutex::new(Vec::new());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut n = next.lock().unwrap();
                        *n += 1;
                        *n - 1
                    };
                    let Some((family, seed)) = jobs.get(index) else {
                        break;
                    };
                    let scene = &family.file.scenes[0];
                    if let Some((task, result)) = run_reference(family, scene, *seed)
                        && result.success != Some(true)
                    {
                        failures.lock().unwrap().push(format!(
                            "{} on {scene} seed {seed}: {:?} {:?}",
                            task.describe(),
                            result.error.map(|e| e.summary()),
                            result.check.map(|c| c.reason)
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_template_reads_back_as_its_task() {
    let set = TaskSet::shipped();
    for family in set.families() {
        for scene_name in &family.file.scenes {
            let scene = Scene::load(scene_name).unwrap();
            for seed in 0..3 {
                let world = scene.build(seed).unwrap();
                let Ok(task) = family.draw(&world, &scene.placement, seed) else {
                    continue;
                };
                for split in [Split::Seen, Split::Heldout] {
                    for template in family.templates(split) {
                        let instruction = family.instruction_variant(template, &task, seed);
                        let matched = set.match_instruction(&instruction, &world.object_names());
                        assert_eq!(
                            matched.as_ref(),
                            Some(&task),
                            "'{instruction}' ({}, template \"{}\") read as {matched:?}",
                            family.name(),
                            template.text
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_committed_task_schema_is_current() {
    let path = format!(
        "{}/../scenes/tasks/task.schema.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let fresh = wand_primitives::task::json_schema();
    if std::env::var_os("WAND_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "scenes/tasks/task.schema.json is stale: the task file structs changed. Regenerate it with\n  WAND_BLESS=1 cargo test -p wand-primitives --test task_files the_committed_task_schema_is_current\nand commit it."
    );
}

#[test]
fn the_same_seed_draws_the_same_task_and_seeds_vary() {
    let set = TaskSet::shipped();
    let family = set.get("block_in_bowl").unwrap();
    let scene = Scene::load("tabletop").unwrap();
    let draw = |seed| {
        let world = scene.build(seed).unwrap();
        family.draw(&world, &scene.placement, seed).unwrap()
    };
    let tasks: Vec<TaskSpec> = (0..8).map(draw).collect();
    assert_eq!(tasks, (0..8).map(draw).collect::<Vec<_>>());
    let distinct: std::collections::BTreeSet<String> = tasks.iter().map(|t| t.describe()).collect();
    assert!(distinct.len() >= 4, "{distinct:?}");
}

#[test]
fn a_family_the_scene_cannot_have_is_skipped_with_the_reason() {
    let set = TaskSet::shipped();
    let scene = Scene::load("blocks").unwrap();
    let world = scene.build(0).unwrap();
    let skip = set
        .get("block_in_bowl")
        .unwrap()
        .draw(&world, &scene.placement, 0)
        .unwrap_err();
    assert_eq!(
        skip.0,
        "task 'block_in_bowl' needs at least 1 bowl; the scene has 0"
    );
}
