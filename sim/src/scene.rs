//! Scene files (TOML) and their seeded randomization.
//!
//! A scene says what is on the table before an episode starts: the table, the area where
//! objects are placed, fixed objects and/or a randomized set of blocks and bowls, the
//! camera and the robot. [`Scene::load`] reads one (a shipped scene's name or a path) and
//! [`Scene::build`] turns it into a [`World`] for a seed; the same scene and seed always
//! give the same world. The file format is the [`Scene`] struct (serde, unknown fields
//! rejected); `scenes/scene.schema.json` is generated from it by [`json_schema`].
//!
//! Every section but `description` may be left out; this file spells out each one, with
//! the defaults where a value is shown as a default:
//!
//! ```
//! let text = r#"
//! description = "a red block on the table and 2-3 random blocks with matching bowls"
//!
//! [robot]                              # or just: robot = "ur5e"
//! model = "ur5e"                       # the only robot so far (default)
//! gripper = "suction"                  # or "parallel" (default "suction"; --gripper overrides)
//!
//! [table]                              # the benchmark table (default)
//! center_m = [0.5, 0.0]
//! half_extents_m = [0.4, 0.4]
//!
//! [placement]                          # where random objects go (defaults)
//! x_m = [0.3, 0.8]
//! y_m = [-0.3, 0.3]
//! gap_m = 0.02                         # between footprints
//! margin_m = 0.01                      # from the area's edge
//!
//! [[objects]]                          # fixed objects, any number
//! kind = "block"
//! color = "red"
//! pos_m = [0.5, 0.0]                   # [x, y] or [x, y, z_bottom]
//! yaw_rad = 0.0
//!
//! [random]
//! blocks = [2, 3]                      # [min, max], both included (default [0, 0])
//! bowls = [1, 3]
//! colors = ["green", "blue", "yellow", "red"]  # default: all ten
//! bowl_colors = "match_blocks"         # or "any" (default "match_blocks")
//! random_block_yaw = true              # (default)
//!
//! [camera]                             # default: CameraSpec::default()
//! eye_m = [1.2, 0.0, 0.9]
//! target_m = [0.5, 0.0, 0.0]
//! up = [0.0, 0.0, 1.0]
//! width_px = 640
//! height_px = 480
//! fovy_deg = 45.0
//!
//! [perception]                         # how perception primitives answer (defaults)
//! mode = "truth"                       # or "camera": from the camera's segmented depth
//! depth_sigma_m = 0.002                # camera mode: Gaussian depth noise per pixel
//! dropout = 0.05                       # camera mode: fraction of pixels with no depth
//! "#;
//! let scene = wand_sim::Scene::parse(text, "example.toml", "example").unwrap();
//! let objects = scene.layout(7).unwrap();
//! assert_eq!(objects, scene.layout(7).unwrap()); // same seed, same objects
//! assert_eq!(objects[0].name(), "red block");
//! let world = scene.build(7).unwrap();
//! assert_eq!(world.objects().len(), objects.len());
//! ```

mod layout;
mod parse;

/// TOML files into typed structs with file:line:column errors (also used for task files).
pub use parse::{from_toml, line_column};

use crate::arm::ArmSpec;
use crate::camera::CameraSpec;
use crate::error::SimError;
use crate::gripper::GripperKind;
use crate::objects::{Color, Kind, ObjectSpec};
use crate::world::{World, WorldConfig};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};
use std::path::Path;

/// The scene `--scene` means when none is given.
pub const DEFAULT_SCENE: &str = "tabletop";

/// The scenes built into the binary, so that wand works from any directory:
/// (name, file text). The first is the default.
const SHIPPED: [(&str, &str); 3] = [
    ("tabletop", include_str!("../../scenes/tabletop.toml")),
    ("blocks", include_str!("../../scenes/blocks.toml")),
    ("demo", include_str!("../../scenes/demo.toml")),
];

/// The shipped scenes as (name, description), in listing order (the default first).
pub fn shipped() -> Vec<(&'static str, String)> {
    SHIPPED
        .iter()
        .map(|(name, text)| {
            let scene = Scene::parse(text, &shipped_label(name), name)
                .expect("shipped scenes parse (tested in sim/tests/scene.rs)");
            (*name, scene.description)
        })
        .collect()
}

