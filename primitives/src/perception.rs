//! Perception primitives: names, positions, boxes, yaw, color, kind, visibility, and
//! what the camera sees. In `truth` mode they read the simulation's ground truth; in
//! `camera` mode names, positions, boxes, yaw and visibility are the scene camera's
//! estimates (the session's [`Perceiver`](crate::perceiver::Perceiver)): an object the
//! camera does not see is not visible, and asking where it is raises. Color and kind
//! are the detector's labels, known for every object.

use crate::error::PyError;
use crate::registry::{Args, Category, Level, Primitive, req};
use crate::session::Session;
use crate::value::Value;
use wand_sim::Vec3;
use wand_sim::camera::{Camera, RaycastCamera, object_of_segment};
use wand_sim::scene::PerceptionMode;

pub const GET_OBJ_NAMES: Primitive = Primitive {
    name: "get_obj_names",
    params: &[],
    returns: "list of names",
    category: Category::Perception,
    level: Level::Low,
    doc: "The names of the movable objects on the table, sorted (not the robot or the table), \
          e.g. ['blue bowl', 'red block']. With camera perception: the objects the camera sees.",
    example: "for name in get_obj_names():\n    print(name, get_obj_pos(name))",
    handler: get_obj_names,
};

fn get_obj_names(session: &mut Session, _: &Args) -> Result<Value, PyError> {
    let names = match session.perceiver.mode() {
        PerceptionMode::Truth => session.world.object_names(),
        PerceptionMode::Camera => {
            let view = session.perceiver.view(&session.world)?;
            let objects = session.world.objects();
            let mut names: Vec<String> = view
                .sightings
                .iter()
                .map(|s| objects[s.object].name.clone())
                .collect();
            names.sort();
            names
        }
    };
    Ok(Value::List(names.into_iter().map(Value::Str).collect()))
}

pub const GET_OBJ_POS: Primitive = Primitive {
    name: "get_obj_pos",
    params: &[req("name")],
    returns: "[x, y, z]",
    category: Category::Perception,
    level: Level::Low,
    doc: "The center of the object's bounding box, in meters (world frame: x forward, y left, z up). \
          A block resting on the table has z = 0.02. With camera perception: the camera's estimate, \
          and a ValueError if the camera cannot see the object.",
    example: "x, y, z = get_obj_pos('red block')",
    handler: get_obj_pos,
};

fn get_obj_pos(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let name = args.text(0)?;
    let p = match session.perceiver.mode() {
        PerceptionMode::Truth => session.world.object_position(name)?,
        PerceptionMode::Camera => session.perceiver.sighting(&session.world, name)?.center_m,
    };
    Ok(Value::position(p.to_array()))
}

pub const GET_OBJ_BBOX: Primitive = Primitive {
    name: "get_obj_bbox",
    params: &[req("name")],
    returns: "[[xmin, ymin, zmin], [xmax, ymax, zmax]]",
    category: Category::Perception,
    level: Level::Low,
    doc: "The object's axis-aligned bounding box in meters. With camera perception: the \
          object's known shape placed at the camera's estimate of its pose.",
    example: "(lo, hi) = get_obj_bbox('green bowl')\nwidth = hi[0] - lo[0]",
    handler: get_obj_bbox,
};

fn get_obj_bbox(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let name = args.text(0)?;
    let (min, max) = match session.perceiver.mode() {
        PerceptionMode::Truth => {
            let aabb = session.world.object_aabb(name)?;
            (aabb.min, aabb.max)
        }
        PerceptionMode::Camera => {
            let seen = session.perceiver.sighting(&session.world, name)?;
            (seen.min_m, seen.max_m)
        }
    };
    Ok(bbox(min, max))
}

fn bbox(min: Vec3, max: Vec3) -> Value {
    Value::List(vec![
        Value::position(min.to_array()),
        Value::position(max.to_array()),
    ])
}

pub const GET_OBJ_YAW: Primitive = Primitive {
    name: "get_obj_yaw",
    params: &[req("name")],
    returns: "radians",
    category: Category::Perception,
    level: Level::Low,
    doc: "The object's rotation about the vertical axis, in radians in (-pi, pi]. A block looks \
          the same every quarter turn: with camera perception its yaw is known only up to one, \
          in [-pi/4, pi/4), and a bowl's is 0.",
    example: "yaw = get_obj_yaw('red block')",
    handler: get_obj_yaw,
};

fn get_obj_yaw(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let name = args.text(0)?;
    let yaw = match session.perceiver.mode() {
        PerceptionMode::Truth => session.world.object_yaw(name)?,
        PerceptionMode::Camera => session.perceiver.sighting(&session.world, name)?.yaw_rad,
    };
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
    if session.perceiver.mode() == PerceptionMode::Camera {
        let view = session.perceiver.view(&session.world)?;
        return Ok(Value::Bool(view.sighting(index).is_some()));
    }
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

pub const DESCRIBE_VIEW: Primitive = Primitive {
    name: "describe_view",
    params: &[],
    returns: "list of dicts",
    category: Category::Perception,
    level: Level::Low,
    doc: "What the scene's camera sees: one dict per visible object, sorted by name, with \
          'name', 'kind', 'color', 'pixels' (how many pixels show it), 'box_px' ([x_min, y_min, \
          x_max, y_max] in the image, row 0 at the top), 'pos' ([x, y, z], as get_obj_pos \
          gives) and 'bbox' (as get_obj_bbox gives). Pixels come from the camera in both \
          perception modes; 'pos' and 'bbox' are the truth with truth perception and the \
          camera's estimates with camera perception.",
    example: "for seen in describe_view():\n    print(seen['name'], seen['pixels'], seen['pos'])",
    handler: describe_view,
};

fn describe_view(session: &mut Session, _: &Args) -> Result<Value, PyError> {
    let mode = session.perceiver.mode();
    let view = session.perceiver.view(&session.world)?;
    let world = &session.world;
    let mut seen = Vec::with_capacity(view.sightings.len());
    for sighting in &view.sightings {
        let object = &world.objects()[sighting.object];
        let (center, min, max) = match mode {
            PerceptionMode::Truth => {
                let aabb = world.object_aabb(&object.name)?;
                (aabb.center(), aabb.min, aabb.max)
            }
            PerceptionMode::Camera => (sighting.center_m, sighting.min_m, sighting.max_m),
        };
        let box_px = Value::List(
            sighting
                .box_px
                .iter()
                .map(|&v| Value::Int(v.into()))
                .collect(),
        );
        seen.push((
            object.name.clone(),
            Value::Dict(vec![
                ("name".into(), Value::Str(object.name.clone())),
                ("kind".into(), Value::Str(object.kind.name().to_string())),
                ("color".into(), Value::Str(object.color.name().to_string())),
                ("pixels".into(), Value::Int(sighting.pixels as i64)),
                ("box_px".into(), box_px),
                ("pos".into(), Value::position(center.to_array())),
                ("bbox".into(), bbox(min, max)),
            ]),
        ));
    }
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Value::List(seen.into_iter().map(|(_, v)| v).collect()))
}
