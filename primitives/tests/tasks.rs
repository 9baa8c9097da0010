//! Task checks judged on real worlds (objects moved with the robot's own pick and place),
//! both ways, and the instruction matcher on many phrasings, including ones that must not
//! match.
//!
//! The demo scene's fixed layout: red block (0.45, 0.15), green block (0.55, 0.0), blue
//! block (0.40, −0.12), green bowl (0.62, 0.20), blue bowl (0.62, −0.18).

use wand_primitives::task::{
    self, TaskSpec, all_object_names, check, location_point, match_instruction, match_with_names,
};
use wand_sim::scene::PlacementArea;
use wand_sim::{Scene, World};

fn world(scene: &str, seed: u64) -> World {
    Scene::load(scene).unwrap().build(seed).unwrap()
}

/// Picks `object` and sets it down on / inside the object `target`.
fn put_on(world: &mut World, object: &str, target: &str) {
    let p = world.object_position(target).unwrap();
    world.pick(object).unwrap();
    world.place(p.x, p.y, None).unwrap();
}

/// Picks `object` and sets it down at (x, y).
fn put_at(world: &mut World, object: &str, [x, y]: [f32; 2]) {
    world.pick(object).unwrap();
    world.place(x, y, None).unwrap();
}

fn point(name: &str) -> [f32; 2] {
    location_point(name, &PlacementArea::default()).unwrap()
}

fn verdict(task: &TaskSpec, world: &World) -> (bool, String) {
    let v = check(task, world).unwrap();
    (v.success, v.reason)
}

fn assert_fails_with(task: &TaskSpec, world: &World, expected: &str) {
    let (success, reason) = verdict(task, world);
    assert!(!success, "{task:?} should fail; reason: {reason}");
    assert!(
        reason.contains(expected),
        "{task:?}: reason '{reason}' lacks '{expected}'"
    );
}

fn assert_passes(task: &TaskSpec, world: &World) {
    let (success, reason) = verdict(task, world);
    assert!(success, "{task:?} should pass; reason: {reason}");
}

#[test]
fn task_names_lists_the_tabletop_families() {
    let names = task::task_names();
    for family in [
        "pick_place",
        "stack_all",
        "matching_bowls",
        "stack_on",
        "corner",
        "side",
    ] {
        assert!(names.contains(&family), "{family} missing from {names:?}");
    }
}

#[test]
fn matching_bowls_fails_with_distances_then_passes_once_each_block_is_in_its_bowl() {
    let mut world = world("demo", 0);
    let task = TaskSpec::new("matching_bowls", &[]);
    assert_fails_with(&task, &world, "2 of 2 blocks");
    assert_fails_with(
        &task,
        &world,
        "green block is not inside green bowl: 0.21 m from its center",
    );
    put_on(&mut world, "green block", "green bowl");
    assert_fails_with(&task, &world, "1 of 2 blocks");
    assert_fails_with(&task, &world, "blue block is not inside blue bowl");
    put_on(&mut world, "blue block", "blue bowl");
    assert_passes(&task, &world);
}

#[test]
fn a_held_block_never_counts_as_placed() {
    let mut world = world("demo", 0);
    put_on(&mut world, "green block", "green bowl");
    put_on(&mut world, "blue block", "blue bowl");
    world.pick("blue block").unwrap();
    let task = TaskSpec::new("matching_bowls", &[]);
    assert_fails_with(&task, &world, "blue block is still held by the robot");
    // Held right above where it would count for a location, it still does not.
    let p = world.object_position("blue block").unwrap();
    let here = format!("{},{}", p.x, p.y);
    let at_point = TaskSpec::new(
        "pick_place",
        &[
            ("object", "blue block"),
            ("target", "middle"),
            ("point", &here),
        ],
    );
    assert_fails_with(&at_point, &world, "still held by the robot");
}

#[test]
fn stack_all_names_the_blocks_apart_from_the_tower_then_passes() {
    let mut world = world("demo", 0);
    let task = TaskSpec::new("stack_all", &[]);
    assert_fails_with(
        &task,
        &world,
        "the tower on blue block has 1 level but there are 3 blocks",
    );
    assert_fails_with(&task, &world, "green block is on the table apart from it");
    put_on(&mut world, "red block", "green block");
    assert_fails_with(
        &task,
        &world,
        "the tower on green block has 2 levels but there are 3 blocks: blue block is on the table apart from it",
    );
    put_on(&mut world, "blue block", "red block");
    assert_passes(&task, &world);
}

