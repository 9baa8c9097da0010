//! Raycast camera: RGB, depth and per-pixel object id images of a world.
//!
//! [`Camera`] is the capability; [`RaycastCamera`] renders a [`World`] by casting one
//! ray per pixel, and [`FixedCamera`] is the fake that returns prepared images (for tests
//! of code that looks at images). Rendering is a pure read of the world: it never steps it.
//!
//! Speed comes from not asking the whole world about every pixel: each collider's world
//! bounding box is projected to a pixel rectangle once per image, and a pixel only casts
//! against the colliders whose rectangle covers it, nearest box first, in the collider's
//! own frame (parry's `cast_local_ray_and_get_normal`). A trial on these machines found
//! this twice as fast as rapier's query pipeline per pixel.

use crate::Vec3;
use crate::error::SimError;
use crate::world::{Owner, World};
use image::{ImageBuffer, ImageFormat, ImageResult, Luma, Rgb};
use rapier3d::parry::query::Ray;
use rapier3d::parry::shape::Shape;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The `image` crate, re-exported because the `save_*` methods return its errors (and
/// so that callers can read the PNGs back with the same version).
pub use image;

/// Where a camera is and what it sees: a pinhole looking from `eye_m` at `target_m`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CameraSpec {
    /// Camera position, meters.
    pub eye_m: [f32; 3],
    /// The point the camera looks at, meters.
    pub target_m: [f32; 3],
    /// Which world direction appears up in the image (default +x, away from the robot).
    #[serde(default = "default_up")]
    pub up: [f32; 3],
    /// Image width in pixels.
    pub width_px: u32,
    /// Image height in pixels.
    pub height_px: u32,
    /// Vertical field of view, degrees.
    pub fovy_deg: f32,
}

fn default_up() -> [f32; 3] {
    [1.0, 0.0, 0.0]
}

impl Default for CameraSpec {
    /// Above the table, looking down at its middle from in front of the robot.
    fn default() -> Self {
        CameraSpec {
            eye_m: [1.2, 0.0, 0.9],
            target_m: [0.5, 0.0, 0.0],
            up: [0.0, 0.0, 1.0],
            width_px: 640,
            height_px: 480,
            fovy_deg: 45.0,
        }
    }
}

impl CameraSpec {
    /// The vertical field of view that gives a focal length of `focal_px` pixels at an
    /// image height of `height_px` (the benchmark scenes state focal lengths).
    pub fn fovy_deg_for_focal(focal_px: f32, height_px: u32) -> f32 {
        (2.0 * (height_px as f32 / 2.0 / focal_px).atan()).to_degrees()
    }

    /// Focal length in pixels (square pixels, so the same along x and y).
    pub fn focal_px(&self) -> f32 {
        self.height_px as f32 / 2.0 / (self.fovy_deg.to_radians() / 2.0).tan()
    }
}

/// Segmentation id of pixels that see nothing (the sky).
pub const SEG_NONE: u16 = 0;
/// Segmentation id of the table.
pub const SEG_TABLE: u16 = 1;
/// Segmentation id of every part of the robot.
pub const SEG_ROBOT: u16 = 2;
/// Segmentation id of object 0; object `i` (`world.objects()[i]`) is `SEG_FIRST_OBJECT + i`.
pub const SEG_FIRST_OBJECT: u16 = 3;

/// The segmentation id of a collider's owner. Colliders of unknown owner get
/// [`SEG_NONE`]: they still hide what is behind them, but claim no name.
pub fn segment_id(owner: Owner) -> u16 {
    match owner {
        Owner::Table => SEG_TABLE,
        Owner::Robot(_) => SEG_ROBOT,
        Owner::Object(i) => SEG_FIRST_OBJECT.saturating_add(i.min(u16::MAX as usize) as u16),
        Owner::Unknown => SEG_NONE,
    }
}

/// The object index a segmentation id stands for, if it is an object's.
pub fn object_of_segment(id: u16) -> Option<usize> {
    id.checked_sub(SEG_FIRST_OBJECT).map(usize::from)
}

