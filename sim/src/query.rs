//! Ground truth: the one query API that primitives and success checks read.
//!
//! Object names are the world's ("red block"); an unknown name is an error that
//! lists the known ones, because that text reaches a language model.

use crate::error::SimError;
use crate::objects::{BOWL_RADIUS_M, Kind, Object};
use crate::world::{Owner, World};
use crate::{Pose, Vec3};

/// An axis-aligned box, meters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aabb {
    pub min: Vec3,
    pub max: Vec3,
}

impl Aabb {
    /// The box's center.
    pub fn center(&self) -> Vec3 {
        (self.min + self.max) * 0.5
    }
}

/// How far (m) a resting object's bottom may be from the surface under it.
const RESTING_GAP_M: f32 = 0.01;

impl World {
    /// Object names, sorted.
    pub fn object_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.objects.iter().map(|o| o.name.clone()).collect();
        names.sort();
        names
    }

    /// The index of the object called `name`.
    pub fn object_index(&self, name: &str) -> Result<usize, SimError> {
        self.objects
            .iter()
            .position(|o| o.name == name)
            .ok_or_else(|| SimError::UnknownObject {
                name: name.to_string(),
                known: self.object_names().join(", "),
            })
    }

    /// The object called `name`.
    pub fn object(&self, name: &str) -> Result<&Object, SimError> {
        Ok(&self.objects[self.object_index(name)?])
    }

    /// Pose of the object's body frame (a block's center; a bowl's bottom center).
    pub fn object_pose(&self, name: &str) -> Result<Pose, SimError> {
        let object = self.object(name)?;
        Ok(*self.physics.bodies[object.body].position())
    }

    /// The object's world-space bounding box.
    pub fn object_aabb(&self, name: &str) -> Result<Aabb, SimError> {
        let object = self.object(name)?;
        let aabb = self.physics.colliders[object.collider].compute_aabb();
        Ok(Aabb {
            min: aabb.mins,
            max: aabb.maxs,
        })
    }

    /// The center of the object's bounding box.
    pub fn object_position(&self, name: &str) -> Result<Vec3, SimError> {
        Ok(self.object_aabb(name)?.center())
    }

    /// Rotation about the vertical, radians in (−π, π].
    pub fn object_yaw(&self, name: &str) -> Result<f32, SimError> {
        let rotation = self.object_pose(name)?.rotation;
        let x_axis = rotation * Vec3::X;
        Ok(x_axis.y.atan2(x_axis.x))
    }

    /// What the object touches now: other object names, "table", "robot".
    pub fn contacts(&self, name: &str) -> Result<Vec<String>, SimError> {
        let object = self.object(name)?;
        let mut touching: Vec<String> = self
            .physics
            .narrow_phase
            .contact_pairs_with(object.collider)
            .filter(|pair| pair.has_any_active_contact())
            .map(|pair| {
                let other = if pair.collider1 == object.collider {
                    pair.collider2
                } else {
                    pair.collider1
                };
                match self.owner(other) {
                    Owner::Table => "table".to_string(),
                    Owner::Robot(_) => "robot".to_string(),
                    Owner::Object(i) => self.objects[i].name.clone(),
                    Owner::Unknown => "unknown".to_string(),
                }
            })
            .collect();
        if self.held() == Some(name) {
            touching.push("robot".into());
        }
        touching.sort();
        touching.dedup();
        Ok(touching)
    }

    /// Whether `a` rests on `b` ("table" or an object's name): its bottom is within
    /// 1 cm of b's top and its center lies over b's footprint. For a bowl `b` this is
    /// [`World::is_inside`].
    pub fn is_on(&self, a: &str, b: &str) -> Result<bool, SimError> {
        let box_a = self.object_aabb(a)?;
        if b == "table" {
            return Ok(box_a.min.z.abs() < RESTING_GAP_M && self.held() != Some(a));
        }
        if self.object(b)?.kind == Kind::Bowl {
            return self.is_inside(a, b);
        }
        let box_b = self.object_aabb(b)?;
        let center = box_a.center();
        let over = center.x >= box_b.min.x
            && center.x <= box_b.max.x
            && center.y >= box_b.min.y
            && center.y <= box_b.max.y;
        let resting = (box_a.min.z - box_b.max.z).abs() < RESTING_GAP_M;
        Ok(a != b && over && resting && self.held() != Some(a))
    }

    /// Whether `a` is inside the bowl `bowl`: it lies in that bowl, or in a bowl nested
    /// in it (a block in the inner of two nested bowls is inside both), and is not held
    /// by the robot. See [`World::container`].
    pub fn is_inside(&self, a: &str, bowl: &str) -> Result<bool, SimError> {
        if self.object(bowl)?.kind != Kind::Bowl {
            return Err(SimError::InvalidQuery(format!(
                "'{bowl}' is not a bowl; is_inside needs a bowl (use is_on for blocks)"
            )));
        }
        let mut current = a.to_string();
        for _ in 0..self.objects.len() {
            match self.container(&current)? {
                Some(c) if c == bowl => return Ok(true),
                Some(c) => current = c,
                None => return Ok(false),
            }
        }
        Ok(false)
    }

    /// The bowl that `a` lies in directly, if any: of the bowls whose hollow holds it
    /// (its center within the bowl's radius horizontally, its bottom between the bowl's
    /// bottom and rim), the one whose bottom is highest — a bowl nested in another
    /// lies in it, and a block in the inner bowl lies in the inner one. `None` for a
    /// held object.
    pub fn container(&self, a: &str) -> Result<Option<String>, SimError> {
        let box_a = self.object_aabb(a)?;
        if self.held() == Some(a) {
            return Ok(None);
        }
        let mut best: Option<(f32, &str)> = None;
        for bowl in self.objects.iter().filter(|o| o.kind == Kind::Bowl) {
            if bowl.name == a {
                continue;
            }
            let pose = self.object_pose(&bowl.name)?;
            let local = pose.inverse_transform_point(box_a.center());
            let horizontal = (local.x * local.x + local.y * local.y).sqrt();
            let rim_z = self.object_aabb(&bowl.name)?.max.z;
            let bottom_z = pose.translation.z;
            let holds = horizontal < BOWL_RADIUS_M
                && box_a.min.z < rim_z
                && box_a.min.z - bottom_z > -RESTING_GAP_M;
            if holds && best.is_none_or(|(z, _)| bottom_z > z) {
                best = Some((bottom_z, &bowl.name));
            }
        }
        Ok(best.map(|(_, name)| name.to_string()))
    }

    /// Horizontal distance (m) between the centers of `a` and `b`.
    pub fn distance_xy(&self, a: &str, b: &str) -> Result<f32, SimError> {
        let pa = self.object_position(a)?;
        let pb = self.object_position(b)?;
        Ok((pa - pb).truncate().length())
    }
}
