//! Perception primitives: names, positions, boxes, yaw, color, kind, visibility — read
//! from the simulation's ground truth.

use crate::error::PyError;
use crate::registry::{Args, Category, Level, Primitive, req};
use crate::session::Session;
use crate::value::Value;
use wand_sim::camera::{Camera, RaycastCamera, object_of_segment};

pub const GET_OBJ_NAMES: Primitive = Primitive {
    name: "get_obj_names",
    params: &[],
    returns: "list of names",
    category: Category::Perception,
    level: Level::Low,
    doc: "The names of the movable objects on the table, sorted (not the robot or the table), \
          e.g. ['blue bowl', 'red block'].",
    example: "for name in get_obj_names():\n    print(name, get_obj_pos(name))",
    handler: get_obj_names,
};

fn get_obj_names(session: &mut Session, _: &Args) -> Result<Value, PyError> {
    Ok(Value::List(
        session
            .world
            .object_names()
            .into_iter()
            .map(Value::Str)
            .collect(),
    ))
}

pub const GET_OBJ_POS: Primitive = Primitive {
    name: "get_obj_pos",
    params: &[req("name")],
    returns: "[x, y, z]",
    category: Category::Perception,
    level: Level::Low,
    doc: "The center of the object's bounding box, in meters (world frame: x forward, y left, z up). \
          A block resting on the table has z = 0.02.",
    example: "x, y, z = get_obj_pos('red block')",
    handler: get_obj_pos,
};

fn get_obj_pos(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let p = session.world.object_position(args.text(0)?)?;
    Ok(Value::position(p.to_array()))
}

pub const GET_OBJ_BBOX: Primitive = Primitive {
    name: "get_obj_bbox",
    params: &[req("name")],
    returns: "[[xmin, ymin, zmin], [xmax, ymax, zmax]]",
    category: Category::Perception,
    level: Level::Low,
    doc: "The object's axis-aligned bounding box in meters.",
    example: "(lo, hi) = get_obj_bbox('green bowl')\nwidth = hi[0] - lo[0]",
    handler: get_obj_bbox,
};

fn get_obj_bbox(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let aabb = session.world.object_aabb(args.text(0)?)?;
    Ok(Value::List(vec![
        Value::position(aabb.min.to_array()),
        Value::position(aabb.max.to_array()),
    ]))
}

pub const GET_OBJ_YAW: Primitive = Primitive {
    name: "get_obj_yaw",
    params: &[req("name")],
    returns: "radians",
    category: Category::Perception,
    level: Level::Low,
    doc: "The object's rotation about the vertical axis, in radians in (-pi, pi]. A block looks \
          the same every quarter turn.",
    example: "yaw = get_obj_yaw('red block')",
    handler: get_obj_yaw,
};

fn get_obj_yaw(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let yaw = session.world.object_yaw(args.text(0)?)?;
    Ok(Value::Float((yaw as f64 * 1e4).round() / 1e4))
}

pub const GET_OBJ_COLOR: Primitive = Primitive {
    name: "get_obj_color",
    params: &[req("name")],
    returns: "color name",
    category: Category::Perception,
    level: Level::Low,
    doc: "The object's color: one of red, orange, yellow, green, blue, purple, pink, cyan, brown, gray.",
    example: "reds = [n for n in get_obj_names() if get_obj_color(n) == 'red']",
    handler: get_obj_color,
};

fn get_obj_color(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let object = session.world.object(args.text(0)?)?;
    Ok(Value::Str(object.color.name().to_string()))
}

pub const GET_OBJ_KIND: Primitive = Primitive {
    name: "get_obj_kind",
    params: &[req("name")],
    returns: "'block' or 'bowl'",
    category: Category::Perception,
    level: Level::Low,
    doc: "What the object is: 'block' (a 4 cm cube) or 'bowl' (13 cm wide, 4 cm high).",
    example: "blocks = [n for n in get_obj_names() if get_obj_kind(n) == 'block']",
    handler: get_obj_kind,
};

fn get_obj_kind(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let object = session.world.object(args.text(0)?)?;
    Ok(Value::Str(object.kind.name().to_string()))
}

pub const IS_OBJ_VISIBLE: Primitive = Primitive {
    name: "is_obj_visible",
    params: &[req("name")],
    returns: "True or False",
    category: Category::Perception,
    level: Level::Low,
    doc: "Whether the scene's camera sees any part of the object (the arm or another object may \
          hide it). A name that is not in the scene is not visible: False, not an error.",
    example: "if not is_obj_visible('red block'):\n    go_home()",
    handler: is_obj_visible,
};

/// Visibility is judged on a small image: enough to see a 4 cm block from the camera.
const VISIBILITY_WIDTH_PX: u32 = 160;

fn is_obj_visible(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    // Code as Policies' programs ask `if is_obj_visible('purple bowl')` to learn whether
    // an object is there at all: a name not in the scene is simply not seen.
    let Ok(index) = session.world.object_index(args.text(0)?) else {
        return Ok(Value::Bool(false));
    };
    let mut spec = session.scene.camera.clone();
    let aspect = spec.height_px as f32 / spec.width_px as f32;
    spec.width_px = VISIBILITY_WIDTH_PX;
    spec.height_px = ((VISIBILITY_WIDTH_PX as f32 * aspect).round() as u32).max(1);
    let camera = RaycastCamera::new(spec).map_err(|e| PyError::runtime(e.to_string()))?;
    let images = camera.render(&session.world);
    let seen = images
        .segmentation
        .iter()
        .any(|&id| object_of_segment(id) == Some(index));
    Ok(Value::Bool(seen))
}