/// Something that takes pictures of a world.
pub trait Camera {
    /// The camera's pose and intrinsics.
    fn spec(&self) -> &CameraSpec;
    /// RGB, depth and segmentation of the world as it is now.
    fn render(&self, world: &World) -> Images;
}

/// One picture: three row-major images of `width` × `height` pixels, row 0 at the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Images {
    /// Pixels per row.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// sRGB, 3 bytes per pixel.
    pub rgb: Vec<u8>,
    /// Distance along the optical axis (z-depth, not ray length) in meters;
    /// `f32::INFINITY` where the ray hits nothing, so "nearer than" tests need no special case.
    pub depth_m: Vec<f32>,
    /// Who each pixel sees: [`SEG_NONE`], [`SEG_TABLE`], [`SEG_ROBOT`] or
    /// `SEG_FIRST_OBJECT + i` for object `i`.
    pub segmentation: Vec<u16>,
}

impl Images {
    /// Images of the given size that see nothing (sky color, infinite depth, id 0).
    pub fn empty(width: u32, height: u32) -> Images {
        let n = width as usize * height as usize;
        Images {
            width,
            height,
            rgb: BACKGROUND_RGB.repeat(n),
            depth_m: vec![f32::INFINITY; n],
            segmentation: vec![SEG_NONE; n],
        }
    }

    fn index(&self, x: u32, y: u32) -> usize {
        assert!(
            x < self.width && y < self.height,
            "pixel ({x}, {y}) is outside the {}×{} image",
            self.width,
            self.height
        );
        y as usize * self.width as usize + x as usize
    }

    /// Color of pixel (x, y); panics outside the image.
    pub fn rgb_at(&self, x: u32, y: u32) -> [u8; 3] {
        let i = 3 * self.index(x, y);
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    /// Depth of pixel (x, y) in meters; panics outside the image.
    pub fn depth_at(&self, x: u32, y: u32) -> f32 {
        self.depth_m[self.index(x, y)]
    }

    /// Segmentation id of pixel (x, y); panics outside the image.
    pub fn segment_at(&self, x: u32, y: u32) -> u16 {
        self.segmentation[self.index(x, y)]
    }

    /// Writes the RGB image as an 8-bit PNG (whatever the file's extension).
    pub fn save_rgb(&self, path: impl AsRef<Path>) -> ImageResult<()> {
        ImageBuffer::<Rgb<u8>, _>::from_raw(self.width, self.height, self.rgb.as_slice())
            .expect("rgb holds width × height × 3 bytes")
            .save_with_format(path, ImageFormat::Png)
    }

    /// Writes depth as a 16-bit grayscale PNG in millimeters (rounded, at most 65535);
    /// 0 where the ray hit nothing.
    pub fn save_depth(&self, path: impl AsRef<Path>) -> ImageResult<()> {
        let mm: Vec<u16> = self
            .depth_m
            .iter()
            .map(|&d| {
                if d.is_finite() {
                    (d * 1000.0).round().clamp(0.0, 65535.0) as u16
                } else {
                    0
                }
            })
            .collect();
        ImageBuffer::<Luma<u16>, _>::from_raw(self.width, self.height, mm)
            .expect("depth holds width × height values")
            .save_with_format(path, ImageFormat::Png)
    }

    /// Writes the segmentation as an RGB PNG for people to look at (the ids themselves
    /// are in [`Images::segmentation`]). Palette: nothing is black, the table dark gray,
    /// the robot light gray, and object `i` a saturated color whose hue is `i` × 137.5°
    /// (the golden angle), so neighbouring ids get far-apart hues and no two of the
    /// first few hundred objects share a color.
    pub fn save_segmentation(&self, path: impl AsRef<Path>) -> ImageResult<()> {
        let rgb: Vec<u8> = self
            .segmentation
            .iter()
            .flat_map(|&id| segment_color(id))
            .collect();
        ImageBuffer::<Rgb<u8>, _>::from_raw(self.width, self.height, rgb)
            .expect("segmentation holds width × height ids")
            .save_with_format(path, ImageFormat::Png)
    }
}

/// The display color of a segmentation id (see [`Images::save_segmentation`]).
pub fn segment_color(id: u16) -> [u8; 3] {
    match id {
        SEG_NONE => [0, 0, 0],
        SEG_TABLE => [70, 70, 70],
        SEG_ROBOT => [200, 200, 200],
        _ => {
            let i = f32::from(id - SEG_FIRST_OBJECT);
            // Value steps down every 8 ids, so ids whose hues come close differ in brightness.
            let value = 1.0 - 0.25 * ((id - SEG_FIRST_OBJECT) / 8 % 3) as f32;
            hsv_to_rgb((i * 137.507_76) % 360.0, 0.85, value)
        }
    }
}

fn hsv_to_rgb(hue_deg: f32, saturation: f32, value: f32) -> [u8; 3] {
    let c = value * saturation;
    let h = hue_deg / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = value - c;
    [r, g, b].map(|v| ((v + m) * 255.0).round() as u8)
}

/// A fake camera that returns the same images whatever the world holds.
#[derive(Debug, Clone)]
pub struct FixedCamera {
    /// The spec reported by [`Camera::spec`].
    pub spec: CameraSpec,
    /// What every render returns.
    pub images: Images,
}

impl Camera for FixedCamera {
    fn spec(&self) -> &CameraSpec {
        &self.spec
    }

