//! Learning and checking skills. A program that passed its task's check becomes a
//! function of the task's parameters ([`generalize`]): the builtin planner's programs
//! are its family's reference program, which already reads the parameters; a language
//! model's program is rewritten by the model (one more call, cached like any other). The
//! function is kept only when it passes its family's check on [`FRESH_SEEDS`] seeds it
//! was not learned on ([`verify_on_family`]). [`verify`] runs skills again (after a
//! change to the primitives, the physics or a scene).

use super::{Entry, Library, Skill};
use crate::extract::extract_code;
use crate::llm::{ChatRequest, LanguageModel, Message};
use crate::run::Executor;
use std::fmt::Write;
use wand_primitives::Limits;
use wand_primitives::episode::EpisodeRequest;
use wand_primitives::task::{Family, NoTask, TaskSet, TaskSpec};

/// Seeds a new skill must pass on before it is kept.
pub const FRESH_SEEDS: usize = 5;

/// How far past the learning seed to look for fresh seeds the family has a task on.
const SEED_SEARCH: u64 = 100;

/// A skill's function name for `family`: the family's name (already a Python name).
pub fn skill_name(family: &Family) -> String {
    family.name().to_string()
}

/// The docstring of a skill learned on `family` from `template`.
fn doc_for(family: &Family, template: &str) -> String {
    let summary = family.summary();
    let mut doc = format!(
        "{}{}.\n\n",
        summary[..1].to_uppercase(),
        summary[1..].trim_end_matches('.')
    );
    for (name, spec) in &family.file.params {
        let what = spec
            .doc
            .clone()
            .unwrap_or_else(|| format!("{:?}", spec.kind));
        let _ = writeln!(doc, "{name}: {what}");
    }
    if !family.file.params.is_empty() {
        doc.push('\n');
    }
    let _ = write!(
        doc,
        "Learned from task {} (\"{template}\"), verified on fresh seeds.",
        family.name()
    );
    doc
}

/// `code` with `doc` as the docstring of `def name(`, replacing any it had.
fn with_docstring(code: &str, name: &str, doc: &str) -> Option<String> {
    let lines: Vec<&str> = code.lines().collect();
    let def = lines
        .iter()
        .position(|l| l.starts_with(&format!("def {name}(")))?;
    let body = lines[def + 1..].iter().position(|l| !l.trim().is_empty())? + def + 1;
    let indent: String = lines[body]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let mut rest = body;
    let first = lines[body].trim();
    if let Some(quote) = ["\"\"\"", "'''"].into_iter().find(|q| first.starts_with(q)) {
        // Drop the function's own docstring.
        rest = if first.len() >= 6 && first[3..].contains(quote) {
            body + 1
        } else {
            lines[body + 1..]
                .iter()
                .position(|l| l.contains(quote))
                .map_or(body + 1, |i| body + 1 + i + 1)
        };
    }
    let mut out: Vec<String> = lines[..=def].iter().map(|l| l.to_string()).collect();
    out.push(format!("{indent}\"\"\""));
    for line in doc.lines() {
        out.push(format!("{indent}{line}").trim_end().to_string());
    }
    out.push(format!("{indent}\"\"\""));
    // Top-level calls of the function (an example the model added) would run whenever the
    // skill is defined: they are left out.
    let call = format!("{name}(");
    out.extend(
        lines[rest..]
            .iter()
            .filter(|l| !l.starts_with(&call))
            .map(|l| l.to_string()),
    );
    Some(out.join("\n") + "\n")
}

