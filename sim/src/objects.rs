//! Objects on the table: blocks and bowls with a name, kind, color, size and mass.
//!
//! A bowl's wall leans outward, so bowls of the same size nest in each other.

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
/// Thickness of a bowl's flat bottom.
pub const BOWL_BOTTOM_M: f32 = 0.008;
/// Thickness of a bowl's wall (a finger straddles it at the rim).
pub const BOWL_WALL_M: f32 = 0.006;
/// How far a bowl's wall leans out: meters outward per meter up (about 14° from the
/// vertical). A bowl of the same size nests in another, [`bowl_nest_step_m`] higher.
pub const BOWL_WALL_SLOPE: f32 = 0.25;
/// Distance from a bowl's center to the middle of its rim's top face, where the suction
/// cup comes down on it.
pub const BOWL_RIM_MID_RADIUS_M: f32 = BOWL_RADIUS_M - BOWL_WALL_M / 2.0;
const BOWL_WALL_SEGMENTS: usize = 16;
/// Friction where a bowl touches another bowl. With [`FRICTION`], a bowl set into
/// another slightly off its center jammed tilted (a cone in a cone wedges); this low,
/// it slides down into its seat.
pub const BOWL_ON_BOWL_FRICTION: f32 = 0.1;

/// The wall's lean from the vertical, radians.
pub fn bowl_wall_lean_rad() -> f32 {
    BOWL_WALL_SLOPE.atan()
}

/// How much higher a bowl nested in another of the same size sits than that one, m:
/// parallel walls a wall's thickness apart.
pub fn bowl_nest_step_m() -> f32 {
    BOWL_WALL_M / bowl_wall_lean_rad().sin()
}

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
        Kind::Bowl => ColliderBuilder::compound(bowl_shapes())
            .active_hooks(ActiveHooks::MODIFY_SOLVER_CONTACTS),
    };
    builder
        .mass(kind.mass_kg())
        .friction(FRICTION)
        .user_data(owner)
}

/// The physics hooks of a world's step: contacts between two bowls (the only colliders
/// that ask for contact modification) get [`BOWL_ON_BOWL_FRICTION`].
pub(crate) struct BowlContacts;

impl PhysicsHooks for BowlContacts {
    fn modify_solver_contacts(&self, context: &mut ContactModificationContext) {
        let asks = |h: ColliderHandle| {
            context.colliders[h]
                .active_hooks()
                .contains(ActiveHooks::MODIFY_SOLVER_CONTACTS)
        };
        if asks(context.collider1)
            && asks(context.collider2)
            && let ModifiableContacts::Rigid(manifold) = &mut context.contacts
        {
            *manifold.friction = BOWL_ON_BOWL_FRICTION;
        }
    }
}

/// A bowl as a compound: a flat bottom and a ring of wall slabs leaning outward, so it
/// is concave and a bowl of the same size nests in it.
fn bowl_shapes() -> Vec<(Pose, SharedShape)> {
    use std::f32::consts::{FRAC_1_SQRT_2, FRAC_PI_8, PI, TAU};
    let lean = bowl_wall_lean_rad();
    let wall_h = BOWL_HEIGHT_M - BOWL_BOTTOM_M;
    // Radius of the wall's inner face where it meets the bottom.
    let inner_bottom_r = BOWL_RADIUS_M - wall_h * BOWL_WALL_SLOPE - BOWL_WALL_M / lean.cos();
    let mut shapes = Vec::with_capacity(BOWL_WALL_SEGMENTS + 4);
    // The bottom is four flat square boxes turned 22.5° from each other, their corners at
    // the inside of the wall (a 16-pointed star, nearly a disc): box-box contacts rest
    // still on the table, where a parry cylinder sank 4 mm and a 16-sided prism crept.
    let half = inner_bottom_r * FRAC_1_SQRT_2;
    for k in 0..4 {
        shapes.push((
            Pose::from_parts(
                Vec3::Z * (BOWL_BOTTOM_M / 2.0),
                Rotation::from_rotation_z(k as f32 * FRAC_PI_8),
            ),
            SharedShape::cuboid(half, half, BOWL_BOTTOM_M / 2.0),
        ));
    }
    // Each slab is tilted outward by `lean`: its bottom face centered at the bottom's
    // height, its top face (the rim) centered at the bowl's height and
    // BOWL_RIM_MID_RADIUS_M; as long as the outer polygon's side at the rim.
    let slab_h = wall_h / lean.cos();
    let center_r = BOWL_RIM_MID_RADIUS_M - wall_h / 2.0 * BOWL_WALL_SLOPE;
    let seg_len = 2.0 * BOWL_RADIUS_M * (PI / BOWL_WALL_SEGMENTS as f32).tan();
    for i in 0..BOWL_WALL_SEGMENTS {
        let angle = i as f32 * TAU / BOWL_WALL_SEGMENTS as f32;
        let center = Vec3::new(
            center_r * angle.cos(),
            center_r * angle.sin(),
            BOWL_BOTTOM_M + wall_h / 2.0,
        );
        shapes.push((
            Pose::from_parts(
                center,
                Rotation::from_rotation_z(angle) * Rotation::from_rotation_y(lean),
            ),
            SharedShape::cuboid(BOWL_WALL_M / 2.0, seg_len / 2.0, slab_h / 2.0),
        ));
    }
    shapes
}