    fn render(&self, _world: &World) -> Images {
        self.images.clone()
    }
}

/// Sky seen where no ray hits anything.
pub const BACKGROUND_RGB: [u8; 3] = [178, 186, 196];
/// Table top: light wood.
pub const TABLE_RGB: [u8; 3] = [205, 175, 130];
/// Robot links.
pub const ROBOT_RGB: [u8; 3] = [205, 205, 210];
const UNKNOWN_RGB: [u8; 3] = [128, 128, 128];
/// Direction towards the light: above, in front of the table (where the default camera
/// is) and to its left, so
/// a block's top and two of its sides come out in three different shades.
const TO_LIGHT: Vec3 = Vec3::new(0.5, 0.3, 1.0);
const AMBIENT: f32 = 0.4;
const DIFFUSE: f32 = 0.6;
/// Box corners nearer than this to the eye plane cannot be projected; such a collider is
/// tested at every pixel instead.
const NEAR_M: f32 = 1e-3;

/// A pinhole camera that casts one ray per pixel through the pixel's center.
#[derive(Debug, Clone)]
pub struct RaycastCamera {
    spec: CameraSpec,
    eye: Vec3,
    /// Optical axis, unit.
    forward: Vec3,
    /// Image +x (right), unit.
    right: Vec3,
    /// Image up (rows grow the other way), unit.
    up: Vec3,
    focal_px: f32,
    threads: usize,
}

impl RaycastCamera {
    /// A camera for `spec`; fails if the size is zero, the field of view is not in
    /// (0°, 180°) or the eye and target coincide. When `up` is parallel to the line of
    /// sight (e.g. looking straight down with up = +z), world +x is image up instead,
    /// or +y if the camera looks along x.
    pub fn new(spec: CameraSpec) -> Result<RaycastCamera, SimError> {
        let bad = |reason: String| Err(SimError::Scene(format!("camera: {reason}")));
        if spec.width_px == 0 || spec.height_px == 0 {
            return bad(format!(
                "the image is {}×{} pixels; both must be at least 1",
                spec.width_px, spec.height_px
            ));
        }
        if !(spec.fovy_deg > 0.0 && spec.fovy_deg < 180.0) {
            return bad(format!(
                "fovy_deg is {}; it must lie between 0 and 180",
                spec.fovy_deg
            ));
        }
        let eye = Vec3::from(spec.eye_m);
        let forward = (Vec3::from(spec.target_m) - eye).normalize_or_zero();
        if forward == Vec3::ZERO {
            return bad(
                "eye_m and target_m are the same point; the camera must look somewhere".into(),
            );
        }
        let mut right = forward.cross(Vec3::from(spec.up)).normalize_or_zero();
        for fallback in [Vec3::X, Vec3::Y] {
            if right.length_squared() > 0.5 {
                break;
            }
            right = forward.cross(fallback).normalize_or_zero();
        }
        let up = right.cross(forward);
        Ok(RaycastCamera {
            focal_px: spec.focal_px(),
            spec,
            eye,
            forward,
            right,
            up,
            threads: 1,
        })
    }

