//! Perception from the camera: what a segmented depth image says about each object.
//!
//! [`observe`] renders the world with a [`RaycastCamera`], drops pixels and perturbs
//! depths by a seeded [`NoiseModel`], turns each object's remaining pixels into world
//! points and estimates the object's pose and box from them. An object seen by fewer
//! than [`MIN_PIXELS`] pixels is not visible.
//!
//! The estimate knows what a detector would: the object's kind (from the segment) and
//! so its size; where it is and how it is turned come from the points alone.
//! - Height: the top is the 98th percentile of the points' heights (a few noisy depths
//!   do not lift it); the center is half the kind's height below it.
//! - Yaw (blocks): the turn in [−45°, 45°) whose rectangle around the points (their
//!   2nd–98th percentiles along both turned axes) has the least area; a block looks the
//!   same every quarter turn, so that is all the camera can tell. Bowls are round: 0.
//! - Footprint: along each turned axis, the 2nd–98th percentile range of the points. A
//!   range shorter than the kind's size means part of the object is hidden — seen from
//!   the camera, behind what is visible (a block under another shows only its near
//!   faces) — so the footprint is completed away from the camera.
//!
//! The box is the known shape at the estimated center and yaw, so its size is always
//! the object's own; only where it is carries the noise.

use crate::Vec3;
use crate::camera::{Camera, Images, RaycastCamera, object_of_segment};
use crate::objects::Kind;
use crate::world::World;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// An object seen by fewer pixels than this (after dropout) is not visible.
pub const MIN_PIXELS: usize = 10;

/// The depth sensor's imperfections. Defaults: 2 mm depth noise, 5% of pixels dropped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoiseModel {
    /// Standard deviation of the Gaussian error added to each pixel's depth, meters.
    pub depth_sigma_m: f32,
    /// Fraction of pixels that return no depth (left out before estimation).
    pub dropout: f32,
}

impl Default for NoiseModel {
    fn default() -> Self {
        NoiseModel {
            depth_sigma_m: 0.002,
            dropout: 0.05,
        }
    }
}

/// One object as the camera sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sighting {
    /// Index into [`World::objects`].
    pub object: usize,
    /// Pixels that saw it (after dropout).
    pub pixels: usize,
    /// Its pixels' rectangle: [x_min, y_min, x_max, y_max], inclusive, row 0 at the top.
    pub box_px: [u32; 4],
    /// Estimated center of its bounding box, meters.
    pub center_m: Vec3,
    /// Estimated axis-aligned bounding box, meters.
    pub min_m: Vec3,
    pub max_m: Vec3,
    /// Estimated rotation about the vertical, radians: in [−π/4, π/4) for a block, 0 for
    /// a bowl.
    pub yaw_rad: f32,
}

/// What the camera saw at one moment: the sightings of the visible objects, in object order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct View {
    pub sightings: Vec<Sighting>,
}

impl View {
    /// The sighting of object `index`, if the camera sees it.
    pub fn sighting(&self, index: usize) -> Option<&Sighting> {
        self.sightings.iter().find(|s| s.object == index)
    }
}

