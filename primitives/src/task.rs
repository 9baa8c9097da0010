//! Tasks: what an instruction asks for, and the success check that judges an episode
//! from the simulation's ground truth.
//!
//! Each family is one entry of [`FAMILIES`] (its parameters, a summary and its check);
//! [`check`] judges a world against a [`TaskSpec`], and [`match_instruction`] maps an
//! instruction to a task from a few templates per family. A verdict's reason is feedback
//! for a language model, so it says what is wrong and by how much.
//!
//! Checks read only the ground-truth query API of [`World`]. An object the robot still
//! holds never counts as placed.

use crate::workspace::LOCATIONS;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wand_sim::scene::PlacementArea;
use wand_sim::{Color, Kind, World};

/// A task with its parameters, e.g. `matching_bowls {}` or
/// `pick_place {"object": "red block", "target": "green bowl"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSpec {
    /// The task family's name (see [`task_names`]).
    pub name: String,
    /// Parameters filled from the instruction or the seed.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl TaskSpec {
    /// A task of family `name` with the given parameters.
    pub fn new(name: &str, params: &[(&str, &str)]) -> TaskSpec {
        TaskSpec {
            name: name.to_string(),
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// The parameter `key`, if given.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.get(key).map(String::as_str)
    }
}

/// A success check's verdict and, for feedback, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Whether the world satisfies the task.
    pub success: bool,
    /// What was right or wrong, e.g. "red block is not inside green bowl: 0.21 m from its center".
    pub reason: String,
}

impl Verdict {
    /// A verdict from a judge other than a task check (a language model's yes or no).
    pub fn judged(success: bool, reason: impl Into<String>) -> Verdict {
        Verdict {
            success,
            reason: reason.into(),
        }
    }

    fn pass(reason: impl Into<String>) -> Verdict {
        Verdict {
            success: true,
            reason: reason.into(),
        }
    }

    fn fail(reason: impl Into<String>) -> Verdict {
        Verdict {
            success: false,
            reason: reason.into(),
        }
    }
}

/// One task family: its name, parameters, what it asks for, and its check.
pub struct Family {
    /// The name a [`TaskSpec`] carries.
    pub name: &'static str,
    /// Parameters it needs.
    pub params: &'static [&'static str],
    /// Parameters it may have.
    pub optional: &'static [&'static str],
    /// What it asks for, in a sentence.
    pub summary: &'static str,
    check: fn(&TaskSpec, &World) -> Result<Verdict, String>,
}

/// The task families, each defined once.
pub const FAMILIES: [Family; 6] = [
    Family {
        name: "pick_place",
        params: &["object", "target"],
        optional: &["point"],
        summary: "object ends inside the target bowl, on the target block, or within 5 cm of \
                  the target location (a get_location name; `point` \"x,y\" overrides where it is)",
        check: check_pick_place,
    },
    Family {
        name: "stack_all",
        params: &[],
        optional: &[],
        summary: "every block is in one tower: one block on the table, each other on another",
        check: check_stack_all,
    },
    Family {
        name: "matching_bowls",
        params: &[],
        optional: &[],
        summary: "every block that has a bowl of its color is inside that bowl",
        check: check_matching_bowls,
    },
    Family {
        name: "stack_on",
        params: &["object", "target"],
        optional: &[],
        summary: "object rests on the target block (inside it, for a bowl)",
        check: check_stack_on,
    },
    Family {
        name: "corner",
        params: &["object"],
        optional: &["location", "point"],
        summary: "object is within 5 cm of the named corner, or of any corner when none is named",
        check: check_corner,
    },
    Family {
        name: "side",
        params: &["object"],
        optional: &["location", "point"],
        summary: "object is within 5 cm of the named side's midpoint, or of any side's when none \
                  is named",
        check: check_side,
    },
];

/// How far (m, horizontally) an object may be from a location's point and count as there.
pub const LOCATION_TOLERANCE_M: f32 = 0.05;

/// The task families wand knows.
pub fn task_names() -> Vec<&'static str> {
    FAMILIES.iter().map(|f| f.name).collect()
}

