//! The agent loop with a scripted model: repair after an exception, after a failed
//! check, after a reply with no code; hierarchical generation of an undefined function;
//! several samples per attempt, ranked by reward.

use wand_agent::llm::Role;
use wand_agent::llm::scripted::ScriptedModel;
use wand_agent::prompt;
use wand_agent::run::{self, InProcess, Judge, RunConfig};
use wand_agent::transcript::Transcript;
use wand_primitives::task::{TaskSet, TaskSpec};
use wand_sim::Scene;

fn config(instruction: &str) -> RunConfig {
    RunConfig::new("demo", 0, instruction)
}

fn messages(config: &RunConfig) -> Vec<wand_agent::llm::Message> {
    let world = Scene::load(&config.scene)
        .unwrap()
        .build(config.seed)
        .unwrap();
    prompt::initial_messages(
        &wand_primitives::reference::text(),
        &prompt::describe_scene(&world, [[0.3, -0.3], [0.8, 0.3]]),
        "",
        &config.instruction,
    )
}

/// Runs the loop in-process with the scripted model, writing no transcript.
fn go(model: &ScriptedModel, config: &RunConfig) -> run::RunOutcome {
    wand_agent::llm::block_on(run::run(
        model,
        &InProcess,
        config,
        messages(config),
        &mut Transcript::discard(),
    ))
}

/// "put the red block in the green bowl", judged by block_in_bowl's check.
fn red_in_green() -> RunConfig {
    let mut config = config("put the red block in the green bowl");
    let task = TaskSpec::new(
        "block_in_bowl",
        &[("block", "red block"), ("bowl", "green bowl")],
    );
    config.task = Some(TaskSet::shipped().resolve(&task, None).unwrap());
    config
}

fn fenced(code: &str) -> String {
    format!("Here is the program:\n```python\n{code}\n```\n")
}

#[test]
fn an_exception_is_fed_back_with_its_line_and_the_second_attempt_succeeds() {
    let model = ScriptedModel::new([
        fenced("x = 1\npick('purple block')\nplace([0.5, 0.0])"),
        fenced("pick('red block')\nplace([0.5, -0.2])\nsay('done')"),
    ]);
    let config = config("put the red block somewhere else");
    let outcome = go(&model, &config);
    // No task check applies and --judge is none: finished, not judged.
    assert_eq!(outcome.success, None, "{outcome:#?}");
    assert!(
        outcome
            .not_judged
            .as_ref()
            .unwrap()
            .contains("no task check applies")
    );
    assert_eq!(outcome.attempts.len(), 2);
    let first_error = outcome.attempts[0].error.as_ref().unwrap();
    assert_eq!(
        (first_error.kind.as_str(), first_error.line),
        ("ValueError", Some(2))
    );
    let requests = model.requests.lock().unwrap();
    assert_eq!(requests.len(), 2);
    let feedback = &requests[1].messages.last().unwrap();
    assert_eq!(feedback.role, Role::User);
    assert!(
        feedback.content.contains("at line 2"),
        "{}",
        feedback.content
    );
    assert!(
        feedback.content.contains("pick('purple block')"),
        "{}",
        feedback.content
    );
    assert!(
        feedback
            .content
            .contains("unknown object 'purple block'; known objects:"),
        "{}",
        feedback.content
    );
    assert!(
        feedback.content.contains("- red block at ["),
        "{}",
        feedback.content
    );
    assert_eq!(outcome.result.unwrap().said, vec!["done"]);
}

#[test]
fn a_reply_without_code_is_feedback_not_a_crash() {
    let model = ScriptedModel::new([
        "I am not sure what you mean.".to_string(),
        fenced("say('ok')"),
    ]);
    let config = config("say ok");
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, None);
    assert_eq!(outcome.attempts.len(), 2);
    assert!(outcome.attempts[0].code.is_none());
    let feedback = model.requests.lock().unwrap()[1]
        .messages
        .last()
        .unwrap()
        .content
        .clone();
    assert!(feedback.contains("no Python program"), "{feedback}");
}