    /// Splits the rows over `threads` scoped threads per image (1 = render on the
    /// calling thread). Two threads ran ~1.9× faster in a trial here.
    pub fn with_threads(mut self, threads: usize) -> RaycastCamera {
        self.threads = threads.max(1);
        self
    }

    /// The pixel coordinates of a world point: x grows right, y down, and pixel (i, j)
    /// covers [i, i+1) × [j, j+1) (so its center is at i + 0.5). `None` if the point is
    /// behind the camera or outside the image.
    pub fn project(&self, point: Vec3) -> Option<[f32; 2]> {
        let [x, y, z] = self.to_image(point);
        if z < NEAR_M {
            return None;
        }
        let (w, h) = (self.spec.width_px as f32, self.spec.height_px as f32);
        ((0.0..w).contains(&x) && (0.0..h).contains(&y)).then_some([x, y])
    }

    /// The world point seen at pixel coordinates `pixel` (as [`Self::project`] gives)
    /// at z-depth `depth_m` (as [`Images::depth_m`] holds).
    pub fn unproject(&self, pixel: [f32; 2], depth_m: f32) -> Vec3 {
        self.eye + self.ray_direction(pixel[0], pixel[1]) * depth_m
    }

    /// Image coordinates and z-depth of a point, without bounds checks.
    fn to_image(&self, point: Vec3) -> [f32; 3] {
        let d = point - self.eye;
        let z = d.dot(self.forward);
        let (cx, cy) = self.center_px();
        [
            cx + self.focal_px * d.dot(self.right) / z,
            cy - self.focal_px * d.dot(self.up) / z,
            z,
        ]
    }

    fn center_px(&self) -> (f32, f32) {
        (
            self.spec.width_px as f32 / 2.0,
            self.spec.height_px as f32 / 2.0,
        )
    }

    /// Direction through image point (x, y), scaled so its component along the optical
    /// axis is 1: a ray's time of impact is then the z-depth itself.
    fn ray_direction(&self, x: f32, y: f32) -> Vec3 {
        let (a, b) = self.ray_coefficients(x, y);
        self.forward + self.right * a + self.up * b
    }

    fn ray_coefficients(&self, x: f32, y: f32) -> (f32, f32) {
        let (cx, cy) = self.center_px();
        ((x - cx) / self.focal_px, (cy - y) / self.focal_px)
    }