/// Judges the world against the task. An error names what is wrong with the task itself
/// (an unknown family, a missing parameter, an object the scene lacks).
pub fn check(task: &TaskSpec, world: &World) -> Result<Verdict, String> {
    let family = FAMILIES
        .iter()
        .find(|f| f.name == task.name)
        .ok_or_else(|| {
            format!(
                "unknown task '{}'; known tasks: {}",
                task.name,
                task_names().join(", ")
            )
        })?;
    (family.check)(task, world)
}

/// Where the named place (a [`LOCATIONS`] name) is, [x, y] in meters, on a placement area
/// — the point `get_location` returns for a scene with that area.
pub fn location_point(name: &str, area: &PlacementArea) -> Option<[f32; 2]> {
    let (_, u, v) = LOCATIONS.iter().find(|(n, _, _)| *n == name)?;
    let (u, v) = (*u as f32, *v as f32);
    Some([
        area.x_m.min + v * (area.x_m.max - area.x_m.min),
        area.y_m.max - u * (area.y_m.max - area.y_m.min),
    ])
}

/// Sets the task's `point` from its location (`target` or `location`) on the scene's
/// placement area, for scenes whose area differs from the default one checks assume.
pub fn locate(task: &mut TaskSpec, area: &PlacementArea) {
    let place = task.param("location").or(task.param("target"));
    if let Some(point) = place.and_then(|name| location_point(name, area)) {
        task.params
            .insert("point".into(), format!("{:.4},{:.4}", point[0], point[1]));
    }
}

fn param<'a>(task: &'a TaskSpec, key: &str) -> Result<&'a str, String> {
    task.param(key).ok_or_else(|| {
        let family = FAMILIES.iter().find(|f| f.name == task.name);
        let params = family.map_or(String::new(), |f| f.params.join(", "));
        format!(
            "task '{}' needs the parameter '{key}' (its parameters: {params})",
            task.name
        )
    })
}

fn err(e: wand_sim::SimError) -> String {
    e.to_string()
}

fn kind_of(world: &World, name: &str) -> Result<Kind, String> {
    Ok(world.object(name).map_err(err)?.kind)
}

fn held_by_robot(world: &World, name: &str) -> Option<Verdict> {
    (world.held() == Some(name)).then(|| {
        Verdict::fail(format!(
            "{name} is still held by the robot; place it and let go (place or put_first_on_second)"
        ))
    })
}

/// Where `point` is, from the task's `point` parameter or the default placement area.
fn target_point(task: &TaskSpec, location: &str) -> Result<[f32; 2], String> {
    if let Some(text) = task.param("point") {
        let parts: Vec<Option<f32>> = text.split(',').map(|p| p.trim().parse().ok()).collect();
        return match parts[..] {
            [Some(x), Some(y)] => Ok([x, y]),
            _ => Err(format!(
                "task '{}': point must be \"x,y\" in meters, got '{text}'",
                task.name
            )),
        };
    }
    location_point(location, &PlacementArea::default()).ok_or_else(|| {
        let known: Vec<&str> = LOCATIONS.iter().map(|(n, _, _)| *n).collect();
        format!(
            "task '{}': '{location}' is neither an object of this scene nor a location; known locations: {}",
            task.name,
            known.join(", ")
        )
    })
}

fn check_pick_place(task: &TaskSpec, world: &World) -> Result<Verdict, String> {
    let object = param(task, "object")?;
    let target = param(task, "target")?;
    kind_of(world, object)?;
    if world.object_names().iter().any(|n| n == target) {
        return placed_on(world, object, target);
    }
    let point = target_point(task, target)?;
    Ok(near_point(world, object, target, point))
}

fn check_stack_on(task: &TaskSpec, world: &World) -> Result<Verdict, String> {
    let object = param(task, "object")?;
    let target = param(task, "target")?;
    kind_of(world, object)?;
    placed_on(world, object, target)
}