#[test]
fn a_syntax_error_is_caught_before_anything_runs() {
    let model = ScriptedModel::new([fenced("pick('red block'"), fenced("say('fixed')")]);
    let config = config("pick the red block");
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, None);
    assert_eq!(
        outcome.attempts[0].error.as_ref().unwrap().kind,
        "SyntaxError"
    );
    let feedback = model.requests.lock().unwrap()[1]
        .messages
        .last()
        .unwrap()
        .content
        .clone();
    assert!(feedback.contains("does not compile"), "{feedback}");
}

#[test]
fn the_attempt_budget_is_kept() {
    let model = ScriptedModel::new(vec![fenced("pick('nothing here')"); 5]);
    let mut config = config("pick nothing");
    config.max_attempts = 3;
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, Some(false));
    assert_eq!(outcome.attempts.len(), 3);
    assert_eq!(model.requests.lock().unwrap().len(), 3);
}

#[test]
fn undefined_functions_are_written_by_a_further_model_call() {
    let model = ScriptedModel::new([
        fenced("move_block_to_corner('red block', 'top left corner')\nsay('moved')"),
        fenced(
            "def move_block_to_corner(name, corner):\n    pick(name)\n    place(get_location(corner))",
        ),
    ]);
    let config = config("move the red block to the top left corner");
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, None, "{outcome:#?}");
    assert_eq!(outcome.attempts.len(), 1);
    assert_eq!(outcome.attempts[0].llm_calls, 2);
    let second = model.requests.lock().unwrap()[1]
        .messages
        .last()
        .unwrap()
        .content
        .clone();
    assert!(
        second.contains("move_block_to_corner('red block', 'top left corner')"),
        "{second}"
    );
    let red = &outcome.result.unwrap().objects["red block"].pos;
    assert!(
        (red[0] - 0.8).abs() < 0.03 && (red[1] - 0.3).abs() < 0.03,
        "{red:?}"
    );
}

#[test]
fn the_llm_judge_turns_a_no_into_feedback() {
    let model = ScriptedModel::new([
        fenced("say('did nothing')"),
        "no: the red block has not moved".to_string(),
        fenced("pick('red block')\nplace([0.5, -0.2])"),
        "yes, it moved".to_string(),
    ]);
    let mut config = config("move the red block");
    config.judge = Judge::Llm;
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, Some(true), "{outcome:#?}");
    assert_eq!(outcome.attempts.len(), 2);
    let verdict = outcome.attempts[0].verdict.as_ref().unwrap();
    assert!(!verdict.success && verdict.reason.contains("has not moved"));
    let feedback = model.requests.lock().unwrap()[2]
        .messages
        .last()
        .unwrap()
        .content
        .clone();
    assert!(
        feedback.contains("the task is not done: the judge says: no"),
        "{feedback}"
    );
}

#[test]
fn a_judge_call_that_fails_leaves_the_run_not_judged_never_passed() {
    // The script has no reply left for the judge: its call fails.
    let model = ScriptedModel::new([fenced("say('did something')")]);
    let mut config = config("move the red block");
    config.judge = Judge::Llm;
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, None, "{outcome:#?}");
    assert!(outcome.attempts[0].verdict.is_none());
    let why = outcome.not_judged.unwrap();
    assert!(why.starts_with("the judge call failed"), "{why}");
}

#[test]
fn a_judge_that_answers_neither_yes_nor_no_leaves_the_run_not_judged() {
    let model = ScriptedModel::new([
        fenced("say('did something')"),
        "Yesterday the robot moved the block, I think.".to_string(),
    ]);
    let mut config = config("move the red block");
    config.judge = Judge::Llm;
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, None, "{outcome:#?}");
    let why = outcome.not_judged.unwrap();
    assert!(why.contains("neither yes nor no"), "{why}");
    assert!(why.contains("Yesterday"), "{why}");
}

#[test]
fn a_failed_task_check_is_fed_back() {
    let model = ScriptedModel::new([
        fenced("put_first_on_second('red block', 'blue bowl')"),
        fenced("put_first_on_second('red block', 'green bowl')"),
    ]);
    let config = red_in_green();
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, Some(true), "{outcome:#?}");
    assert_eq!(outcome.attempts.len(), 2);
    let verdict = outcome.attempts[0].verdict.as_ref().unwrap();
    assert_eq!((verdict.success, verdict.reward), (false, 0.0));
    let feedback = model.requests.lock().unwrap()[1]
        .messages
        .last()
        .unwrap()
        .content
        .clone();
    assert!(feedback.contains("the task is not done"), "{feedback}");
    assert!(
        feedback.contains("red block is inside blue bowl, not green bowl"),
        "{feedback}"
    );
}