#[test]
fn stack_all_counts_a_block_in_a_bowl_as_apart() {
    let mut world = world("demo", 0);
    put_on(&mut world, "red block", "green block");
    put_on(&mut world, "blue block", "blue bowl");
    assert_fails_with(
        &TaskSpec::new("stack_all", &[]),
        &world,
        "blue block is inside blue bowl",
    );
}

#[test]
fn stack_all_passes_on_a_blocks_scene_stacked_by_the_robot() {
    let mut world = world("blocks", 1);
    let blocks = world.object_names();
    let task = TaskSpec::new("stack_all", &[]);
    assert_fails_with(&task, &world, &format!("there are {} blocks", blocks.len()));
    for pair in blocks.windows(2) {
        put_on(&mut world, &pair[1], &pair[0]);
    }
    assert_passes(&task, &world);
}

#[test]
fn pick_place_into_a_bowl_reports_the_distance_then_passes() {
    let mut world = world("demo", 0);
    let task = TaskSpec::new(
        "pick_place",
        &[("object", "red block"), ("target", "green bowl")],
    );
    assert_fails_with(
        &task,
        &world,
        "red block is not inside green bowl: 0.18 m from its center",
    );
    put_on(&mut world, "red block", "green bowl");
    assert_passes(&task, &world);
}

#[test]
fn stack_on_and_pick_place_onto_a_block() {
    let mut world = world("demo", 0);
    let stack_on = TaskSpec::new(
        "stack_on",
        &[("object", "red block"), ("target", "blue block")],
    );
    let pick_place = TaskSpec::new(
        "pick_place",
        &[("object", "red block"), ("target", "blue block")],
    );
    assert_fails_with(&stack_on, &world, "red block is not on blue block: 0.27 m");
    assert_fails_with(&pick_place, &world, "red block is not on blue block");
    put_on(&mut world, "red block", "blue block");
    assert_passes(&stack_on, &world);
    assert_passes(&pick_place, &world);
    // The one below is not on the one above.
    assert_fails_with(
        &TaskSpec::new(
            "stack_on",
            &[("object", "blue block"), ("target", "red block")],
        ),
        &world,
        "blue block is over red block but not resting on it",
    );
}

#[test]
fn pick_place_to_a_location_within_5_cm() {
    let mut world = world("demo", 0);
    let task = TaskSpec::new(
        "pick_place",
        &[("object", "red block"), ("target", "top right corner")],
    );
    assert_fails_with(
        &task,
        &world,
        "red block is not at the top right corner: 0.57 m from its point [0.80, -0.30]",
    );
    put_at(&mut world, "red block", point("top right corner"));
    assert_passes(&task, &world);
    // A point given with the task overrides the default placement area.
    let moved = TaskSpec::new(
        "pick_place",
        &[
            ("object", "red block"),
            ("target", "top right corner"),
            ("point", "0.6,0.0"),
        ],
    );
    assert_fails_with(&moved, &world, "from its point [0.60, 0.00]");
}

#[test]
fn corner_without_a_location_means_the_nearest_corner() {
    let mut world = world("demo", 0);
    let task = TaskSpec::new("corner", &[("object", "red block")]);
    assert_fails_with(
        &task,
        &world,
        "red block is not at any corner: the nearest is the bottom left corner, 0.21 m away",
    );
    put_at(&mut world, "red block", point("bottom left corner"));
    assert_passes(&task, &world);
    let named = TaskSpec::new(
        "corner",
        &[("object", "red block"), ("location", "top left corner")],
    );
    assert_fails_with(&named, &world, "red block is not at the top left corner");
}

#[test]
fn side_with_and_without_a_location() {
    let mut world = world("demo", 0);
    let left = TaskSpec::new(
        "side",
        &[("object", "blue block"), ("location", "left side")],
    );
    assert_fails_with(&left, &world, "blue block is not at the left side");
    put_at(&mut world, "blue block", point("left side"));
    assert_passes(&left, &world);
    assert_passes(&TaskSpec::new("side", &[("object", "blue block")]), &world);
    assert_fails_with(
        &TaskSpec::new("side", &[("object", "green block")]),
        &world,
        "green block is not at any side",
    );
}