/// What the camera sees of every object now. Deterministic: the same world, camera,
/// noise and `seed` give the same view.
pub fn observe(world: &World, camera: &RaycastCamera, noise: &NoiseModel, seed: u64) -> View {
    let images = camera.render(world);
    let objects = world.objects();
    let mut points: Vec<Vec<Vec3>> = vec![Vec::new(); objects.len()];
    let mut boxes: Vec<Option<[u32; 4]>> = vec![None; objects.len()];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let Images { width, height, .. } = images;
    for y in 0..height {
        for x in 0..width {
            let i = y as usize * width as usize + x as usize;
            // Draw for every pixel, seen or not, so that one object's noise does not
            // depend on what else is in the picture.
            let dropped = rng.random::<f32>() < noise.dropout;
            let gauss = gaussian(&mut rng);
            let Some(object) = object_of_segment(images.segmentation[i]) else {
                continue;
            };
            if dropped || object >= points.len() {
                continue;
            }
            let depth = images.depth_m[i] + noise.depth_sigma_m * gauss;
            points[object].push(camera.unproject([x as f32 + 0.5, y as f32 + 0.5], depth));
            let b = boxes[object].get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
    }
    let eye = Vec3::from(camera.spec().eye_m);
    let sightings = points
        .into_iter()
        .zip(boxes)
        .enumerate()
        .filter(|(_, (p, _))| p.len() >= MIN_PIXELS)
        .map(|(object, (p, box_px))| {
            let o = &objects[object];
            let (center_m, yaw_rad, half) = estimate(o.kind, o.size_m, &p, eye);
            Sighting {
                object,
                pixels: p.len(),
                box_px: box_px.expect("an object with points has a pixel box"),
                center_m,
                min_m: center_m - half,
                max_m: center_m + half,
                yaw_rad,
            }
        })
        .collect();
    View { sightings }
}

/// The center, yaw and half extents of the axis-aligned box of an object of `kind` and
/// `size_m` seen as `points` from `eye` (the module's doc says how).
fn estimate(kind: Kind, size_m: [f32; 3], points: &[Vec3], eye: Vec3) -> (Vec3, f32, Vec3) {
    let top = percentile(points.iter().map(|p| p.z).collect(), 0.98);
    let yaw = match kind {
        Kind::Block => least_area_yaw(points),
        Kind::Bowl => 0.0,
    };
    let (sin, cos) = yaw.sin_cos();
    let u = Vec3::new(cos, sin, 0.0);
    let v = Vec3::new(-sin, cos, 0.0);
    let mean = points.iter().copied().sum::<Vec3>() / points.len() as f32;
    let mut center = Vec3::ZERO;
    for (axis, size) in [(u, size_m[0]), (v, size_m[1])] {
        let along: Vec<f32> = points.iter().map(|p| p.dot(axis)).collect();
        let (lo, hi) = spread(along);
        // The camera's side of the object along this axis: what is missing is beyond.
        let camera_side = (eye - mean).dot(axis);
        let mid = if hi - lo >= size - HIDDEN_SLACK_M {
            (lo + hi) / 2.0
        } else if camera_side > 0.0 {
            hi - size / 2.0
        } else {
            lo + size / 2.0
        };
        center += axis * mid;
    }
    center.z = top - size_m[2] / 2.0;
    let half = Vec3::new(
        (size_m[0] * cos.abs() + size_m[1] * sin.abs()) / 2.0,
        (size_m[0] * sin.abs() + size_m[1] * cos.abs()) / 2.0,
        size_m[2] / 2.0,
    );
    (center, yaw, half)
}

/// How much shorter than the object's size the points' range may be before the object
/// counts as partly hidden (the 2nd–98th percentiles trim a little of every range).
const HIDDEN_SLACK_M: f32 = 0.006;

/// The turn in [−π/4, π/4) (1° steps, then ⅒° around the best) whose rectangle around
/// the points has the least area.
fn least_area_yaw(points: &[Vec3]) -> f32 {
    let area = |yaw: f32| {
        let (s, c) = yaw.sin_cos();
        let (u_lo, u_hi) = spread(points.iter().map(|p| c * p.x + s * p.y).collect());
        let (v_lo, v_hi) = spread(points.iter().map(|p| -s * p.x + c * p.y).collect());
        (u_hi - u_lo) * (v_hi - v_lo)
    };
    let best_of = |candidates: &mut dyn Iterator<Item = f32>| {
        candidates
            .map(|yaw| (area(yaw), yaw))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(0.0, |(_, yaw)| yaw)
    };
    let degree = std::f32::consts::PI / 180.0;
    let coarse = best_of(&mut (-45..45).map(|d| d as f32 * degree));
    let fine = best_of(&mut (-10..=10).map(|t| coarse + t as f32 * degree / 10.0));
    wrap_quarter_turn(fine)
}

/// The same turn of a square, in [−π/4, π/4).
fn wrap_quarter_turn(yaw: f32) -> f32 {
    let quarter = std::f32::consts::FRAC_PI_2;
    (yaw + quarter / 2.0).rem_euclid(quarter) - quarter / 2.0
}

/// The 2nd and 98th percentiles of the values.
fn spread(mut values: Vec<f32>) -> (f32, f32) {
    values.sort_by(f32::total_cmp);
    (at(&values, 0.02), at(&values, 0.98))
}

fn percentile(mut values: Vec<f32>, q: f32) -> f32 {
    values.sort_by(f32::total_cmp);
    at(&values, q)
}

fn at(sorted: &[f32], q: f32) -> f32 {
    sorted[((sorted.len() - 1) as f32 * q).round() as usize]
}

/// A standard normal draw (Box–Muller).
fn gaussian(rng: &mut ChaCha8Rng) -> f32 {
    let u1: f32 = rng.random::<f32>().max(f32::MIN_POSITIVE);
    let u2: f32 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_turn_wraps_into_plus_minus_45_degrees() {
        let q = std::f32::consts::FRAC_PI_2;
        for yaw in [0.1f32, -0.3, 0.7] {
            for k in -3..=3 {
                let wrapped = wrap_quarter_turn(yaw + k as f32 * q);
                assert!((wrapped - wrap_quarter_turn(yaw)).abs() < 1e-4);
                assert!((-q / 2.0..q / 2.0).contains(&wrapped));
            }
        }
    }
}
