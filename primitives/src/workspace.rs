//! Workspace primitives: the table's usable area and its named places.

use crate::error::PyError;
use crate::registry::{Args, Category, Level, Primitive, req};
use crate::session::Session;
use crate::value::{Value, round_m};
use wand_sim::scene::PlacementArea;

/// The named places `get_location` knows, as (name, u, v): u goes 0 left → 1 right and
/// v 0 bottom (near the robot) → 1 top (far), as `denormalize_xy` takes them.
pub const LOCATIONS: [(&str, f64, f64); 9] = [
    ("top left corner", 0.0, 1.0),
    ("top right corner", 1.0, 1.0),
    ("bottom left corner", 0.0, 0.0),
    ("bottom right corner", 1.0, 0.0),
    ("middle", 0.5, 0.5),
    ("top side", 0.5, 1.0),
    ("bottom side", 0.5, 0.0),
    ("left side", 0.0, 0.5),
    ("right side", 1.0, 0.5),
];

pub const TABLE_BOUNDS: Primitive = Primitive {
    name: "table_bounds",
    params: &[],
    returns: "[[xmin, ymin], [xmax, ymax]]",
    category: Category::Workspace,
    level: Level::Low,
    doc: "The part of the table the robot works on, in meters. Seen from the robot, x grows away \
          from it (top/far) and y grows to its left.",
    example: "(xmin, ymin), (xmax, ymax) = table_bounds()",
    handler: table_bounds,
};

/// The placement area's corners [[xmin, ymin], [xmax, ymax]], rounded to 0.1 mm.
pub fn area_bounds(area: &PlacementArea) -> [[f64; 2]; 2] {
    [
        [round_m(area.x_m.min), round_m(area.y_m.min)],
        [round_m(area.x_m.max), round_m(area.y_m.max)],
    ]
}

fn bounds(session: &Session) -> [[f64; 2]; 2] {
    area_bounds(&session.scene.placement)
}

/// The table point [x, y] at normalized (u, v) of the area: u 0 left → 1 right, v 0
/// bottom → 1 top. `get_location`, `denormalize_xy` and the task checks' locations all
/// come from here.
pub fn area_point(bounds: [[f64; 2]; 2], u: f64, v: f64) -> [f64; 2] {
    let [[xmin, ymin], [xmax, ymax]] = bounds;
    let round = |x: f64| (x * 1e4).round() / 1e4;
    [
        round(xmin + v * (xmax - xmin)),
        round(ymax - u * (ymax - ymin)),
    ]
}

/// Every named place of [`LOCATIONS`] on the area, by name.
pub fn locations(area: &PlacementArea) -> Vec<(&'static str, [f64; 2])> {
    let bounds = area_bounds(area);
    LOCATIONS
        .iter()
        .map(|(name, u, v)| (*name, area_point(bounds, *u, *v)))
        .collect()
}

fn table_bounds(session: &mut Session, _: &Args) -> Result<Value, PyError> {
    let [lo, hi] = bounds(session);
    Ok(Value::List(vec![Value::floats(&lo), Value::floats(&hi)]))
}

/// The table point at normalized (u, v) as a program sees it: [x, y, 0].
fn denormalize(session: &Session, u: f64, v: f64) -> Value {
    let [x, y] = area_point(bounds(session), u, v);
    Value::floats(&[x, y, 0.0])
}

pub const GET_LOCATION: Primitive = Primitive {
    name: "get_location",
    params: &[req("name")],
    returns: "[x, y, 0]",
    category: Category::Workspace,
    level: Level::Low,
    doc: "A named place on the table surface, seen from the robot: 'top left corner', \
          'top right corner', 'bottom left corner', 'bottom right corner', 'middle', \
          'top side', 'bottom side', 'left side', 'right side'. Top is far from the robot, \
          left is the robot's left.",
    example: "place(get_location('top left corner'))",
    handler: get_location,
};

fn get_location(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let name = args.text(0)?;
    let wanted = name.trim().to_lowercase();
    let (_, u, v) = LOCATIONS
        .iter()
        .find(|(n, _, _)| *n == wanted)
        .ok_or_else(|| {
            let known: Vec<&str> = LOCATIONS.iter().map(|(n, _, _)| *n).collect();
            PyError::value(format!(
                "unknown location '{name}'; known locations: {}",
                known.join(", ")
            ))
        })?;
    Ok(denormalize(session, *u, *v))
}

pub const GET_CORNER_NAME: Primitive = Primitive {
    name: "get_corner_name",
    params: &[req("pos")],
    returns: "corner name",
    category: Category::Workspace,
    level: Level::Low,
    doc: "The name of the table corner nearest pos ([x, y] or [x, y, z]), as get_location \
          knows it, e.g. 'top left corner'.",
    example: "corner = get_corner_name(get_obj_pos('red block'))",
    handler: |session: &mut Session, args: &Args| nearest_location(session, args, "corner"),
};

pub const GET_SIDE_NAME: Primitive = Primitive {
    name: "get_side_name",
    params: &[req("pos")],
    returns: "side name",
    category: Category::Workspace,
    level: Level::Low,
    doc: "The name of the table side nearest pos ([x, y] or [x, y, z]), as get_location knows \
          it, e.g. 'left side'.",
    example: "side = get_side_name(get_obj_pos('blue bowl'))",
    handler: |session: &mut Session, args: &Args| nearest_location(session, args, "side"),
};

/// The name of the [`LOCATIONS`] place whose name ends with `suffix` ("corner", "side")
/// nearest the position in argument 0 (in the plane; ties go to the first listed).
fn nearest_location(session: &mut Session, args: &Args, suffix: &str) -> Result<Value, PyError> {
    let pos = args.numbers(0, &[2, 3])?;
    let distance = |at: [f64; 2]| (at[0] - pos[0]).hypot(at[1] - pos[1]);
    let nearest = locations(&session.scene.placement)
        .into_iter()
        .filter(|(name, _)| name.ends_with(suffix))
        .min_by(|a, b| distance(a.1).total_cmp(&distance(b.1)))
        .map(|(name, _)| name)
        .expect("LOCATIONS names corners and sides");
    Ok(Value::Str(nearest.to_string()))
}

pub const DENORMALIZE_XY: Primitive = Primitive {
    name: "denormalize_xy",
    params: &[req("uv")],
    returns: "[x, y, 0]",
    category: Category::Workspace,
    level: Level::Low,
    doc: "The table point at normalized coordinates [u, v]: u goes 0 (left) to 1 (right), \
          v goes 0 (bottom, near the robot) to 1 (top, far).",
    example: "center = denormalize_xy([0.5, 0.5])",
    handler: denormalize_xy,
};

fn denormalize_xy(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let uv = args.numbers(0, &[2])?;
    if uv.iter().any(|c| !(0.0..=1.0).contains(c)) {
        return Err(PyError::value(format!(
            "denormalize_xy: u and v must be between 0 and 1 (the table's edges), got [{}, {}]",
            uv[0], uv[1]
        )));
    }
    Ok(denormalize(session, uv[0], uv[1]))
}
