//! Task checks judged on real worlds (objects moved with the robot's own pick and place),
//! both ways, with reasons; the matcher on phrasings that must and must not match; and
//! malformed task files and checks, which are errors of the task, never a pass.
//!
//! The demo scene's fixed layout: red block (0.45, 0.15), green block (0.55, 0.0), blue
//! block (0.40, −0.12), green bowl (0.62, 0.20), blue bowl (0.62, −0.18).

use wand_primitives::task::{
    Family, ParamValue, SceneState, TaskCheck, TaskError, TaskSet, TaskSpec, Verdict,
};
use wand_sim::{Scene, World};

fn scene_and_world(scene: &str, seed: u64) -> (Scene, World) {
    let scene = Scene::load(scene).unwrap();
    let world = scene.build(seed).unwrap();
    (scene, world)
}

/// Picks `object` and sets it down on / inside the object `target`.
fn put_on(world: &mut World, object: &str, target: &str) {
    let p = world.object_position(target).unwrap();
    world.pick(object).unwrap();
    world.place(p.x, p.y, None).unwrap();
}

fn check(name: &str, params: &[(&str, &str)]) -> TaskCheck {
    TaskSet::shipped()
        .resolve(&TaskSpec::new(name, params), None)
        .unwrap()
}

/// Judges the world now against the start state `start`.
fn judge(check: &TaskCheck, start: &SceneState, scene: &Scene, world: &World) -> Verdict {
    check.judge(start, &SceneState::capture(world, &scene.placement))
}

fn assert_fails_with(verdict: &Verdict, expected: &str) {
    assert!(!verdict.success, "should fail: {verdict:?}");
    assert!(
        verdict.reason.contains(expected),
        "reason '{}' lacks '{expected}'",
        verdict.reason
    );
}

#[test]
fn block_in_bowl_reports_the_distance_then_passes() {
    let (scene, mut world) = scene_and_world("demo", 0);
    let start = SceneState::capture(&world, &scene.placement);
    let task = check(
        "block_in_bowl",
        &[("block", "red block"), ("bowl", "green bowl")],
    );
    let before = judge(&task, &start, &scene, &world);
    assert_fails_with(
        &before,
        "red block is not inside green bowl: 0.18 m from its center",
    );
    assert_eq!(before.reward, 0.0);
    put_on(&mut world, "red block", "green bowl");
    let after = judge(&task, &start, &scene, &world);
    assert!(after.success, "{after:?}");
    assert_eq!(after.reward, 1.0);
    assert!(
        after.reason.starts_with("red block is inside green bowl"),
        "{}",
        after.reason
    );
}

#[test]
fn a_held_block_never_counts_as_placed() {
    let (scene, mut world) = scene_and_world("demo", 0);
    let start = SceneState::capture(&world, &scene.placement);
    put_on(&mut world, "blue block", "blue bowl");
    world.pick("blue block").unwrap();
    let task = check(
        "block_in_bowl",
        &[("block", "blue block"), ("bowl", "blue bowl")],
    );
    assert_fails_with(
        &judge(&task, &start, &scene, &world),
        "blue block is still held by the robot",
    );
}

#[test]
fn matching_bowls_gives_partial_credit_per_block() {
    let (scene, mut world) = scene_and_world("demo", 0);
    let start = SceneState::capture(&world, &scene.placement);
    let task = check("matching_bowls", &[]);
    put_on(&mut world, "green block", "green bowl");
    let half = judge(&task, &start, &scene, &world);
    assert_eq!(half.reward, 0.5, "{half:?}");
    assert_eq!(half.conditions.len(), 2);
    assert_fails_with(
        &half,
        "1 of 2 goal conditions hold; not yet: blue block is not inside blue bowl",
    );
    put_on(&mut world, "blue block", "blue bowl");
    assert!(judge(&task, &start, &scene, &world).success);
}