/// Whether `object` is inside the bowl / on the block `target`, and if not, how far off.
fn placed_on(world: &World, object: &str, target: &str) -> Result<Verdict, String> {
    let target_kind = kind_of(world, target)?;
    if object == target {
        return Err(format!("the object and the target are both '{object}'"));
    }
    if let Some(held) = held_by_robot(world, object) {
        return Ok(held);
    }
    let gap_xy = world.distance_xy(object, target).map_err(err)?;
    let bottom = world.object_aabb(object).map_err(err)?.min.z;
    let target_box = world.object_aabb(target).map_err(err)?;
    if target_kind == Kind::Bowl {
        if world.is_inside(object, target).map_err(err)? {
            return Ok(Verdict::pass(format!(
                "{object} is inside {target} ({gap_xy:.2} m from its center)"
            )));
        }
        if gap_xy < wand_sim::objects::BOWL_RADIUS_M {
            return Ok(Verdict::fail(format!(
                "{object} is over {target} but not inside it: its bottom is at z = {bottom:.2} m, \
                 above the bowl's rim at z = {:.2} m",
                target_box.max.z
            )));
        }
        return Ok(Verdict::fail(format!(
            "{object} is not inside {target}: {gap_xy:.2} m from its center"
        )));
    }
    if world.is_on(object, target).map_err(err)? {
        return Ok(Verdict::pass(format!("{object} is on {target}")));
    }
    let over = {
        let c = world.object_position(object).map_err(err)?;
        (target_box.min.x..=target_box.max.x).contains(&c.x)
            && (target_box.min.y..=target_box.max.y).contains(&c.y)
    };
    let step = bottom - target_box.max.z;
    Ok(Verdict::fail(if over {
        format!(
            "{object} is over {target} but not resting on it: its bottom is {:.2} m {} {target}'s top",
            step.abs(),
            if step > 0.0 { "above" } else { "below" }
        )
    } else {
        format!(
            "{object} is not on {target}: {gap_xy:.2} m from it horizontally (its bottom at z = \
             {bottom:.2} m, {target}'s top at z = {:.2} m)",
            target_box.max.z
        )
    }))
}

/// Whether `object` is within [`LOCATION_TOLERANCE_M`] of the location's point.
fn near_point(world: &World, object: &str, location: &str, point: [f32; 2]) -> Verdict {
    if let Some(held) = held_by_robot(world, object) {
        return held;
    }
    let gap = distance_to(world, object, point);
    let [x, y] = point;
    if gap <= LOCATION_TOLERANCE_M {
        Verdict::pass(format!(
            "{object} is at the {location}: {gap:.2} m from its point [{x:.2}, {y:.2}]"
        ))
    } else {
        let p = world.object_position(object).expect("a known object");
        Verdict::fail(format!(
            "{object} is not at the {location}: {gap:.2} m from its point [{x:.2}, {y:.2}] \
             (it is at [{:.2}, {:.2}]; within {LOCATION_TOLERANCE_M:.2} m counts)",
            p.x, p.y
        ))
    }
}

fn distance_to(world: &World, object: &str, [x, y]: [f32; 2]) -> f32 {
    let p = world.object_position(object).expect("a known object");
    ((p.x - x).powi(2) + (p.y - y).powi(2)).sqrt()
}

fn check_corner(task: &TaskSpec, world: &World) -> Result<Verdict, String> {
    check_region(task, world, "corner")
}

fn check_side(task: &TaskSpec, world: &World) -> Result<Verdict, String> {
    check_region(task, world, "side")
}

