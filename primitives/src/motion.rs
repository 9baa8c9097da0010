//! Motion primitives: the arm's tool tip, pick and place, pushing, waiting. Each blocks
//! until the motion ends; failures are RuntimeErrors that say where and why.

use crate::error::PyError;
use crate::registry::{Args, Category, Level, Primitive, opt, req};
use crate::session::Session;
use crate::value::Value;
use wand_sim::gripper::GripperKind;
use wand_sim::kinematics::ToolAim;
use wand_sim::manipulation::APPROACH_M;
use wand_sim::robot::MotionOptions;
use wand_sim::world::Owner;
use wand_sim::{Vec3, World};

/// Longest `wait`, seconds.
const MAX_WAIT_S: f64 = 60.0;
/// Longest `push`, meters.
const MAX_PUSH_M: f64 = 0.5;
/// Height of the tool tip while pushing (the tool is a 2 cm-radius rod).
const PUSH_HEIGHT_M: f32 = 0.01;
/// Gap between the tool and the object before a push starts.
const PUSH_CLEARANCE_M: f32 = 0.015;
/// How far `grasp` reaches down looking for something to hold.
const GRASP_REACH_M: f32 = 0.03;
/// Time given to a released object to land before the program goes on.
const RELEASE_SETTLE_S: f64 = 0.3;

fn tool_yaw(world: &World) -> f32 {
    let forward = world.tool_pose().rotation * Vec3::X;
    forward.y.atan2(forward.x)
}

/// How `move_to` and `grasp` aim the tool: turned by `yaw` (None: as it is turned now),
/// pointing down, or, while the fingers hold a bowl by its wall, tipped as they hold it
/// (so what is held keeps level).
fn aim(world: &World, yaw: Option<f32>) -> ToolAim {
    let tilt_rad = match world.held() {
        Some(_) => world.tool_aim().tilt_rad,
        None => 0.0,
    };
    ToolAim {
        yaw_rad: yaw.unwrap_or_else(|| tool_yaw(world)),
        tilt_rad,
    }
}

/// Height of whatever is under (x, y) (the table: 0), ignoring the robot and what it holds.
fn surface_below(world: &World, x: f32, y: f32) -> f32 {
    if world.held().is_some() {
        return world.surface_below_held(x, y).unwrap_or(0.0);
    }
    world.surface_below_point(x, y)
}

/// After a motion: fail once the simulated-time budget is spent.
fn done(session: &Session) -> Result<Value, PyError> {
    session.check_sim_time()?;
    Ok(Value::None)
}

pub const GET_EE_POS: Primitive = Primitive {
    name: "get_ee_pos",
    params: &[],
    returns: "[x, y, z]",
    category: Category::Motion,
    level: Level::Low,
    doc: "Where the tool tip (the suction cup, or between the fingertips) is now, in meters.",
    example: "x, y, z = get_ee_pos()",
    handler: |session: &mut Session, _: &Args| {
        Ok(Value::position(session.world.tool_position().to_array()))
    },
};

pub const MOVE_TO: Primitive = Primitive {
    name: "move_to",
    params: &[req("pos"), opt("yaw", "None")],
    returns: "None",
    category: Category::Motion,
    level: Level::Low,
    doc: "Moves the tool tip to pos, pointing down (the fingers holding a bowl by its wall \
          stay tipped as they hold it, so it keeps level), turned by yaw radians (None keeps \
          the current yaw). With [x, y, z] the tip goes straight there; with [x, y] it comes down \
          from above until the tip (or what it holds) touches whatever is at (x, y), or the \
          table. Raises RuntimeError if the target is out of reach, outside the workspace, \
          or the arm would press on something.",
    example: "move_to([0.5, 0.1, 0.2])\nmove_to(get_obj_pos('red block')[:2])  # down onto its top",
    handler: move_to,
};