#[test]
fn malformed_tasks_are_errors_that_say_what_is_wrong() {
    let world = world("demo", 0);
    let cases = [
        (
            TaskSpec::new("juggle", &[]),
            "unknown task 'juggle'; known tasks: pick_place",
        ),
        (
            TaskSpec::new("pick_place", &[("object", "red block")]),
            "needs the parameter 'target'",
        ),
        (
            TaskSpec::new(
                "pick_place",
                &[("object", "purple block"), ("target", "green bowl")],
            ),
            "purple block",
        ),
        (
            TaskSpec::new(
                "pick_place",
                &[("object", "red block"), ("target", "the moon")],
            ),
            "'the moon' is neither an object of this scene nor a location",
        ),
        (
            TaskSpec::new("corner", &[("object", "red block"), ("location", "middle")]),
            "'middle' is not a corner",
        ),
        (
            TaskSpec::new(
                "pick_place",
                &[
                    ("object", "red block"),
                    ("target", "middle"),
                    ("point", "north"),
                ],
            ),
            "point must be \"x,y\"",
        ),
    ];
    for (task, expected) in cases {
        let error = check(&task, &world).unwrap_err();
        assert!(
            error.contains(expected),
            "{task:?}: '{error}' lacks '{expected}'"
        );
    }
}

#[test]
fn location_points_follow_get_location() {
    let area = PlacementArea::default();
    assert_eq!(location_point("top left corner", &area), Some([0.8, 0.3]));
    assert_eq!(
        location_point("bottom right corner", &area),
        Some([0.3, -0.3])
    );
    assert_eq!(location_point("middle", &area), Some([0.55, 0.0]));
    assert_eq!(location_point("nowhere", &area), None);
}

#[test]
fn the_matcher_reads_each_family_from_several_phrasings() {
    let world = world("demo", 0);
    let matching = [
        "put the blocks in the bowls with matching colors",
        "Put each block in the bowl of the same color.",
        "place every block into the bowl that matches its colour",
        "sort the blocks into the bowls by color",
        "Put all the cubes in their corresponding bowls!",
    ];
    for instruction in matching {
        let task = match_instruction(instruction, &world);
        assert_eq!(
            task,
            Some(TaskSpec::new("matching_bowls", &[])),
            "{instruction}"
        );
    }
    let stack_all = [
        "stack all the blocks",
        "Stack all blocks on top of each other.",
        "make a tower of all the blocks",
        "stack the blocks",
        "pile up every block",
        "put all the blocks in one stack",
    ];
    for instruction in stack_all {
        let task = match_instruction(instruction, &world);
        assert_eq!(task, Some(TaskSpec::new("stack_all", &[])), "{instruction}");
    }
    let red_in_green = TaskSpec::new(
        "pick_place",
        &[("object", "red block"), ("target", "green bowl")],
    );
    for instruction in [
        "put the red block in the green bowl",
        "Place the red block into the green bowl.",
        "pick up the red block and put it in the green bowl",
        "move the red cube inside the green bowl",
        "drop the red block in the green bowl please",
    ] {
        assert_eq!(
            match_instruction(instruction, &world),
            Some(red_in_green.clone()),
            "{instruction}"
        );
    }
    let red_on_blue = TaskSpec::new(
        "stack_on",
        &[("object", "red block"), ("target", "blue block")],
    );
    for instruction in [
        "place the red block on the blue block",
        "stack the red block on top of the blue block",
        "put the red block onto the blue block",
    ] {
        assert_eq!(
            match_instruction(instruction, &world),
            Some(red_on_blue.clone()),
            "{instruction}"
        );
    }
}