#[test]
fn stack_all_names_the_blocks_apart_from_the_tower_then_passes() {
    let (scene, mut world) = scene_and_world("demo", 0);
    let start = SceneState::capture(&world, &scene.placement);
    let task = check("stack_all", &[]);
    put_on(&mut world, "red block", "green block");
    let partial = judge(&task, &start, &scene, &world);
    assert_fails_with(&partial, "blue block rests on table, not in the tower");
    assert!(
        partial.reason.contains("goal conditions hold"),
        "{}",
        partial.reason
    );
    put_on(&mut world, "blue block", "red block");
    let done = judge(&task, &start, &scene, &world);
    assert!(done.success, "{done:?}");
    assert!(
        done.reason
            .contains("the tower on green block has 3 levels"),
        "{}",
        done.reason
    );
}

#[test]
fn block_on_block_and_block_to_location() {
    let (scene, mut world) = scene_and_world("demo", 0);
    let start = SceneState::capture(&world, &scene.placement);
    let on = check(
        "block_on_block",
        &[("block", "red block"), ("target", "blue block")],
    );
    assert_fails_with(
        &judge(&on, &start, &scene, &world),
        "red block is not on blue block",
    );
    put_on(&mut world, "red block", "blue block");
    assert!(judge(&on, &start, &scene, &world).success);
    let corner = check(
        "block_to_location",
        &[("block", "green block"), ("location", "top left corner")],
    );
    assert_fails_with(
        &judge(&corner, &start, &scene, &world),
        "green block is not at the top left corner",
    );
    world.pick("green block").unwrap();
    world.place(0.8, 0.3, None).unwrap();
    let verdict = judge(&corner, &start, &scene, &world);
    assert!(verdict.success, "{verdict:?}");
}

#[test]
fn tasks_with_bad_parameters_say_what_is_wrong() {
    let set = TaskSet::shipped();
    let names: Vec<String> = ["red block", "green bowl"].map(String::from).to_vec();
    let cases = [
        (
            TaskSpec::new("juggle", &[]),
            "unknown task 'juggle'; known tasks:",
        ),
        (
            TaskSpec::new("block_in_bowl", &[("block", "red block")]),
            "needs the parameter 'bowl'",
        ),
        (
            TaskSpec::new(
                "block_in_bowl",
                &[("block", "purple block"), ("bowl", "green bowl")],
            ),
            "'purple block' is not a valid block",
        ),
        (
            TaskSpec::new("stack_all", &[("base", "red block")]),
            "unknown parameter 'base'",
        ),
        (
            TaskSpec::new(
                "block_to_location",
                &[("block", "red block"), ("location", "moon")],
            ),
            "'moon' is not a valid location",
        ),
    ];
    for (task, expected) in cases {
        let err = set.resolve(&task, Some(&names)).unwrap_err().to_string();
        assert!(err.contains(expected), "{task:?}: {err}");
    }
}

#[test]
fn the_matcher_reads_each_family_from_several_phrasings() {
    let set = TaskSet::shipped();
    let names: Vec<String> = [
        "red block",
        "green block",
        "blue block",
        "green bowl",
        "blue bowl",
    ]
    .map(String::from)
    .to_vec();
    let text = |v: &str| ParamValue::Text(v.into());
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: [Case; 8] = [
        (
            "put the blocks in the bowls with matching colors",
            "matching_bowls",
            &[],
        ),
        (
            "Sort the cubes into the bowls by colour!",
            "matching_bowls",
            &[],
        ),
        ("stack all of the blocks", "stack_all", &[]),
        ("Pile up the blocks", "stack_all", &[]),
        (
            "place the red block onto the blue block",
            "block_on_block",
            &[("block", "red block"), ("target", "blue block")],
        ),
        (
            "the green block goes in the blue bowl",
            "block_in_bowl",
            &[("block", "green block"), ("bowl", "blue bowl")],
        ),
        (
            "Please move the red block to the upper left corner.",
            "block_to_location",
            &[("block", "red block"), ("location", "top left corner")],
        ),
        (
            "take the blue block over to the centre of the table",
            "block_to_location",
            &[("block", "blue block"), ("location", "middle")],
        ),
    ];
    for (instruction, family, params) in cases {
        let task = set
            .match_instruction(instruction, &names)
            .unwrap_or_else(|| panic!("'{instruction}' matched nothing"));
        assert_eq!(task.name, family, "{instruction}");
        for (k, v) in params {
            assert_eq!(task.params[*k], text(v), "{instruction}");
        }
    }
}