fn move_to(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let pos = args.numbers(0, &[2, 3])?;
    let world = &mut session.world;
    let aim = aim(world, args.number_opt(1)?.map(|yaw| yaw as f32));
    let (x, y) = (pos[0] as f32, pos[1] as f32);
    let options = MotionOptions::default();
    if let [_, _, z] = pos[..] {
        let tip = world.tool_position();
        // Short vertical moves go in a straight line; others through joint space.
        let linear = (tip.truncate() - Vec3::new(x, y, 0.0).truncate()).length() < 0.01;
        world.move_tool([x, y, z as f32], aim, linear, &options)?;
        return done(session);
    }
    let below_tip = match world.held() {
        Some(held) => world.tool_position().z - world.object_aabb(held)?.min.z,
        None => 0.0,
    };
    let contact_z = surface_below(world, x, y) + below_tip;
    let tip = world.tool_position();
    let approach_z = (contact_z + APPROACH_M).max(tip.z);
    world.move_tool([x, y, approach_z], aim, false, &options)?;
    let guarded = MotionOptions::guarded();
    world.move_tool(
        [x, y, (contact_z - 0.01).max(below_tip - 0.004)],
        aim,
        true,
        &guarded,
    )?;
    done(session)
}

pub const GO_HOME: Primitive = Primitive {
    name: "go_home",
    params: &[],
    returns: "None",
    category: Category::Motion,
    level: Level::Low,
    doc: "Moves the arm back to its starting pose, the tool 35 cm above the table, out of the \
          camera's way.",
    example: "go_home()",
    handler: |session: &mut Session, _: &Args| {
        let home = session
            .world
            .robot()
            .map(|r| r.spec.home_rad.clone())
            .unwrap_or_default();
        session
            .world
            .move_joints(&home, &MotionOptions::default())?;
        done(session)
    },
};

pub const GRASP: Primitive = Primitive {
    name: "grasp",
    params: &[],
    returns: "name held, or None",
    category: Category::Motion,
    level: Level::Low,
    doc: "Turns the suction on (or closes the fingers). Suction: if an object's top is under \
          the tool tip (the tool reaches down up to 3 cm to touch it), the tool holds it. \
          Fingers: what both fingers close on is held. grasp returns the held object's name, \
          otherwise None. Move the tip onto the object first, e.g. with move_to; the fingers \
          open 8.5 cm, so a bowl is grasped by its rim.",
    example: "move_to(get_obj_pos('red block')[:2])\nif grasp() is None:\n    say('missed it')",
    handler: grasp,
};

fn grasp(session: &mut Session, _: &Args) -> Result<Value, PyError> {
    let world = &mut session.world;
    if let Some(held) = world.held() {
        return Ok(Value::Str(held.to_string()));
    }
    let fingers = world.gripper_kind() == GripperKind::Parallel;
    let grabbed = match world.grasp() {
        Ok(name) => Some(name),
        Err(_) if fingers => {
            if let Some(too_wide) = world.too_wide_below_tip() {
                return Err(too_wide.into());
            }
            None
        }
        Err(_) => {
            let tip = world.tool_position();
            let guarded = MotionOptions::guarded();
            let low = (tip.z - GRASP_REACH_M).max(0.0);
            world.move_tool([tip.x, tip.y, low], aim(world, None), true, &guarded)?;
            world.grasp().ok()
        }
    };
    session.check_sim_time()?;
    Ok(grabbed.map_or(Value::None, Value::Str))
}

pub const RELEASE: Primitive = Primitive {
    name: "release",
    params: &[],
    returns: "None",
    category: Category::Motion,
    level: Level::Low,
    doc: "Turns the suction off (or opens the fingers): what the tool holds drops from where it is. To set an object \
          down gently, use place.",
    example: "release()",
    handler: |session: &mut Session, _: &Args| {
        if session.world.release().is_some() {
            session.world.wait(RELEASE_SETTLE_S);
        }
        done(session)
    },
};

pub const IS_HOLDING: Primitive = Primitive {
    name: "is_holding",
    params: &[opt("name", "None")],
    returns: "True or False",
    category: Category::Motion,
    level: Level::Low,
    doc: "Whether the tool holds something (or, given a name, that object).",
    example: "if not is_holding('red block'):\n    say('I dropped the red block')",
    handler: |session: &mut Session, args: &Args| {
        let held = session.world.held();
        Ok(Value::Bool(match args.get(0) {
            None => held.is_some(),
            Some(_) => {
                let name = args.text(0)?;
                session.world.object_index(name)?;
                held == Some(name)
            }
        }))
    },
};

