//! Objects on the table: blocks and bowls with a name, kind, color, size and mass.

use crate::Vec3;
use rapier3d::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The ten colors of the Code as Policies tabletop.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Red,
    Orange,
    Yellow,
    Green,
    Blue,
    Purple,
    Pink,
    Cyan,
    Brown,
    Gray,
}

impl Color {
    /// Every color, in a fixed order (the order seeded sampling draws from).
    pub const ALL: [Color; 10] = [
        Color::Red,
        Color::Orange,
        Color::Yellow,
        Color::Green,
        Color::Blue,
        Color::Purple,
        Color::Pink,
        Color::Cyan,
        Color::Brown,
        Color::Gray,
    ];

    /// The lowercase word used in object names ("red").
    pub fn name(self) -> &'static str {
        match self {
            Color::Red => "red",
            Color::Orange => "orange",
            Color::Yellow => "yellow",
            Color::Green => "green",
            Color::Blue => "blue",
            Color::Purple => "purple",
            Color::Pink => "pink",
            Color::Cyan => "cyan",
            Color::Brown => "brown",
            Color::Gray => "gray",
        }
    }

    /// sRGB color used by the camera.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Color::Red => [220, 40, 40],
            Color::Orange => [245, 130, 30],
            Color::Yellow => [240, 210, 40],
            Color::Green => [50, 170, 70],
            Color::Blue => [40, 90, 215],
            Color::Purple => [130, 60, 180],
            Color::Pink => [240, 130, 180],
            Color::Cyan => [40, 200, 210],
            Color::Brown => [130, 85, 45],
            Color::Gray => [128, 128, 128],
        }
    }
}

/// What an object is; decides its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A 4 cm cube.
    Block,
    /// A shallow round bowl, about 13 cm wide.
    Bowl,
}

impl Kind {
    /// The lowercase word used in object names ("block").
    pub fn name(self) -> &'static str {
        match self {
            Kind::Block => "block",
            Kind::Bowl => "bowl",
        }
    }

    /// Full extents (x, y, z) in meters of an unrotated object of this kind.
    pub fn size_m(self) -> [f32; 3] {
        match self {
            Kind::Block => [BLOCK_EDGE_M; 3],
            Kind::Bowl => [2.0 * BOWL_RADIUS_M, 2.0 * BOWL_RADIUS_M, BOWL_HEIGHT_M],
        }
    }

    /// Mass in kilograms.
    pub fn mass_kg(self) -> f32 {
        match self {
            Kind::Block => BLOCK_MASS_KG,
            Kind::Bowl => BOWL_MASS_KG,
        }
    }

    /// Radius of the circle the object covers on the table, for placement without overlap.
    pub fn footprint_radius_m(self) -> f32 {
        match self {
            Kind::Block => BLOCK_EDGE_M * std::f32::consts::FRAC_1_SQRT_2,
            Kind::Bowl => BOWL_RADIUS_M,
        }
    }
}

/// Block edge length, as in the benchmark scenes.
pub const BLOCK_EDGE_M: f32 = 0.04;
/// Block mass, as in the benchmark scenes.
pub const BLOCK_MASS_KG: f32 = 0.05;
/// Outer radius of a bowl's rim.
pub const BOWL_RADIUS_M: f32 = 0.065;
/// Height of a bowl from its bottom to the top of its wall.
pub const BOWL_HEIGHT_M: f32 = 0.04;
/// Bowl mass: heavy enough that a block dropped in does not knock it over.
pub const BOWL_MASS_KG: f32 = 0.25;
/// Friction on objects and table, as in the benchmark scenes.
pub const FRICTION: f32 = 0.8;
const BOWL_BOTTOM_M: f32 = 0.008;
/// Thickness of a bowl's wall.
pub const BOWL_WALL_M: f32 = 0.006;
const BOWL_WALL_SEGMENTS: usize = 16;