/// The source of the function a passed program becomes, or why there is none.
/// `instruction` and `program` are the run's; `model` rewrites a language model's
/// program (an offline planner's is its family's reference program).
pub async fn generalize(
    model: &dyn LanguageModel,
    family: &Family,
    task: &TaskSpec,
    template: &str,
    instruction: &str,
    program: &str,
) -> Result<String, String> {
    let name = skill_name(family);
    let params: Vec<&str> = family.file.params.keys().map(String::as_str).collect();
    let def = format!("def {name}({}):", params.join(", "));
    let doc = doc_for(family, template);
    let code = if model.is_language_model() {
        let values: Vec<String> = params
            .iter()
            .filter_map(|p| task.param(p).map(|v| format!("{p} = {}", v.python())))
            .collect();
        let question = format!(
            "This program carried out the instruction \"{instruction}\" (the task's values: \
             {}):\n```python\n{program}\n```\nRewrite it as one Python function\n\n    {def}\n\n\
             that does the same for any values of its parameters: use the parameters wherever \
             the program uses these values. Define only the function (helpers inside it), call \
             nothing at the top level, and use only the primitives. Answer with one ```python \
             block.",
            if values.is_empty() {
                "none".to_string()
            } else {
                values.join(", ")
            }
        );
        let request = ChatRequest {
            messages: vec![
                Message::system(format!(
                    "{}\n# The primitives\n\n{}",
                    crate::prompt::SYSTEM,
                    wand_primitives::reference::text()
                )),
                Message::user(question),
            ],
            ..ChatRequest::default()
        };
        let reply = model
            .complete(&request)
            .await
            .map_err(|e| format!("the model could not rewrite the program as a function: {e}"))?;
        extract_code(&reply.text)
            .filter(|c| c.contains(&format!("def {name}(")))
            .ok_or_else(|| format!("the model's rewrite defines no `def {name}(...)`"))?
    } else {
        let mut code = format!("{def}\n    attempt = 0\n");
        for line in family.file.reference.code.get_ref().lines() {
            if line.trim().is_empty() {
                code.push('\n');
            } else {
                let _ = writeln!(code, "    {line}");
            }
        }
        code
    };
    with_docstring(&code, &name, &doc).ok_or_else(|| format!("the function `{name}` has no body"))
}

/// The call of `skill` for `task`: its parameters from the task's values.
fn call_for(skill: &Skill, task: &TaskSpec) -> Result<String, String> {
    let args: Result<Vec<String>, String> = skill
        .params
        .iter()
        .map(|p| {
            task.param(p)
                .map(|v| v.python())
                .ok_or_else(|| format!("task {} has no value for parameter {p}", task.describe()))
        })
        .collect();
    Ok(format!("{}({})\n", skill.name(), args?.join(", ")))
}

/// Runs `skill` on fresh seeds of `family` from `first_seed` on (those the family has a
/// task on), judged by the family's check, until `count` pass; the first that fails is
/// the error. The scene is `scene` when the family lists it, else the family's first.
pub async fn verify_on_family(
    executor: &dyn Executor,
    skill: &Skill,
    family: &Family,
    scene: &str,
    seeds: impl IntoIterator<Item = u64>,
    count: usize,
) -> Result<Vec<u64>, String> {
    let scene = if family.file.scenes.iter().any(|s| s == scene) {
        scene.to_string()
    } else {
        family.file.scenes[0].clone()
    };
    let mut passed = Vec::new();
    for seed in seeds {
        if passed.len() == count {
            break;
        }
        let task = match family.draw_on(&scene, seed) {
            Ok((_, _, task)) => task,
            Err(NoTask::Skip(_)) => continue,
            Err(NoTask::Scene(why)) => return Err(why),
        };
        let request = EpisodeRequest {
            scene: scene.clone(),
            seed,
            program: call_for(skill, &task)?,
            limits: Limits::default(),
            png: None,
            task: Some(family.check(&task)),
            prelude: skill.source.clone(),
            record: false,
        };
        let (result, _) = executor.execute(request).await;
        if result.success != Some(true) {
            let why = match (&result.error, &result.check) {
                (Some(e), _) => e.summary(),
                (None, Some(v)) => v.reason.clone(),
                (None, None) => "nothing judged it".into(),
            };
            return Err(format!(
                "on {scene} seed {seed} ({}): {why}",
                task.describe()
            ));
        }
        passed.push(seed);
    }
    if passed.len() < count {
        return Err(format!(
            "the family had a task on only {} of the seeds tried",
            passed.len()
        ));
    }
    Ok(passed)
}

/// Learns a skill from a passed run on `seed`: generalize, then verify on fresh seeds
/// after it. The skill, or why it is not kept.
#[allow(clippy::too_many_arguments)]
pub async fn learn(
    model: &dyn LanguageModel,
    executor: &dyn Executor,
    family: &Family,
    task: &TaskSpec,
    template: &str,
    instruction: &str,
    program: &str,
    scene: &str,
    seed: u64,
) -> Result<Skill, String> {
    let source = generalize(model, family, task, template, instruction, program).await?;
    let mut entry = new_entry(&skill_name(family));
    entry.family = Some(family.name().to_string());
    entry.template = Some(template.to_string());
    let mut skill = Skill::parse(entry, source, false)?;
    let fresh = seed + 1..seed + 1 + SEED_SEARCH;
    skill.entry.verified_seeds =
        verify_on_family(executor, &skill, family, scene, fresh, FRESH_SEEDS)
            .await
            .map_err(|why| format!("the function failed verification {why}"))?;
    Ok(skill)
}