#[test]
fn the_matcher_reads_locations() {
    let world = world("demo", 0);
    let located = |object: &str, target: &str, point: &str| {
        TaskSpec::new(
            "pick_place",
            &[("object", object), ("target", target), ("point", point)],
        )
    };
    let cases = [
        (
            "pick up the red block and put it in the top left corner",
            located("red block", "top left corner", "0.8000,0.3000"),
        ),
        (
            "move the blue block to the lower right corner",
            located("blue block", "bottom right corner", "0.3000,-0.3000"),
        ),
        (
            "put the green block in the middle of the table",
            located("green block", "middle", "0.5500,0.0000"),
        ),
        (
            "place the red block at the centre",
            located("red block", "middle", "0.5500,0.0000"),
        ),
        (
            "put the green bowl on the left side",
            located("green bowl", "left side", "0.5500,0.3000"),
        ),
        (
            "put the red block in a corner",
            TaskSpec::new("corner", &[("object", "red block")]),
        ),
        (
            "move the blue block to any side of the table",
            TaskSpec::new("side", &[("object", "blue block")]),
        ),
    ];
    for (instruction, expected) in cases {
        assert_eq!(
            match_instruction(instruction, &world),
            Some(expected),
            "{instruction}"
        );
    }
}

#[test]
fn the_matcher_declines_what_it_cannot_judge() {
    let world = world("demo", 0);
    for instruction in [
        "",
        "go home",
        "say hello",
        "what color is the red block",
        "pick up the red block",
        "stack the red block",
        "push the red block to the left",
        "put the red block to the left of the green bowl",
        "put the red block next to the blue block",
        "take the red block out of the green bowl",
        "put the purple block in the green bowl",
        "put the red block and the blue block in the green bowl",
        "put the red block in the left corner",
        "put the red block in the top left side",
        "move the red block somewhere",
        "put all the blocks in the green bowl",
    ] {
        assert_eq!(
            match_instruction(instruction, &world),
            None,
            "'{instruction}' should not match"
        );
    }
}

#[test]
fn the_matcher_works_from_names_alone() {
    let names = all_object_names();
    assert_eq!(names.len(), 20);
    assert_eq!(
        match_with_names("put the grey cube in the cyan bowl", &names),
        Some(TaskSpec::new(
            "pick_place",
            &[("object", "gray block"), ("target", "cyan bowl")]
        ))
    );
    // A name the scene lacks is not matched.
    let demo: Vec<String> = ["red block", "green bowl"].map(String::from).to_vec();
    assert_eq!(
        match_with_names("put the gray block in the green bowl", &demo),
        None
    );
}

#[test]
fn matched_tasks_are_checkable_on_tabletop_seeds() {
    for seed in 0..5 {
        let world = world("tabletop", seed);
        let names = world.object_names();
        let block = names.iter().find(|n| n.ends_with("block")).unwrap();
        let bowl = names.iter().find(|n| n.ends_with("bowl")).unwrap();
        for instruction in [
            "put the blocks in the bowls with matching colors".to_string(),
            "stack all the blocks".to_string(),
            format!("put the {block} in the {bowl}"),
            format!("put the {block} in the bottom right corner"),
        ] {
            let task = match_instruction(&instruction, &world)
                .unwrap_or_else(|| panic!("seed {seed}: '{instruction}' did not match"));
            let verdict = check(&task, &world).unwrap();
            assert!(!verdict.reason.is_empty());
        }
    }
}

/// The reference programs in scenes/programs/ pass their tasks' checks.
#[test]
fn reference_programs_pass_their_checks() {
    use wand_primitives::Limits;
    use wand_primitives::episode::{EpisodeRequest, run_episode};
    let programs = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenes/programs/");
    let cases = [
        ("blocks_in_bowls.py", "tabletop", "matching_bowls"),
        ("stack_all.py", "tabletop", "stack_all"),
        ("stack_all.py", "blocks", "stack_all"),
    ];
    for (file, scene, family) in cases {
        let program = std::fs::read_to_string(format!("{programs}{file}")).unwrap();
        for seed in 0..8 {
            let request = EpisodeRequest {
                scene: scene.into(),
                seed,
                program: program.clone(),
                limits: Limits::default(),
                png: None,
                task: Some(TaskSpec::new(family, &[])),
            };
            let result = run_episode(&request, |_| {});
            assert_eq!(
                result.success,
                Some(true),
                "{file} on {scene} seed {seed}: {:?} {:?}",
                result.error,
                result.check
            );
        }
    }
}