/// The names of the shipped scenes.
pub fn shipped_names() -> Vec<&'static str> {
    SHIPPED.iter().map(|(name, _)| *name).collect()
}

/// The JSON schema of scene files, as committed in `scenes/scene.schema.json`.
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(Scene);
    // Serializing the Schema itself (not a Value) keeps schemars' readable key order.
    if let Some(object) = schema.as_object_mut() {
        object.values_mut().for_each(shortest_f32_numbers);
    }
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}

/// Writes defaults that came from f32 fields as the f32's shortest decimal (0.02, not
/// 0.019999999552965164), so the committed schema reads like the scene files.
fn shortest_f32_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or_default();
            // Only numbers that are exactly an f32 came from one; leave the rest alone.
            if (x as f32) as f64 == x
                && let Some(short) = (x as f32).to_string().parse().ok()
                && let Some(number) = serde_json::Number::from_f64(short)
            {
                *n = number;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(shortest_f32_numbers),
        Value::Object(map) => map.values_mut().for_each(shortest_f32_numbers),
        _ => {}
    }
}

/// A scene: everything on the table before an episode starts.
///
/// This struct is the file format. Every section but `description` may be left out; the
/// defaults are the Code as Policies benchmark table and the default camera.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "wand scene",
    description = "A wand scene file (TOML): the table, the objects (fixed and/or randomized from the episode seed), the camera and the robot. Lengths in meters, angles in radians, frames REP-103 (x forward, y left, z up; the table top is z = 0)."
)]
pub struct Scene {
    /// The scene's name: a shipped scene's name, or the file's stem.
    #[serde(skip)]
    pub name: String,
    /// Where the scene came from ("scenes/tabletop.toml" or the path given), for messages.
    #[serde(skip)]
    pub source: String,
    /// One line saying what the scene is for; `wand scenes` lists it.
    pub description: String,
    /// Which robot stands at the origin facing +x, and its gripper: `robot = "ur5e"`,
    /// or a `[robot]` table with `model` and `gripper`.
    #[serde(default)]
    #[schemars(with = "RobotField")]
    pub robot: RobotSpec,
    /// The table: a box whose top face is z = 0.
    #[serde(default)]
    pub table: TableSpec,
    /// The part of the table where randomized objects are placed (the reachable part).
    #[serde(default)]
    pub placement: PlacementArea,
    /// Objects at fixed, hand-chosen poses.
    #[serde(default)]
    pub objects: Vec<FixedObject>,
    /// Blocks and bowls whose number, colors and places are drawn from the seed.
    #[serde(default)]
    pub random: Option<RandomObjects>,
    /// The camera that `wand render` and camera-based perception use.
    #[serde(default)]
    pub camera: CameraSpec,
    /// Where the perception primitives' answers come from.
    #[serde(default)]
    pub perception: PerceptionSpec,
}

/// Where the perception primitives' answers come from, and the camera's noise.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PerceptionSpec {
    /// "truth" (the simulation's poses) or "camera" (estimates from the camera).
    pub mode: PerceptionMode,
    /// Camera mode: standard deviation of each pixel's depth error, meters.
    pub depth_sigma_m: f32,
    /// Camera mode: the fraction of pixels that return no depth.
    pub dropout: f32,
}

impl Default for PerceptionSpec {
    fn default() -> Self {
        let noise = crate::sight::NoiseModel::default();
        PerceptionSpec {
            mode: PerceptionMode::Truth,
            depth_sigma_m: noise.depth_sigma_m,
            dropout: noise.dropout,
        }
    }
}

impl PerceptionSpec {
    /// The camera's noise model.
    pub fn noise(&self) -> crate::sight::NoiseModel {
        crate::sight::NoiseModel {
            depth_sigma_m: self.depth_sigma_m,
            dropout: self.dropout,
        }
    }
}

/// Where perception answers come from.
///
/// Defined once: the scene's `[perception] mode`, `--perception` on the commands (a
/// clap value enum with the `clap` feature), results and records all use this type.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize, JsonSchema,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum PerceptionMode {
    /// Ground truth: exact poses and boxes of every object.
    #[default]
    Truth,
    /// The scene's camera: estimates from its segmented depth, with noise; what it
    /// cannot see is not visible.
    Camera,
}

impl PerceptionMode {
    /// "truth" or "camera".
    pub fn name(self) -> &'static str {
        match self {
            PerceptionMode::Truth => "truth",
            PerceptionMode::Camera => "camera",
        }
    }
}