/// An entry for a skill made now, against these primitives.
pub fn new_entry(name: &str) -> Entry {
    Entry {
        name: name.to_string(),
        family: None,
        template: None,
        verified_seeds: Vec::new(),
        status: "verified".into(),
        check: None,
        check_scene: None,
        wand_version: env!("CARGO_PKG_VERSION").into(),
        registry: super::fingerprint(),
        created: super::now_utc(),
    }
}

/// Runs `skill` again: on its family's seeds (`seeds`, else those it was verified on)
/// with the family's check, or, for a skill without a family, its own check program on
/// its scene. Ok with the seeds it passed on, or why it fails.
pub async fn verify_skill(
    executor: &dyn Executor,
    tasks: &TaskSet,
    skill: &Skill,
    seeds: Option<Vec<u64>>,
) -> Result<Vec<u64>, String> {
    let seeds = seeds.unwrap_or_else(|| skill.entry.verified_seeds.clone());
    if seeds.is_empty() {
        return Err("it names no seeds to verify on".into());
    }
    if let Some(name) = &skill.entry.family {
        let family = tasks
            .get(name)
            .map_err(|_| format!("its family {name} is not among the task families"))?;
        let scene = family.file.scenes[0].clone();
        return verify_on_family(executor, skill, family, &scene, seeds.clone(), seeds.len()).await;
    }
    let check = skill
        .entry
        .check
        .as_ref()
        .ok_or("it has neither a family nor a check program")?;
    let scene = skill
        .entry
        .check_scene
        .clone()
        .unwrap_or_else(|| "demo".into());
    for &seed in &seeds {
        let request = EpisodeRequest {
            scene: scene.clone(),
            seed,
            program: check.clone(),
            limits: Limits::default(),
            png: None,
            task: None,
            prelude: skill.source.clone(),
            record: false,
        };
        let (result, _) = executor.execute(request).await;
        if let Some(error) = result.error {
            return Err(format!(
                "its check fails on {scene} seed {seed}: {}",
                error.summary()
            ));
        }
    }
    Ok(seeds)
}

/// Verifies the library's skills (or the one called `only`) and records the outcome in
/// each entry's status: `verified`, or `broken: why`. Returns (name, outcome) each.
pub async fn verify(
    executor: &dyn Executor,
    tasks: &TaskSet,
    library: &mut Library,
    only: Option<&str>,
    seeds: Option<Vec<u64>>,
) -> Vec<(String, Result<Vec<u64>, String>)> {
    let mut out = Vec::new();
    for skill in &mut library.skills {
        if only.is_some_and(|n| n != skill.name()) {
            continue;
        }
        let outcome = verify_skill(executor, tasks, skill, seeds.clone()).await;
        skill.entry.status = match &outcome {
            Ok(_) => "verified".into(),
            Err(why) => format!("broken: {why}"),
        };
        if outcome.is_ok() && !skill.standard {
            skill.entry.wand_version = env!("CARGO_PKG_VERSION").into();
            skill.entry.registry = super::fingerprint();
        }
        out.push((skill.name().to_string(), outcome));
    }
    out
}

/// Verifies again the skills verified against other primitives or another wand
/// ([`Skill::is_stale`]), records the outcomes and writes the library. (name, outcome)
/// each; none when nothing is stale.
pub async fn refresh(
    executor: &dyn Executor,
    tasks: &TaskSet,
    library: &mut Library,
) -> Result<Vec<(String, Result<Vec<u64>, String>)>, String> {
    let stale: Vec<String> = library
        .skills
        .iter()
        .filter(|s| s.is_stale())
        .map(|s| s.name().to_string())
        .collect();
    let mut out = Vec::new();
    for name in &stale {
        out.extend(verify(executor, tasks, library, Some(name), None).await);
    }
    if !out.is_empty() {
        library.save()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_docstring_replaces_the_functions_own_and_example_calls_are_dropped() {
        let code = "def f(a):\n    \"\"\"Old.\n    more\n    \"\"\"\n    say(a)\n\nf('x')\n";
        let out = with_docstring(code, "f", "New.\n\na: a thing").unwrap();
        assert_eq!(
            out,
            "def f(a):\n    \"\"\"\n    New.\n\n    a: a thing\n    \"\"\"\n    say(a)\n\n"
        );
        let one_line = with_docstring("def f():\n  '''x'''\n  go_home()\n", "f", "D.").unwrap();
        assert_eq!(
            one_line,
            "def f():\n  \"\"\"\n  D.\n  \"\"\"\n  go_home()\n"
        );
        assert!(with_docstring("x = 1\n", "f", "D.").is_none());
    }
}
