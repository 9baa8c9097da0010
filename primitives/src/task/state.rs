//! [`SceneState`]: what a check reads — every object's kind, color, pose, bounding box,
//! what it rests on or is inside, and what the robot holds — as plain data. Episode
//! results report the same [`ObjectState`]s.
//!
//! "On" and "inside" are not decided here: they are the simulation's
//! [`World::is_on`] / [`World::is_inside`], the project's one definition.

use crate::value::round_m;
use crate::workspace;
use monty_types::MontyObject;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wand_sim::scene::PlacementArea;
use wand_sim::{Kind, World};

/// One object's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectState {
    /// "block" or "bowl".
    pub kind: String,
    pub color: String,
    /// Center of its bounding box, meters (rounded to 0.1 mm).
    pub pos: [f64; 3],
    /// Rotation about z, radians.
    pub yaw: f64,
    /// Its world bounding box, [[xmin, ymin, zmin], [xmax, ymax, zmax]], meters.
    pub bbox: [[f64; 3]; 2],
    /// What it rests on: "table", a block's name, or the bowl it is inside; `null` when
    /// it rests on nothing (held, tilted against something, in the air).
    pub on: Option<String>,
    /// The bowl it lies in directly, if any ([`World::container`]): for a block in the
    /// inner of two nested bowls, the inner one (it is inside both: follow `inside`).
    pub inside: Option<String>,
    /// Whether the robot holds it.
    pub held: bool,
}

/// The scene as a check sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneState {
    /// Every object, by name.
    pub objects: BTreeMap<String, ObjectState>,
    /// The object the robot holds, if any.
    pub held: Option<String>,
    /// The placement area, [[xmin, ymin], [xmax, ymax]] (what `table_bounds` returns).
    pub area: [[f64; 2]; 2],
    /// The named places (`get_location`'s), [x, y] by name.
    pub locations: BTreeMap<String, [f64; 2]>,
}

impl SceneState {
    /// The state of `world`, whose scene places objects on `area`.
    pub fn capture(world: &World, area: &PlacementArea) -> SceneState {
        SceneState {
            objects: objects(world),
            held: world.held().map(str::to_string),
            area: workspace::area_bounds(area),
            locations: workspace::locations(area)
                .into_iter()
                .map(|(name, point)| (name.to_string(), point))
                .collect(),
        }
    }

    /// The state as a Python value (dicts and lists), for a check's inputs.
    pub fn to_monty(&self) -> MontyObject {
        json_to_monty(&serde_json::to_value(self).expect("a scene state serializes"))
    }
}

/// Every object's state, by name.
pub fn objects(world: &World) -> BTreeMap<String, ObjectState> {
    let names = world.object_names();
    let bowls: Vec<&String> = names
        .iter()
        .filter(|n| matches!(world.object(n), Ok(o) if o.kind == Kind::Bowl))
        .collect();
    let support = |name: &str| -> (Option<String>, Option<String>) {
        // A bowl's bottom is thinner than the table's resting gap: ask about bowls first.
        let inside = world.container(name).unwrap_or(None);
        if inside.is_some() {
            return (inside.clone(), inside);
        }
        if world.is_on(name, "table").unwrap_or(false) {
            return (Some("table".into()), None);
        }
        let on = names
            .iter()
            .filter(|n| !bowls.contains(n))
            .find(|n| world.is_on(name, n).unwrap_or(false))
            .cloned();
        (on, None)
    };
    world
        .objects()
        .iter()
        .map(|o| {
            let aabb = world.object_aabb(&o.name).expect("own object");
            let yaw = world.object_yaw(&o.name).expect("own object") as f64;
            let c = aabb.center();
            let (on, inside) = support(&o.name);
            let state = ObjectState {
                kind: o.kind.name().to_string(),
                color: o.color.name().to_string(),
                pos: [round_m(c.x), round_m(c.y), round_m(c.z)],
                yaw: (yaw * 1e4).round() / 1e4,
                bbox: [
                    [
                        round_m(aabb.min.x),
                        round_m(aabb.min.y),
                        round_m(aabb.min.z),
                    ],
                    [
                        round_m(aabb.max.x),
                        round_m(aabb.max.y),
                        round_m(aabb.max.z),
                    ],
                ],
                on,
                inside,
                held: world.held() == Some(o.name.as_str()),
            };
            (o.name.clone(), state)
        })
        .collect()
}

/// A JSON value as a Python value.
pub fn json_to_monty(value: &serde_json::Value) -> MontyObject {
    use serde_json::Value;
    match value {
        Value::Null => MontyObject::None,
        Value::Bool(b) => MontyObject::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => MontyObject::Int(i),
            None => MontyObject::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => MontyObject::String(s.clone()),
        Value::Array(items) => MontyObject::List(items.iter().map(json_to_monty).collect()),
        Value::Object(map) => MontyObject::dict(
            map.iter()
                .map(|(k, v)| (MontyObject::String(k.clone()), json_to_monty(v)))
                .collect::<Vec<_>>(),
        ),
    }
}