#[test]
fn the_matcher_declines_what_it_does_not_account_for() {
    let set = TaskSet::shipped();
    let names: Vec<String> = ["red block", "blue block", "green bowl"]
        .map(String::from)
        .to_vec();
    for instruction in [
        "put the blocks in the bowls with matching colors; and put any block without a bowl in the top right corner",
        "put the red block in the green bowl and juggle",
        "put the purple block in the green bowl",
        "put the red block near the green bowl",
        "put the red block on the red block",
        "arrange the blocks in a circle around the middle of the table and dance",
        "",
        "???",
    ] {
        assert_eq!(
            set.match_instruction(instruction, &names),
            None,
            "{instruction}"
        );
    }
}

fn parse(text: &str) -> Result<Family, TaskError> {
    Family::parse(text, "my_tasks/t.toml")
}

const GOOD: &str = r#"
name = "t"
summary = "put a block in a bowl"

[params.block]
type = "block"

[params.bowl]
type = "bowl"

[templates]
seen = ["put the {block} in the {bowl}"]

[check]
code = '''
conditions = [inside(final, block, bowl)]
'''

[reference]
code = '''
put_first_on_second(block, bowl)
'''
"#;

#[test]
fn a_good_family_file_parses() {
    let family = parse(GOOD).unwrap();
    assert_eq!(family.name(), "t");
    assert_eq!(family.param_names(), ["block", "bowl"]);
}

#[test]
fn malformed_family_files_name_the_file_line_and_field() {
    let cases = [
        (
            GOOD.replace("summary =", "sumary ="),
            "my_tasks/t.toml:3:1: unknown field `sumary`",
        ),
        (
            GOOD.replace("type = \"bowl\"", "type = \"bowl\"\ncolour = \"red\""),
            "unknown field `colour` in params.bowl",
        ),
        (
            GOOD.replace("type = \"bowl\"", "type = \"plate\""),
            "unknown variant `plate`",
        ),
        (
            GOOD.replace("name = \"t\"", "name = \"other\""),
            "my_tasks/t.toml:2: name 'other' must be the file's name",
        ),
        (
            GOOD.replace("{bowl}\"]", "{bowl} on the {plate}\"]"),
            "has the slot {plate}, which is not a parameter",
        ),
        (
            GOOD.replace("in the {bowl}\"]", "somewhere\"]"),
            "does not always say the parameter {bowl}",
        ),
        (
            GOOD.replace(
                "[params.bowl]",
                "[params.place]\ntype = \"corner\"\n\n[params.bowl]",
            )
            .replace("{bowl}\"]", "{bowl} {place}\"]"),
            "would hide the primitive place()",
        ),
        (
            GOOD.replace(
                "[params.bowl]",
                "[params.on]\ntype = \"corner\"\n\n[params.bowl]",
            )
            .replace("{bowl}\"]", "{bowl} {on}\"]"),
            "would hide an input or a predicate",
        ),
        (
            GOOD.replace("inside(final, block, bowl)]", "inside(final, block, bowl]"),
            "my_tasks/t.toml:16:",
        ),
        (
            GOOD.replace(
                "put_first_on_second(block, bowl)",
                "put_first_on_second(block, bowl))",
            ),
            "my_tasks/t.toml:21: the reference program does not compile",
        ),
        (
            GOOD.replace("{block} in the", "{block} (in the"),
            "missing ')'",
        ),
    ];
    for (text, expected) in cases {
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.contains(expected), "expected '{expected}' in: {err}");
    }
}

/// A family whose check is `code`, judged on the demo scene's untouched start.
fn judge_code(code: &str) -> Verdict {
    let text = GOOD.replace("conditions = [inside(final, block, bowl)]", code);
    let family = parse(&text).unwrap();
    let task = TaskSpec::new("t", &[("block", "red block"), ("bowl", "green bowl")]);
    let (scene, world) = scene_and_world("demo", 0);
    let start = SceneState::capture(&world, &scene.placement);
    family.check(&task).judge(&start, &start)
}

