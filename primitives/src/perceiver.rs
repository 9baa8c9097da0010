//! [`Perceiver`]: where a session's perception primitives get their answers — ground
//! truth, or the scene's camera through `wand_sim::sight` — and the camera's last view.
//!
//! Rendering is the costly part, so a view is kept until the world changes (until it
//! is stepped: a motion ended, time was waited); every call in between reads the same
//! view. Each new view's noise is seeded from the episode seed and the number of views
//! taken before it, so a run is deterministic.

use crate::error::PyError;
use wand_sim::World;
use wand_sim::camera::RaycastCamera;
use wand_sim::scene::PerceptionMode;
use wand_sim::sight::{self, NoiseModel, Sighting, View};

/// A session's perception: its mode, the camera, the noise, and the view it keeps.
pub struct Perceiver {
    mode: PerceptionMode,
    /// The scene's camera, or why it cannot be built (reported when a view is asked for).
    camera: Result<RaycastCamera, String>,
    noise: NoiseModel,
    seed: u64,
    /// The last view and the world's step count when it was taken.
    kept: Option<(u64, View)>,
    /// Views rendered so far.
    views: u64,
}

impl Perceiver {
    /// Perception in `mode` through `camera` with `noise` (camera mode only: truth
    /// mode's views are noise-free); `seed` is the episode's.
    pub fn new(
        mode: PerceptionMode,
        camera: wand_sim::camera::CameraSpec,
        noise: NoiseModel,
        seed: u64,
    ) -> Perceiver {
        // With truth perception, views only say which pixels show what (describe_view).
        let noise = match mode {
            PerceptionMode::Truth => NoiseModel {
                depth_sigma_m: 0.0,
                dropout: 0.0,
            },
            PerceptionMode::Camera => noise,
        };
        Perceiver {
            mode,
            camera: RaycastCamera::new(camera).map_err(|e| e.to_string()),
            noise,
            seed,
            kept: None,
            views: 0,
        }
    }

    /// Perception as the scene says (`[perception]`), unless `mode` overrides its mode.
    pub fn for_scene(scene: &wand_sim::Scene, seed: u64, mode: Option<PerceptionMode>) -> Self {
        Perceiver::new(
            mode.unwrap_or(scene.perception.mode),
            scene.camera.clone(),
            scene.perception.noise(),
            seed,
        )
    }

    /// Truth or camera.
    pub fn mode(&self) -> PerceptionMode {
        self.mode
    }

    /// How many times the camera rendered (a measure of perception's cost).
    pub fn views_rendered(&self) -> u64 {
        self.views
    }

    /// What the camera sees now: the kept view while the world has not been stepped
    /// since, else a new one.
    pub fn view(&mut self, world: &World) -> Result<&View, PyError> {
        let steps = world.steps();
        if self.kept.as_ref().is_none_or(|(at, _)| *at != steps) {
            let camera = self
                .camera
                .as_ref()
                .map_err(|e| PyError::runtime(format!("the scene's camera is unusable: {e}")))?;
            let seed = mix(self.seed, self.views);
            self.views += 1;
            self.kept = Some((steps, sight::observe(world, camera, &self.noise, seed)));
        }
        Ok(&self.kept.as_ref().expect("a view was just kept").1)
    }

    /// The camera's sighting of the object called `name` (an unknown name is the
    /// world's error, listing the known names); an object it does not see is a
    /// ValueError that says so and what to do.
    pub fn sighting(&mut self, world: &World, name: &str) -> Result<Sighting, PyError> {
        let index = world.object_index(name)?;
        let view = self.view(world)?;
        if let Some(sighting) = view.sighting(index) {
            return Ok(sighting.clone());
        }
        let mut seen: Vec<&str> = view
            .sightings
            .iter()
            .map(|s| world.objects()[s.object].name.as_str())
            .collect();
        seen.sort();
        let seen = if seen.is_empty() {
            "nothing".to_string()
        } else {
            seen.join(", ")
        };
        Err(PyError::value(format!(
            "the {name} is not visible from the camera (hidden under or behind something, \
             or out of view); check is_obj_visible('{name}') first, or move what hides it. \
             The camera sees: {seen}"
        )))
    }
}

/// The seed of view number `n` of an episode seeded `seed` (splitmix64 of both).
fn mix(seed: u64, n: u64) -> u64 {
    splitmix(seed ^ splitmix(n.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