/// One object to put in a world: where, what, which color.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectSpec {
    /// Block or bowl.
    pub kind: Kind,
    /// Its color; also its name ("red block").
    pub color: Color,
    /// Position of the object's footprint center on the table, [x, y] in meters; an
    /// optional third value is the height of its bottom (default: on the table, z = 0).
    pub pos_m: Vec<f32>,
    /// Rotation about z in radians.
    #[serde(default)]
    pub yaw_rad: f32,
}

impl ObjectSpec {
    /// "red block".
    pub fn name(&self) -> String {
        format!("{} {}", self.color.name(), self.kind.name())
    }
}

/// An object in a world.
#[derive(Debug, Clone)]
pub struct Object {
    /// "red block": unique in its world.
    pub name: String,
    pub kind: Kind,
    pub color: Color,
    /// Full extents in the object's own frame, meters.
    pub size_m: [f32; 3],
    pub mass_kg: f32,
    pub body: RigidBodyHandle,
    pub collider: ColliderHandle,
}

/// The rigid body of an object whose bottom center sits at `bottom_center`.
pub(crate) fn body_builder(kind: Kind, bottom_center: Vec3, yaw_rad: f32) -> RigidBodyBuilder {
    // A block's frame is its center; a bowl's frame is the center of its bottom face.
    let origin = match kind {
        Kind::Block => bottom_center + Vec3::Z * (BLOCK_EDGE_M / 2.0),
        Kind::Bowl => bottom_center,
    };
    RigidBodyBuilder::dynamic().pose(Pose::from_parts(origin, Rotation::from_rotation_z(yaw_rad)))
}

/// The collider of an object of `kind`, its user data set to `owner`.
pub(crate) fn collider_builder(kind: Kind, owner: u128) -> ColliderBuilder {
    let builder = match kind {
        Kind::Block => {
            ColliderBuilder::cuboid(BLOCK_EDGE_M / 2.0, BLOCK_EDGE_M / 2.0, BLOCK_EDGE_M / 2.0)
        }
        Kind::Bowl => ColliderBuilder::compound(bowl_shapes()),
    };
    builder
        .mass(kind.mass_kg())
        .friction(FRICTION)
        .user_data(owner)
}

/// A bowl as a compound: a flat bottom disc and a ring of wall slabs, so it is concave.
fn bowl_shapes() -> Vec<(Pose, SharedShape)> {
    let mut shapes = Vec::with_capacity(BOWL_WALL_SEGMENTS + 4);
    // The bottom is four flat square boxes turned 22.5° from each other, their corners at
    // the inside of the wall (a 16-pointed star, nearly a disc): box-box contacts rest
    // still on the table, where a parry cylinder sank 4 mm and a 16-sided prism crept.
    let half = (BOWL_RADIUS_M - BOWL_WALL_M) * std::f32::consts::FRAC_1_SQRT_2;
    for k in 0..4 {
        let turn = k as f32 * std::f32::consts::FRAC_PI_8;
        shapes.push((
            Pose::from_parts(
                Vec3::Z * (BOWL_BOTTOM_M / 2.0),
                Rotation::from_rotation_z(turn),
            ),
            SharedShape::cuboid(half, half, BOWL_BOTTOM_M / 2.0),
        ));
    }
    let wall_center_r = BOWL_RADIUS_M - BOWL_WALL_M / 2.0;
    let seg_len = 2.0 * BOWL_RADIUS_M * (std::f32::consts::PI / BOWL_WALL_SEGMENTS as f32).tan();
    let wall_h = BOWL_HEIGHT_M - BOWL_BOTTOM_M;
    for i in 0..BOWL_WALL_SEGMENTS {
        let angle = i as f32 * std::f32::consts::TAU / BOWL_WALL_SEGMENTS as f32;
        let center = Vec3::new(
            wall_center_r * angle.cos(),
            wall_center_r * angle.sin(),
            BOWL_BOTTOM_M + wall_h / 2.0,
        );
        shapes.push((
            Pose::from_parts(center, Rotation::from_rotation_z(angle)),
            SharedShape::cuboid(BOWL_WALL_M / 2.0, seg_len / 2.0, wall_h / 2.0),
        ));
    }
    shapes
}