/// `--samples 3`: three programs per attempt, each run on the seeded scene; the best by
/// reward is the attempt's, and only it goes back into the conversation.
#[test]
fn samples_are_ranked_by_reward_and_the_best_is_kept() {
    let model = ScriptedModel::new([
        fenced("pick('purple block')"),
        fenced("put_first_on_second('red block', 'green bowl')"),
        fenced("put_first_on_second('red block', 'blue bowl')"),
    ]);
    let mut config = red_in_green();
    config.samples = 3;
    config.temperature = 0.7;
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, Some(true), "{outcome:#?}");
    assert_eq!(outcome.attempts.len(), 1);
    let attempt = &outcome.attempts[0];
    assert_eq!(attempt.chosen, 1);
    assert_eq!(attempt.llm_calls, 3);
    let outcomes: Vec<(Option<bool>, f64, Option<&str>)> = attempt
        .samples
        .iter()
        .map(|s| (s.success, s.reward, s.error.as_deref()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (None, 0.0, Some("ValueError")),
            (Some(true), 1.0, None),
            (Some(false), 0.0, None)
        ]
    );
    assert!(attempt.code.as_ref().unwrap().contains("green bowl"));
    // The samples are told apart (for the cache) and drawn warm.
    let requests = model.requests.lock().unwrap();
    let drawn: Vec<(u32, f64)> = requests.iter().map(|r| (r.sample, r.temperature)).collect();
    assert_eq!(drawn, [(0, 0.7), (1, 0.7), (2, 0.7)]);
}

/// With samples, the feedback is about the best one, and the next attempt's
/// conversation holds only that program.
#[test]
fn the_best_failing_sample_is_fed_back() {
    let model = ScriptedModel::new([
        fenced("pick('purple block')"),
        fenced("put_first_on_second('red block', 'blue bowl')"),
        fenced("put_first_on_second('red block', 'green bowl')"),
        fenced("say('unused')"),
    ]);
    let mut config = red_in_green();
    config.samples = 2;
    let outcome = go(&model, &config);
    assert_eq!(outcome.success, Some(true), "{outcome:#?}");
    assert_eq!(outcome.attempts.len(), 2);
    // Running to the end beats raising, even at the same reward.
    assert_eq!(outcome.attempts[0].chosen, 1);
    let requests = model.requests.lock().unwrap();
    let second = &requests[2].messages;
    let assistant = &second[second.len() - 2].content;
    assert!(assistant.contains("blue bowl"), "{assistant}");
    assert!(!second.iter().any(|m| m.content.contains("purple block')")));
    assert!(
        second
            .last()
            .unwrap()
            .content
            .contains("the task is not done"),
        "{}",
        second.last().unwrap().content
    );
}

#[test]
fn every_prompt_example_runs_and_passes_its_task_check() {
    use wand_primitives::episode::{EpisodeRequest, run_episode};
    let examples = prompt::examples();
    assert_eq!(examples.len(), 3);
    for example in examples {
        let world = Scene::load(&example.scene).unwrap().build(0).unwrap();
        let tasks = TaskSet::shipped();
        let task = tasks
            .match_instruction(&example.instruction, &world.object_names())
            .map(|spec| tasks.resolve(&spec, None).unwrap());
        let request = EpisodeRequest {
            scene: example.scene.clone(),
            seed: 0,
            program: example.program.clone(),
            limits: wand_primitives::Limits::default(),
            png: None,
            task: task.clone(),
            prelude: String::new(),
            record: false,
        };
        let result = run_episode(&request, |_| {});
        assert!(
            result.error.is_none(),
            "{}: {:?}",
            example.file,
            result.error
        );
        if task.is_some() {
            assert_eq!(
                result.success,
                Some(true),
                "{}: {:?}",
                example.file,
                result.check
            );
        }
    }
}