/// `corner` and `side`: near the named location of that kind, or the nearest of them.
fn check_region(task: &TaskSpec, world: &World, kind: &str) -> Result<Verdict, String> {
    let object = param(task, "object")?;
    kind_of(world, object)?;
    let places: Vec<&str> = LOCATIONS
        .iter()
        .map(|(n, _, _)| *n)
        .filter(|n| n.ends_with(kind))
        .collect();
    if let Some(location) = task.param("location") {
        if !places.contains(&location) {
            return Err(format!(
                "task '{}': '{location}' is not a {kind}; the {kind}s are: {}",
                task.name,
                places.join(", ")
            ));
        }
        let point = target_point(task, location)?;
        return Ok(near_point(world, object, location, point));
    }
    if let Some(held) = held_by_robot(world, object) {
        return Ok(held);
    }
    let area = PlacementArea::default();
    let (gap, nearest) = places
        .iter()
        .map(|p| {
            let point = location_point(p, &area).expect("a known location");
            (distance_to(world, object, point), *p)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .expect("corners and sides exist");
    Ok(if gap <= LOCATION_TOLERANCE_M {
        Verdict::pass(format!("{object} is at the {nearest} ({gap:.2} m away)"))
    } else {
        Verdict::fail(format!(
            "{object} is not at any {kind}: the nearest is the {nearest}, {gap:.2} m away \
             (within {LOCATION_TOLERANCE_M:.2} m counts)"
        ))
    })
}

fn names_of_kind(world: &World, kind: Kind) -> Vec<String> {
    world
        .object_names()
        .into_iter()
        .filter(|n| matches!(world.object(n), Ok(o) if o.kind == kind))
        .collect()
}

/// What a block rests on, for judging towers.
#[derive(Debug, Clone, PartialEq)]
enum Support {
    Table,
    Block(String),
    Bowl(String),
    Held,
    Nothing(f32),
}

fn support_of(world: &World, block: &str, blocks: &[String]) -> Support {
    if world.held() == Some(block) {
        return Support::Held;
    }
    // A bowl's bottom is thinner than the table's resting gap: ask about bowls first.
    let bowls = names_of_kind(world, Kind::Bowl);
    if let Some(bowl) = bowls
        .iter()
        .find(|b| world.is_inside(block, b).unwrap_or(false))
    {
        return Support::Bowl(bowl.clone());
    }
    if world.is_on(block, "table").unwrap_or(false) {
        return Support::Table;
    }
    if let Some(under) = blocks
        .iter()
        .find(|b| world.is_on(block, b).unwrap_or(false))
    {
        return Support::Block(under.clone());
    }
    Support::Nothing(world.object_aabb(block).map_or(0.0, |b| b.min.z))
}

fn check_stack_all(_: &TaskSpec, world: &World) -> Result<Verdict, String> {
    let blocks = names_of_kind(world, Kind::Block);
    if blocks.len() < 2 {
        return Ok(Verdict::pass(format!(
            "there {} {} block: nothing to stack",
            if blocks.len() == 1 { "is" } else { "are" },
            blocks.len()
        )));
    }
    let supports: BTreeMap<&str, Support> = blocks
        .iter()
        .map(|b| (b.as_str(), support_of(world, b, &blocks)))
        .collect();
    // Each block's tower: the block on the table at its bottom, and its level (1 = bottom).
    let root_and_level = |block: &str| -> Option<(String, usize)> {
        let mut current = block.to_string();
        for level in 1..=blocks.len() {
            match &supports[current.as_str()] {
                Support::Table => return Some((current, level)),
                Support::Block(under) => current = under.clone(),
                _ => return None,
            }
        }
        None
    };
    let mut towers: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for block in &blocks {
        if let Some((root, level)) = root_and_level(block) {
            towers.entry(root).or_default().push((block.clone(), level));
        }
    }
    let n = blocks.len();
    let (base, members) = towers
        .iter()
        .max_by_key(|(root, members)| (members.len(), std::cmp::Reverse(root.as_str())))
        .map(|(root, members)| (root.clone(), members.clone()))
        .unwrap_or_default();
    let levels = members.iter().map(|(_, level)| *level).max().unwrap_or(0);
    if members.len() == n && levels == n {
        return Ok(Verdict::pass(format!(
            "all {n} blocks are in one tower on {base}"
        )));
    }
    let level_word = if levels == 1 { "level" } else { "levels" };
    let mut problems = Vec::new();
    for block in &blocks {
        if members.iter().any(|(m, _)| m == block) {
            continue;
        }
        let why = match &supports[block.as_str()] {
            Support::Held => "is still held by the robot".to_string(),
            Support::Table => "is on the table apart from it".to_string(),
            Support::Block(under) => format!("is on {under}, in another pile"),
            Support::Bowl(bowl) => format!("is inside {bowl}"),
            Support::Nothing(z) => {
                format!("rests on neither the table nor a block (its bottom is at z = {z:.2} m)")
            }
        };
        problems.push(format!("{block} {why}"));
    }
    if problems.is_empty() {
        // One pile, but not one column: two blocks share a support.
        let mut on: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (block, support) in &supports {
            if let Support::Block(under) = support {
                on.entry(under.as_str()).or_default().push(block);
            }
        }
        for (under, above) in on.iter().filter(|(_, above)| above.len() > 1) {
            problems.push(format!(
                "{} are all on {under}; put each block on the one below it",
                above.join(" and ")
            ));
        }
    }
    if levels == 0 {
        return Ok(Verdict::fail(format!(
            "no block stands on the table, so there is no tower of {n} blocks: {}",
            problems.join("; ")
        )));
    }
    Ok(Verdict::fail(format!(
        "the tower on {base} has {levels} {level_word} but there are {n} blocks: {}",
        problems.join("; ")
    )))
}

fn check_matching_bowls(_: &TaskSpec, world: &World) -> Result<Verdict, String> {
    let names = world.object_names();
    let mut pairs = Vec::new();
    for block in names_of_kind(world, Kind::Block) {
        let color = world.object(&block).map_err(err)?.color;
        let bowl = format!("{} bowl", color.name());
        if names.contains(&bowl) {
            pairs.push((block, bowl));
        }
    }
    if pairs.is_empty() {
        return Ok(Verdict::pass(
            "no block has a bowl of its color: nothing to put away",
        ));
    }
    let mut problems = Vec::new();
    for (block, bowl) in &pairs {
        let verdict = placed_on(world, block, bowl)?;
        if !verdict.success {
            problems.push(verdict.reason);
        }
    }
    if problems.is_empty() {
        let done: Vec<String> = pairs.iter().map(|(k, b)| format!("{k} in {b}")).collect();
        return Ok(Verdict::pass(format!(
            "every block with a bowl of its color is inside it: {}",
            done.join(", ")
        )));
    }
    Ok(Verdict::fail(format!(
        "{} of {} blocks with a bowl of their color are not in it: {}",
        problems.len(),
        pairs.len(),
        problems.join("; ")
    )))
}

// ---------------------------------------------------------------------------------------
// Matching instructions to tasks.

/// The task an instruction asks for, when it matches a known template for this world.
pub fn match_instruction(instruction: &str, world: &World) -> Option<TaskSpec> {
    match_with_names(instruction, &world.object_names())
}

/// Every name an object can have ("red block", …, "gray bowl"): what to match against
/// when the scene's objects are not known.
pub fn all_object_names() -> Vec<String> {
    let kinds = [Kind::Block, Kind::Bowl];
    kinds
        .iter()
        .flat_map(|k| {
            Color::ALL
                .iter()
                .map(move |c| format!("{} {}", c.name(), k.name()))
        })
        .collect()
}

/// [`match_instruction`] over object names alone ("<color> <kind>", as
/// `get_obj_names` lists them): for callers that know the names but have no world.
///
/// Templates (after lowercasing and dropping punctuation; "cube" reads as "block"):
/// - `matching_bowls`: blocks (plural, "each", "every" or "all") + bowl + a color
///   match ("matching", "same color", "corresponding", "by color", "its/their color");
/// - `stack_all`: "stack", "tower" or "pile" + the blocks (plural, "all", "every");
/// - `pick_place` / `stack_on`: a placing verb, two object names joined by "in", "on",
///   "into", "onto", "inside" or "on top of" (a bowl target gives `pick_place`, a block
///   target `stack_on`), and no relative words ("left of", "next to", "near", …);
/// - `pick_place` to a location: a placing verb, one object and "top/bottom left/right
///   corner", "top/bottom/left/right side" (or "edge") or "middle"/"center";
///   `corner` / `side`: the same with "a corner" / "a side" and no direction.
pub fn match_with_names(instruction: &str, names: &[String]) -> Option<TaskSpec> {
    let words = normalize(instruction);
    let has = |w: &str| words.iter().any(|x| x == w);
    let has_any = |ws: &[&str]| ws.iter().any(|w| has(w));
    let mentions = mentions(&words, names);
    let many_blocks = has_any(&["blocks", "each", "every", "all"]);

    let color_match = has_any(&["matching", "match", "matches", "corresponding"])
        || has_phrase(&words, &["same", "color"])
        || has_phrase(&words, &["by", "color"])
        || has_phrase(&words, &["its", "color"])
        || has_phrase(&words, &["their", "color"]);
    if many_blocks && has_any(&["bowl", "bowls"]) && color_match {
        return Some(TaskSpec::new("matching_bowls", &[]));
    }
    if has_any(&["stack", "tower", "pile", "stacks"]) && many_blocks {
        return Some(TaskSpec::new("stack_all", &[]));
    }
    let placing = has_any(&[
        "put", "place", "move", "stack", "set", "drop", "pick", "bring", "carry", "transfer",
        "get", "take",
    ]);
    if !placing || mentions.is_empty() || mentions.len() > 2 {
        return None;
    }
    let relative = [
        "left", "right", "front", "behind", "next", "near", "beside", "besides", "between",
        "under", "below", "beneath", "away", "from", "around", "close", "closer", "far", "farther",
        "out", "outside", "off",
    ];
    if let [(_, object_end, object), (target_start, _, target)] = mentions[..] {
        let between = &words[object_end..target_start];
        let joined = between
            .iter()
            .any(|w| ["in", "on", "inside", "atop", "top"].contains(&w.as_str()));
        if !joined || between.iter().any(|w| relative.contains(&w.as_str())) {
            return None;
        }
        let family = if target.ends_with("bowl") {
            "pick_place"
        } else {
            "stack_on"
        };
        return Some(TaskSpec::new(
            family,
            &[("object", object), ("target", target)],
        ));
    }
    let (_, end, object) = mentions[0];
    location_task(&words[end..], object)
}

/// A location named in `words` (after the object's mention) as a task for `object`.
fn location_task(words: &[String], object: &str) -> Option<TaskSpec> {
    let has = |w: &str| words.iter().any(|x| x == w);
    let vertical: Vec<&str> = ["top", "bottom"].into_iter().filter(|w| has(w)).collect();
    let horizontal: Vec<&str> = ["left", "right"].into_iter().filter(|w| has(w)).collect();
    let location = if has("corner") || has("corners") {
        match (&vertical[..], &horizontal[..]) {
            ([], []) => return Some(TaskSpec::new("corner", &[("object", object)])),
            ([v], [h]) => format!("{v} {h} corner"),
            _ => return None,
        }
    } else if has("side") || has("edge") {
        let directions: Vec<&str> = vertical.iter().chain(&horizontal).copied().collect();
        match directions[..] {
            [] => return Some(TaskSpec::new("side", &[("object", object)])),
            [d] => format!("{d} side"),
            _ => return None,
        }
    } else if (has("middle") || has("center")) && vertical.is_empty() && horizontal.is_empty() {
        "middle".to_string()
    } else {
        return None;
    };
    let mut task = TaskSpec::new("pick_place", &[("object", object), ("target", &location)]);
    locate(&mut task, &PlacementArea::default());
    Some(task)
}

/// Lowercase words without punctuation, with a few synonyms folded in.
fn normalize(text: &str) -> Vec<String> {
    let cleaned: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned
        .split_whitespace()
        .map(|w| {
            match w {
                "cube" => "block",
                "cubes" => "blocks",
                "grey" => "gray",
                "colour" | "colors" | "colours" => "color",
                "centre" => "center",
                "upper" => "top",
                "lower" => "bottom",
                "into" => "in",
                "onto" => "on",
                other => other,
            }
            .to_string()
        })
        .collect()
}

fn has_phrase(words: &[String], phrase: &[&str]) -> bool {
    words
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

/// Object names mentioned in `words`, as (start, end, name), in order, each once.
fn mentions<'a>(words: &[String], names: &'a [String]) -> Vec<(usize, usize, &'a str)> {
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for name in names {
        let parts: Vec<&str> = name.split_whitespace().collect();
        if parts.is_empty() {
            continue;
        }
        let first = words
            .windows(parts.len())
            .position(|w| w.iter().zip(&parts).all(|(a, b)| a == b));
        if let Some(start) = first {
            found.push((start, start + parts.len(), name));
        }
    }
    found.sort();
    found
}