pub const PICK: Primitive = Primitive {
    name: "pick",
    params: &[req("name")],
    returns: "None",
    category: Category::Motion,
    level: Level::High,
    doc: "Picks the object up: moves above it, comes down until the suction tool touches its \
          top (a block's middle; a bowl's rim, on a side clear of other objects) or the open \
          fingers straddle it (a block's opposite faces; a bowl's rim wall), grasps, and lifts \
          it 8 cm. A bowl carries what is inside it. Raises RuntimeError if \
          something else is already held or the grasp fails (the message says what was under \
          the tool).",
    example: "pick('red block')",
    handler: |session: &mut Session, args: &Args| {
        session.world.pick(args.text(0)?)?;
        done(session)
    },
};

pub const PLACE: Primitive = Primitive {
    name: "place",
    params: &[req("pos")],
    returns: "None",
    category: Category::Motion,
    level: Level::High,
    doc: "Sets the held object down with its center at pos and lets go. With [x, y] it is \
          lowered until it rests on whatever is there (another block, a bowl's bottom, the \
          table); a given z is the height of the surface it should rest on, so \
          place(get_location('middle')) works.",
    example: "pick('red block')\nplace(get_location('top right corner'))",
    handler: |session: &mut Session, args: &Args| {
        let pos = args.numbers(0, &[2, 3])?;
        let surface = pos.get(2).map(|z| *z as f32);
        session.world.place(pos[0] as f32, pos[1] as f32, surface)?;
        done(session)
    },
};

pub const PUT_FIRST_ON_SECOND: Primitive = Primitive {
    name: "put_first_on_second",
    params: &[req("obj"), req("target")],
    returns: "None",
    category: Category::Motion,
    level: Level::High,
    doc: "Picks obj and puts it on top of the object target, inside the bowl target (a bowl \
          nests in it, with what it carries), or at the position target ([x, y] or [x, y, z] as \
          for place).",
    example: "put_first_on_second('red block', 'green bowl')\nput_first_on_second('blue block', [0.5, -0.2])",
    handler: put_first_on_second,
};

fn put_first_on_second(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let obj = args.text(0)?.to_string();
    let world = &mut session.world;
    world.object_index(&obj)?;
    let (x, y, surface) = match args.get(1) {
        Some(Value::Str(target)) => {
            if *target == obj {
                return Err(PyError::value(format!("cannot put the {obj} on itself")));
            }
            let at = world.object_position(target)?;
            (at.x, at.y, None)
        }
        _ => {
            let pos = args.numbers(1, &[2, 3])?;
            (pos[0] as f32, pos[1] as f32, pos.get(2).map(|z| *z as f32))
        }
    };
    if world.held() != Some(obj.as_str()) {
        world.pick(&obj)?;
    }
    world.place(x, y, surface)?;
    done(session)
}

pub const PUSH: Primitive = Primitive {
    name: "push",
    params: &[req("name"), req("direction"), req("distance")],
    returns: "None",
    category: Category::Motion,
    level: Level::High,
    doc: "Pushes the object along the table by distance meters (at most 0.5). direction is a \
          vector [dx, dy] or a word: 'left', 'right', 'forward' (or 'away', 'up'), 'backward' \
          (or 'toward', 'down'), seen from the robot. The tool comes down behind the object, \
          slides through, and lifts. The hand must be empty.",
    example: "push('red block', 'left', 0.1)\npush('blue block', [1, 1], 0.05)",
    handler: push,
};

fn direction(args: &Args) -> Result<Vec3, PyError> {
    let d = match args.get(1) {
        Some(Value::Str(word)) => match word.trim().to_lowercase().as_str() {
            "left" => Vec3::Y,
            "right" => -Vec3::Y,
            "forward" | "away" | "up" | "top" | "far" => Vec3::X,
            "backward" | "back" | "toward" | "towards" | "down" | "bottom" | "near" => -Vec3::X,
            other => {
                return Err(PyError::value(format!(
                    "unknown direction '{other}'; use a vector [dx, dy] or one of: left, right, \
                     forward, away, backward, toward"
                )));
            }
        },
        _ => {
            let v = args.numbers(1, &[2, 3])?;
            Vec3::new(v[0] as f32, v[1] as f32, 0.0)
        }
    };
    if d.length() < 1e-6 {
        return Err(PyError::value("push: the direction [0, 0] points nowhere"));
    }
    Ok(d.normalize())
}