    /// Everything the camera may see, with its pixel rectangle, nearest first.
    fn prepare<'w>(&self, world: &'w World) -> Vec<Target<'w>> {
        let (w, h) = (self.spec.width_px, self.spec.height_px);
        let objects = world.objects();
        let mut targets: Vec<Target<'w>> = world
            .physics()
            .colliders
            .iter()
            .filter(|(_, c)| c.is_enabled() && !c.is_sensor())
            .filter_map(|(handle, collider)| {
                let aabb = collider.compute_aabb();
                let corners = aabb.vertices().map(|p| self.to_image(p));
                let min_depth_m = corners.iter().map(|c| c[2]).fold(f32::INFINITY, f32::min);
                let max_depth_m = corners
                    .iter()
                    .map(|c| c[2])
                    .fold(f32::NEG_INFINITY, f32::max);
                if max_depth_m < NEAR_M {
                    return None; // wholly behind the camera
                }
                let rect = if min_depth_m < NEAR_M {
                    [0, w - 1, 0, h - 1]
                } else {
                    pixel_rect(&corners, w, h)?
                };
                let pose = collider.position();
                let to_local = pose.rotation.inverse();
                let owner = world.owner(handle);
                let rgb = match owner {
                    Owner::Table => TABLE_RGB,
                    Owner::Robot(_) => ROBOT_RGB,
                    Owner::Object(i) => objects.get(i).map_or(UNKNOWN_RGB, |o| o.color.rgb()),
                    Owner::Unknown => UNKNOWN_RGB,
                };
                let shape = collider.shape();
                Some(Target {
                    geometry: shape
                        .as_cuboid()
                        .map_or(Geometry::Shape(shape), |c| Geometry::Cuboid(c.half_extents)),
                    to_light: to_local * TO_LIGHT.normalize(),
                    eye: pose.inverse_transform_point(self.eye),
                    forward: to_local * self.forward,
                    right: to_local * self.right,
                    up: to_local * self.up,
                    min_depth_m: min_depth_m.max(0.0),
                    rect,
                    id: segment_id(owner),
                    rgb: rgb.map(f32::from),
                })
            })
            .collect();
        targets.sort_by(|a, b| a.min_depth_m.total_cmp(&b.min_depth_m));
        targets
    }

    /// Renders rows `first_row..` into the given slices (as many rows as they hold).
    fn render_rows(
        &self,
        targets: &[Target],
        first_row: u32,
        rgb: &mut [u8],
        depth_m: &mut [f32],
        seg: &mut [u16],
    ) {
        let w = self.spec.width_px as usize;
        let column_coefficients: Vec<f32> = (0..w)
            .map(|x| self.ray_coefficients(x as f32 + 0.5, 0.0).0)
            .collect();
        let mut row_targets: Vec<&Target> = Vec::with_capacity(targets.len());
        for (r, depth_row) in depth_m.chunks_exact_mut(w).enumerate() {
            let y = first_row + r as u32;
            row_targets.clear();
            row_targets.extend(targets.iter().filter(|t| t.rect[2] <= y && y <= t.rect[3]));
            let (_, b) = self.ray_coefficients(0.0, y as f32 + 0.5);
            for ((x, depth), &a) in depth_row.iter_mut().enumerate().zip(&column_coefficients) {
                let mut best_t = f32::MAX;
                let mut best: Option<(&Target, Vec3, Vec3)> = None;
                for t in &row_targets {
                    if t.min_depth_m >= best_t {
                        break; // sorted nearest first: nothing further on can be nearer
                    }
                    if (x as u32) < t.rect[0] || (x as u32) > t.rect[1] {
                        continue;
                    }
                    let dir = t.forward + t.right * a + t.up * b;
                    let hit = match t.geometry {
                        Geometry::Cuboid(half) => cast_cuboid(half, t.eye, dir, best_t),
                        Geometry::Shape(shape) => shape
                            .cast_local_ray_and_get_normal(&Ray::new(t.eye, dir), best_t, true)
                            .map(|hit| (hit.time_of_impact, hit.normal)),
                    };
                    if let Some((toi, normal)) = hit {
                        best_t = toi;
                        best = Some((t, normal, dir));
                    }
                }
                let i = r * w + x;
                let Some((target, normal, dir)) = best else {
                    *depth = f32::INFINITY;
                    seg[i] = SEG_NONE;
                    rgb[3 * i..3 * i + 3].copy_from_slice(&BACKGROUND_RGB);
                    continue;
                };
                *depth = best_t;
                seg[i] = target.id;
                // Shading in the collider's frame saves rotating every normal to the world.
                // A normal facing away from the eye means the ray started inside a shape:
                // light the side that is seen.
                let facing = if normal.dot(dir) > 0.0 { -1.0 } else { 1.0 };
                let shade = AMBIENT + DIFFUSE * (facing * normal.dot(target.to_light)).max(0.0);
                for (out, c) in rgb[3 * i..3 * i + 3].iter_mut().zip(target.rgb) {
                    // `as u8` saturates; + 0.5 rounds (f32::round is a libm call here).
                    *out = (c * shade + 0.5) as u8;
                }
            }
        }
    }
}