#[test]
fn a_check_that_raises_or_returns_garbage_is_a_task_error_never_a_pass() {
    let cases = [
        (
            "x = 1\nconditions = [cond(1 / 0 == 0, 'never')]",
            "raised ZeroDivisionError at my_tasks/t.toml line 17 (`conditions = [cond(1 / 0 == 0, 'never')]`): division by zero",
        ),
        (
            "conditions = [inside(final, 'purple block', bowl)]",
            "raised ValueError in the predicate inside, called at my_tasks/t.toml line 16 (`conditions = [inside(final, 'purple block', bowl)]`): unknown object 'purple block'",
        ),
        ("x = 1", "did not set `conditions`"),
        ("conditions = True", "returned a bool"),
        ("conditions = []", "returned an empty list"),
        (
            "conditions = [{'holds': 'yes', 'reason': 'x'}]",
            "without a bool 'holds'",
        ),
        (
            "conditions = ['it worked']",
            "returned a str at conditions[0]",
        ),
        (
            "while True:\n    pass\nconditions = []",
            "raised TimeoutError",
        ),
        (
            "conditions = [cond(pick('red block'), 'moved')]",
            "raised NameError",
        ),
    ];
    for (code, expected) in cases {
        let verdict = judge_code(code);
        assert!(!verdict.success, "{code}: {verdict:?}");
        let error = verdict.task_error.clone().unwrap_or_default();
        assert!(
            error.contains(expected),
            "{code}: expected '{expected}' in: {error}"
        );
        assert!(
            verdict.reason.starts_with("the task's check failed"),
            "{}",
            verdict.reason
        );
    }
}

#[test]
fn a_check_can_say_the_task_does_not_apply() {
    let verdict = judge_code("conditions = skip('no bowl here')");
    assert!(!verdict.success);
    assert!(
        verdict
            .task_error
            .unwrap()
            .contains("does not apply to this scene: no bowl here")
    );
}

#[test]
fn the_scene_state_says_what_rests_on_what() {
    let (scene, mut world) = scene_and_world("demo", 0);
    put_on(&mut world, "red block", "blue block");
    put_on(&mut world, "green block", "green bowl");
    let state = SceneState::capture(&world, &scene.placement);
    assert_eq!(state.objects["red block"].on.as_deref(), Some("blue block"));
    assert_eq!(state.objects["blue block"].on.as_deref(), Some("table"));
    assert_eq!(
        state.objects["green block"].inside.as_deref(),
        Some("green bowl")
    );
    assert_eq!(state.held, None);
    assert_eq!(state.locations["top left corner"], [0.8, 0.3]);
    assert_eq!(state.area, [[0.3, -0.3], [0.8, 0.3]]);
}

#[test]
fn command_line_parameters_read_as_in_an_instruction() {
    let set = TaskSet::shipped();
    let push = set.get("push_block").unwrap();
    let pairs = |distance: &str| {
        [
            ("block", "red block"),
            ("distance", distance),
            ("direction", "left"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
    };
    for (text, cm) in [
        ("10", 10.0),
        ("10 cm", 10.0),
        ("0.1 m", 10.0),
        ("ten centimeters", 10.0),
    ] {
        let task = push.typed_params(&pairs(text)).unwrap();
        assert_eq!(task.params["distance"], ParamValue::Float(cm), "{text}");
    }
    let err = push.typed_params(&pairs("far")).unwrap_err().to_string();
    assert!(
        err.contains("parameter 'distance' must be a number (10, \"10 cm\", \"0.1 m\"), got 'far'"),
        "{err}"
    );
    let nth = set.get("nth_block_from_side").unwrap();
    let task = nth
        .typed_params(&[("nth".to_string(), "second".to_string())])
        .unwrap();
    assert_eq!(task.params["nth"], ParamValue::Int(2));
}