/// The robot of a scene and the gripper on it (`--gripper` overrides the gripper).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RobotSpec {
    pub model: RobotModel,
    pub gripper: GripperKind,
}

/// The `robot` entry as a file may write it: a model's name, or a table.
#[derive(Deserialize, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)] // only its schema is used; RobotSpec deserializes by hand
enum RobotField {
    /// The robot model, with the default (suction) gripper.
    Model(RobotModel),
    Table(RobotTable),
}

/// `[robot]`: the model and its gripper.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RobotTable {
    /// Which robot (default "ur5e").
    #[serde(default)]
    model: RobotModel,
    /// "suction" (default) or "parallel" (two fingers, opening 8.5 cm).
    #[serde(default)]
    gripper: GripperKind,
}

impl<'de> Deserialize<'de> for RobotSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{self, MapAccess, Visitor, value};
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = RobotSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(r#"a robot model ("ur5e") or a [robot] table with model and gripper"#)
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<RobotSpec, E> {
                let model = RobotModel::deserialize(value::StrDeserializer::<E>::new(name))?;
                Ok(RobotSpec {
                    model,
                    gripper: GripperKind::default(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RobotSpec, A::Error> {
                let table = RobotTable::deserialize(value::MapAccessDeserializer::new(map))?;
                Ok(RobotSpec {
                    model: table.model,
                    gripper: table.gripper,
                })
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// The robots a scene can have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RobotModel {
    /// A 6-DOF arm with the UR5e's link lengths and joint limits, with a suction gripper.
    #[default]
    Ur5e,
}

impl RobotModel {
    /// The arm to put in the world.
    pub fn arm_spec(self) -> ArmSpec {
        match self {
            RobotModel::Ur5e => ArmSpec::ur5e(),
        }
    }
}

/// The table box; its top face is the plane z = 0.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TableSpec {
    /// Center of the table top, [x, y] in meters.
    pub center_m: [f32; 2],
    /// Half of the table's length along x and width along y, meters.
    pub half_extents_m: [f32; 2],
}

impl Default for TableSpec {
    /// The benchmark table: 0.8 × 0.8 m, centered 0.5 m in front of the robot.
    fn default() -> Self {
        TableSpec {
            center_m: [0.5, 0.0],
            half_extents_m: [0.4, 0.4],
        }
    }
}

/// Where randomized objects go: a rectangle on the table, and the clearances kept.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PlacementArea {
    /// The range of x, [min, max] in meters.
    pub x_m: Interval,
    /// The range of y, [min, max] in meters.
    pub y_m: Interval,
    /// Smallest distance between two objects' footprints, meters.
    pub gap_m: f32,
    /// Smallest distance between a footprint and the area's edge, meters.
    pub margin_m: f32,
}

impl Default for PlacementArea {
    /// The part of the benchmark table where the UR5e reaches the surface with its tool
    /// pointing down: nearer than x = 0.3 the elbow would have to fold past 160°.
    fn default() -> Self {
        PlacementArea {
            x_m: Interval { min: 0.3, max: 0.8 },
            y_m: Interval {
                min: -0.3,
                max: 0.3,
            },
            gap_m: 0.02,
            margin_m: 0.01,
        }
    }
}

/// A closed range of lengths `[min, max]` with min < max.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, JsonSchema)]
#[serde(try_from = "[f32; 2]")]
pub struct Interval {
    /// Lower end, meters.
    pub min: f32,
    /// Upper end, meters.
    pub max: f32,
}

impl TryFrom<[f32; 2]> for Interval {
    type Error = String;

    fn try_from([min, max]: [f32; 2]) -> Result<Self, String> {
        if min.is_finite() && max.is_finite() && min < max {
            Ok(Interval { min, max })
        } else {
            Err(format!(
                "the range [{min}, {max}] must be [min, max] in meters with min < max"
            ))
        }
    }
}

/// An object at a fixed pose.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FixedObject {
    /// Block or bowl.
    pub kind: Kind,
    /// Its color; also its name ("red block"), so one color per kind.
    pub color: Color,
    /// Footprint center [x, y] in meters; an optional third number is the height of the
    /// object's bottom (default 0: on the table).
    #[serde(deserialize_with = "position_2_or_3")]
    #[schemars(length(min = 2, max = 3))]
    pub pos_m: Vec<f32>,
    /// Rotation about z, radians.
    #[serde(default)]
    pub yaw_rad: f32,
}

impl FixedObject {
    /// The object as the world takes it.
    pub fn spec(&self) -> ObjectSpec {
        ObjectSpec {
            kind: self.kind,
            color: self.color,
            pos_m: self.pos_m.clone(),
            yaw_rad: self.yaw_rad,
        }
    }
}

/// Rejects a position that is not [x, y] or [x, y, z] while the file's span is known.
fn position_2_or_3<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f32>, D::Error> {
    let pos = Vec::<f32>::deserialize(deserializer)?;
    if (2..=3).contains(&pos.len()) {
        Ok(pos)
    } else {
        Err(serde::de::Error::custom(format!(
            "needs 2 or 3 numbers ([x, y] or [x, y, z] in meters), got {}",
            pos.len()
        )))
    }
}

/// Blocks and bowls drawn from the seed: how many, which colors, placed without overlap
/// inside the placement area (and clear of the fixed objects).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RandomObjects {
    /// How many blocks, [min, max] (both included).
    #[serde(default)]
    pub blocks: CountRange,
    /// How many bowls, [min, max] (both included).
    #[serde(default)]
    pub bowls: CountRange,
    /// The colors to draw from; colors are distinct within a kind. Default: all ten.
    #[serde(default = "all_colors")]
    #[schemars(length(min = 1), extend("uniqueItems" = true))]
    pub colors: Vec<Color>,
    /// Where bowls get their colors.
    #[serde(default)]
    pub bowl_colors: BowlColors,
    /// Turn each block by a random yaw (a bowl is round and stays unturned).
    #[serde(default = "yes")]
    pub random_block_yaw: bool,
}

fn all_colors() -> Vec<Color> {
    Color::ALL.to_vec()
}

fn yes() -> bool {
    true
}

/// Where randomized bowls get their colors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BowlColors {
    /// Each bowl has the color of a block in the scene, so that "put the blocks in the
    /// matching bowls" makes sense; there are never more bowls than blocks.
    #[default]
    MatchBlocks,
    /// Any of `colors`, independent of the blocks.
    Any,
}