/// Time of impact and outward normal of a ray against a box centered at the origin
/// (the slab method; parry's general clipping was a sixth of the render time). A ray
/// starting inside hits at 0, like parry's solid shapes.
#[inline]
fn cast_cuboid(half: Vec3, origin: Vec3, dir: Vec3, max_toi: f32) -> Option<(f32, Vec3)> {
    let inv = dir.recip();
    let t1 = (-half - origin) * inv;
    let t2 = (half - origin) * inv;
    let near = t1.min(t2);
    let far = t1.max(t2);
    let t_far = far.min_element();
    let t_near = near.max_element();
    if t_near > t_far || t_far < 0.0 || t_near > max_toi {
        return None;
    }
    let axis = if near.x >= near.y && near.x >= near.z {
        Vec3::X
    } else if near.y >= near.z {
        Vec3::Y
    } else {
        Vec3::Z
    };
    let normal = -axis * dir.signum();
    Some((t_near.max(0.0), normal))
}

/// The inclusive pixel rectangle [x0, x1, y0, y1] whose pixel centers lie inside the
/// projected corners (one pixel wider each way against rounding), or `None` if it misses
/// the image.
fn pixel_rect(corners: &[[f32; 3]; 8], w: u32, h: u32) -> Option<[u32; 4]> {
    let (mut x_min, mut x_max, mut y_min, mut y_max) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
    for [x, y, _] in corners {
        x_min = x_min.min(*x);
        x_max = x_max.max(*x);
        y_min = y_min.min(*y);
        y_max = y_max.max(*y);
    }
    let first = |v: f32| (v - 0.5).floor() - 1.0;
    let last = |v: f32| (v - 0.5).ceil() + 1.0;
    let (x0, x1, y0, y1) = (first(x_min), last(x_max), first(y_min), last(y_max));
    if x1 < 0.0 || y1 < 0.0 || x0 > (w - 1) as f32 || y0 > (h - 1) as f32 {
        return None;
    }
    let clamp = |v: f32, n: u32| v.clamp(0.0, (n - 1) as f32) as u32;
    Some([clamp(x0, w), clamp(x1, w), clamp(y0, h), clamp(y1, h)])
}

/// Boxes (the table, blocks) get an inlined ray test; everything else goes through parry.
enum Geometry<'w> {
    Cuboid(Vec3),
    Shape(&'w dyn Shape),
}

/// A collider prepared for one image: the camera in its frame and where it may appear.
struct Target<'w> {
    geometry: Geometry<'w>,
    /// Direction towards the light in the collider's frame.
    to_light: Vec3,
    /// The camera's eye and axes in the collider's frame.
    eye: Vec3,
    forward: Vec3,
    right: Vec3,
    up: Vec3,
    /// Nearest z-depth of the collider's bounding box.
    min_depth_m: f32,
    /// Inclusive pixel rectangle [x0, x1, y0, y1] that may see it.
    rect: [u32; 4],
    id: u16,
    rgb: [f32; 3],
}

impl Camera for RaycastCamera {
    fn spec(&self) -> &CameraSpec {
        &self.spec
    }

    fn render(&self, world: &World) -> Images {
        let targets = self.prepare(world);
        let (w, h) = (self.spec.width_px, self.spec.height_px);
        let mut images = Images::empty(w, h);
        let threads = self.threads.min(h as usize);
        if threads <= 1 {
            self.render_rows(
                &targets,
                0,
                &mut images.rgb,
                &mut images.depth_m,
                &mut images.segmentation,
            );
            return images;
        }
        let rows_per_band = (h as usize).div_ceil(threads);
        let px = rows_per_band * w as usize;
        std::thread::scope(|scope| {
            let bands = images
                .rgb
                .chunks_mut(3 * px)
                .zip(images.depth_m.chunks_mut(px))
                .zip(images.segmentation.chunks_mut(px))
                .enumerate();
            for (band, ((rgb, depth), seg)) in bands {
                let targets = &targets;
                scope.spawn(move || {
                    self.render_rows(targets, (band * rows_per_band) as u32, rgb, depth, seg);
                });
            }
        });
        images
    }
}