fn push(session: &mut Session, args: &Args) -> Result<Value, PyError> {
    let name = args.text(0)?.to_string();
    let d = direction(args)?;
    let distance = args.number(2)?;
    if !(0.0..=MAX_PUSH_M).contains(&distance) {
        return Err(PyError::value(format!(
            "push: distance must be between 0 and {MAX_PUSH_M} m, got {distance}"
        )));
    }
    let world = &mut session.world;
    if let Some(held) = world.held() {
        return Err(PyError::runtime(format!(
            "push needs an empty hand, but it holds the {held}; place or release it first"
        )));
    }
    let aabb = world.object_aabb(&name)?;
    let center = aabb.center();
    let size = aabb.max - aabb.min;
    // Fingers push closed, side by side: the push goes along the line they close on.
    let tool_radius_m = world
        .robot()
        .map_or(wand_sim::arm::TOOL_RADIUS_M as f32, |r| {
            r.gripper().push_half_width_m()
        });
    // Come down clear of the object (its half diagonal), then travel far enough that the
    // tool, once it meets the object's face (half its extent along d), moves it `distance`.
    let half_diagonal = size.truncate().length() / 2.0;
    let half_along = (d.x.abs() * size.x + d.y.abs() * size.y) / 2.0;
    let back_off = half_diagonal + tool_radius_m + PUSH_CLEARANCE_M;
    let gap = back_off - half_along - tool_radius_m;
    let start = Vec3::new(center.x, center.y, 0.0) - d * back_off;
    let end = start + d * (distance as f32 + gap);
    let yaw = match world.gripper_kind() {
        GripperKind::Suction => tool_yaw(world),
        // The closing axis (the tool's y) along the push: the closed pads side by side.
        GripperKind::Parallel => {
            wand_sim::manipulation::half_turn_yaw(d.y.atan2(d.x) + std::f32::consts::FRAC_PI_2)
        }
    };
    let options = MotionOptions::default();
    let above = aabb.max.z + APPROACH_M;
    world.move_tool([start.x, start.y, above], yaw, false, &options)?;
    world.set_gripper_opening(0.0);
    let guarded = MotionOptions::guarded();
    let came_down = world.move_tool([start.x, start.y, PUSH_HEIGHT_M], yaw, true, &guarded)?;
    if let Some(other) = came_down.touched.filter(|o| *o != Owner::Table) {
        let what = match other {
            Owner::Object(i) => world.objects()[i].name.clone(),
            _ => "something".into(),
        };
        world.move_tool([start.x, start.y, above], yaw, true, &options)?;
        return Err(PyError::runtime(format!(
            "push: the {what} is in the way behind the {name}; there is no room to start the push"
        )));
    }
    let slow = MotionOptions {
        tool_speed_mps: 0.15,
        ..options.clone()
    };
    world.move_tool([end.x, end.y, PUSH_HEIGHT_M], yaw, true, &slow)?;
    world.move_tool([end.x, end.y, above], yaw, true, &options)?;
    done(session)
}

pub const WAIT: Primitive = Primitive {
    name: "wait",
    params: &[req("seconds")],
    returns: "None",
    category: Category::Motion,
    level: Level::Low,
    doc: "Lets simulated time pass (at most 60 s at a time); the arm holds still.",
    example: "release()\nwait(0.5)",
    handler: |session: &mut Session, args: &Args| {
        let seconds = args.number(0)?;
        if !(0.0..=MAX_WAIT_S).contains(&seconds) {
            return Err(PyError::value(format!(
                "wait: seconds must be between 0 and {MAX_WAIT_S}, got {seconds}"
            )));
        }
        session.world.wait(seconds);
        done(session)
    },
};