/// A number of objects `[min, max]`, both included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(try_from = "[u32; 2]")]
pub struct CountRange {
    /// Fewest objects.
    pub min: u32,
    /// Most objects.
    pub max: u32,
}

impl TryFrom<[u32; 2]> for CountRange {
    type Error = String;

    fn try_from([min, max]: [u32; 2]) -> Result<Self, String> {
        if min <= max {
            Ok(CountRange { min, max })
        } else {
            Err(format!(
                "the count range [{min}, {max}] must be [min, max] with min <= max"
            ))
        }
    }
}

impl Scene {
    /// Loads a shipped scene by name ("tabletop") or a scene file by path ("my.toml").
    ///
    /// Errors name the file, line, column and field of what is wrong; an unknown name
    /// lists the shipped scenes.
    pub fn load(name_or_path: &str) -> Result<Scene, SimError> {
        if let Some((name, text)) = SHIPPED.iter().find(|(name, _)| *name == name_or_path) {
            return Scene::parse(text, &shipped_label(name), name);
        }
        let path = Path::new(name_or_path);
        let looks_like_path = name_or_path.ends_with(".toml")
            || name_or_path.contains(std::path::MAIN_SEPARATOR)
            || name_or_path.contains('/');
        if !looks_like_path && !path.is_file() {
            return Err(SimError::Scene(format!(
                "unknown scene '{name_or_path}'; shipped scenes: {}; or give the path of a .toml scene file",
                shipped_names().join(", ")
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|error| {
            SimError::Scene(format!(
                "cannot read scene file '{name_or_path}': {error}; shipped scenes: {}",
                shipped_names().join(", ")
            ))
        })?;
        let name = path.file_stem().map_or_else(
            || name_or_path.to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        Scene::parse(&text, name_or_path, &name)
    }

    /// Parses scene text; `source` names it in error messages.
    pub fn parse(text: &str, source: &str, name: &str) -> Result<Scene, SimError> {
        let mut scene: Scene = parse::from_toml(text, source)?;
        scene.name = name.to_string();
        scene.source = source.to_string();
        scene.check()?;
        Ok(scene)
    }

    /// The objects of the world for `seed`: the fixed objects, then the randomized
    /// blocks, then the randomized bowls. Deterministic in (scene, seed).
    pub fn layout(&self, seed: u64) -> Result<Vec<ObjectSpec>, SimError> {
        layout::objects(self, seed)
    }

    /// The physics settings of this scene's world.
    pub fn world_config(&self) -> WorldConfig {
        WorldConfig {
            table_center_m: self.table.center_m,
            table_half_extents_m: self.table.half_extents_m,
            ..WorldConfig::default()
        }
    }

    /// Builds the world for `seed`: the table, the robot in its home pose, the objects.
    /// Nothing is stepped; the same scene and seed always give the same world.
    pub fn build(&self, seed: u64) -> Result<World, SimError> {
        let objects = self.layout(seed)?;
        let mut world = World::new(self.world_config());
        world.add_robot(self.robot.model.arm_spec());
        if self.robot.gripper != GripperKind::default() {
            world.set_gripper(self.robot.gripper.build())?;
        }
        for object in &objects {
            world.add_object(object)?;
        }
        Ok(world)
    }

    /// An error about this scene that no single line of the file can be blamed for.
    pub(crate) fn invalid(&self, reason: String) -> SimError {
        SimError::InvalidScene {
            scene: self.source.clone(),
            reason,
        }
    }

    /// Checks what spans several fields (each field alone was checked while parsing).
    fn check(&self) -> Result<(), SimError> {
        if self.description.trim().is_empty() || self.description.contains('\n') {
            return Err(
                self.invalid("description must be one line saying what the scene is for".into())
            );
        }
        let p = &self.perception;
        if !(p.depth_sigma_m >= 0.0 && p.depth_sigma_m < 0.1) {
            return Err(self.invalid(format!(
                "perception.depth_sigma_m must be at least 0 and below 0.1 m, got {}",
                p.depth_sigma_m
            )));
        }
        if !(0.0..1.0).contains(&p.dropout) {
            return Err(self.invalid(format!(
                "perception.dropout must be at least 0 and below 1 (a fraction of pixels), got {}",
                p.dropout
            )));
        }
        let [hx, hy] = self.table.half_extents_m;
        if !(hx > 0.0 && hy > 0.0) {
            return Err(self.invalid(format!(
                "table.half_extents_m must be positive, got [{hx}, {hy}]"
            )));
        }
        let [cx, cy] = self.table.center_m;
        let area = &self.placement;
        let (tx, ty) = ((cx - hx, cx + hx), (cy - hy, cy + hy));
        if area.x_m.min < tx.0 || area.x_m.max > tx.1 || area.y_m.min < ty.0 || area.y_m.max > ty.1
        {
            return Err(self.invalid(format!(
                "the placement area (x {}..{}, y {}..{} m) reaches past the table (x {}..{}, y {}..{} m); shrink placement.x_m / placement.y_m or grow the table",
                area.x_m.min, area.x_m.max, area.y_m.min, area.y_m.max, tx.0, tx.1, ty.0, ty.1
            )));
        }
        if !(area.gap_m >= 0.0 && area.margin_m >= 0.0) {
            return Err(
                self.invalid("placement.gap_m and placement.margin_m must not be negative".into())
            );
        }
        for (i, object) in self.objects.iter().enumerate() {
            let (x, y) = (object.pos_m[0], object.pos_m[1]);
            if x < tx.0 || x > tx.1 || y < ty.0 || y > ty.1 {
                return Err(self.invalid(format!(
                    "objects[{i}] ({}) at [{x}, {y}] is off the table (x {}..{}, y {}..{} m)",
                    object.spec().name(),
                    tx.0,
                    tx.1,
                    ty.0,
                    ty.1
                )));
            }
            if let Some(j) = self.objects[..i]
                .iter()
                .position(|o| o.kind == object.kind && o.color == object.color)
            {
                return Err(self.invalid(format!(
                    "objects[{j}] and objects[{i}] are both the {}; each color may be used once per kind",
                    object.spec().name()
                )));
            }
        }
        if let Some(random) = &self.random {
            layout::check_colors(self, random)?;
        }
        Ok(())
    }
}

/// How a shipped scene is named in messages: the file it was built from.
fn shipped_label(name: &str) -> String {
    format!("scenes/{name}.toml")
}
