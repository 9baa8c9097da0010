//! The orbit camera: left-drag turns it about its target, right- or middle-drag pans,
//! the wheel zooms, R puts it back where the recording's camera was. z is up, as in
//! the simulation. The mouse over the panel belongs to the panel.

use crate::stage::SceneCamera;
use bevy::input::mouse::{AccumulatedMouseMotion, AccumulatedMouseScroll, MouseScrollUnit};
use bevy::prelude::*;
use bevy_egui::EguiContexts;

/// Radians of turn per pixel of drag.
const TURN_PER_PX: f32 = 0.006;
/// Closest and farthest the camera gets to its target, meters.
const DISTANCE_M: (f32, f32) = (0.2, 8.0);
/// Highest and lowest the camera looks from (radians above the table's plane).
const PITCH_RAD: (f32, f32) = (-0.2, 1.5);

/// Where the camera is: a point it looks at, and the direction and distance it looks from.
#[derive(Component, Debug, Clone, Copy, PartialEq)]
pub struct Orbit {
    pub target: Vec3,
    /// Turn about z, radians (0: looking from +x).
    pub yaw: f32,
    /// Height above the table's plane, radians.
    pub pitch: f32,
    pub distance_m: f32,
    /// Where R puts it back.
    home: (Vec3, f32, f32, f32),
}

impl Orbit {
    /// The camera at `eye`, looking at `target` (a recording's camera).
    pub fn looking(eye: [f32; 3], target: [f32; 3]) -> Orbit {
        let (eye, target) = (Vec3::from(eye), Vec3::from(target));
        let offset = eye - target;
        let distance_m = offset.length().max(DISTANCE_M.0);
        let yaw = offset.y.atan2(offset.x);
        let pitch = (offset.z / distance_m).clamp(-1.0, 1.0).asin();
        Orbit {
            target,
            yaw,
            pitch,
            distance_m,
            home: (target, yaw, pitch, distance_m),
        }
    }

    /// Where a window starts: looking as the recording's camera does, drawn back and
    /// aimed a little higher so the arm is in view too (the recording's camera frames the
    /// table for the raycast pictures).
    pub fn framing(camera: &wand_sim::camera::CameraSpec) -> Orbit {
        const BACK: f32 = 1.45;
        const AIM_UP_M: f32 = 0.12;
        let [tx, ty, tz] = camera.target_m;
        let target = [tx * 0.75, ty, tz + AIM_UP_M];
        let [ex, ey, ez] = camera.eye_m;
        let eye = [
            target[0] + (ex - target[0]) * BACK,
            target[1] + (ey - target[1]) * BACK,
            target[2] + (ez - target[2]) * BACK,
        ];
        Orbit::looking(eye, target)
    }

    /// The camera's transform: at its distance from the target, looking at it, z up.
    pub fn transform(&self) -> Transform {
        let direction = Vec3::new(
            self.pitch.cos() * self.yaw.cos(),
            self.pitch.cos() * self.yaw.sin(),
            self.pitch.sin(),
        );
        Transform::from_translation(self.target + direction * self.distance_m)
            .looking_at(self.target, Vec3::Z)
    }

    /// Turns by a drag of `delta` pixels.
    pub fn turn(&mut self, delta: Vec2) {
        self.yaw -= delta.x * TURN_PER_PX;
        self.pitch = (self.pitch + delta.y * TURN_PER_PX).clamp(PITCH_RAD.0, PITCH_RAD.1);
    }

    /// Moves the target across the view by a drag of `delta` pixels.
    pub fn pan(&mut self, delta: Vec2, transform: &Transform) {
        let scale = self.distance_m * 0.0015;
        let right = transform.right().as_vec3();
        let up = transform.up().as_vec3();
        self.target += (-right * delta.x + up * delta.y) * scale;
    }

    /// Zooms in (positive `steps`) or out.
    pub fn zoom(&mut self, steps: f32) {
        self.distance_m = (self.distance_m * 0.9f32.powf(steps)).clamp(DISTANCE_M.0, DISTANCE_M.1);
    }

    /// Back to where it started.
    pub fn reset(&mut self) {
        (self.target, self.yaw, self.pitch, self.distance_m) = self.home;
    }
}

pub struct OrbitPlugin;

impl Plugin for OrbitPlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Update, steer);
    }
}

fn steer(
    buttons: Option<Res<ButtonInput<MouseButton>>>,
    keys: Option<Res<ButtonInput<KeyCode>>>,
    motion: Option<Res<AccumulatedMouseMotion>>,
    scroll: Option<Res<AccumulatedMouseScroll>>,
    mut contexts: EguiContexts,
    mut cameras: Query<(&mut Orbit, &mut Transform), With<SceneCamera>>,
) {
    let (Some(buttons), Some(keys), Some(motion), Some(scroll)) = (buttons, keys, motion, scroll)
    else {
        return; // no window, no input
    };
    let panel_has_mouse = contexts
        .ctx_mut()
        .is_ok_and(|ctx| ctx.egui_wants_pointer_input() || ctx.is_pointer_over_egui());
    let panel_has_keys = contexts
        .ctx_mut()
        .is_ok_and(|ctx| ctx.egui_wants_keyboard_input());
    for (mut orbit, mut transform) in &mut cameras {
        if !panel_has_mouse {
            if buttons.pressed(MouseButton::Left) {
                orbit.turn(motion.delta);
            }
            if buttons.pressed(MouseButton::Right) || buttons.pressed(MouseButton::Middle) {
                let now = *transform;
                orbit.pan(motion.delta, &now);
            }
            let steps = match scroll.unit {
                MouseScrollUnit::Line => scroll.delta.y,
                MouseScrollUnit::Pixel => scroll.delta.y / 40.0,
            };
            if steps != 0.0 {
                orbit.zoom(steps);
            }
        }
        if !panel_has_keys && keys.just_pressed(KeyCode::KeyR) {
            orbit.reset();
        }
        *transform = orbit.transform();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Vec3, b: Vec3) -> bool {
        (a - b).length() < 1e-4
    }

    #[test]
    fn the_orbit_starts_at_the_recordings_camera_and_resets_there() {
        let mut orbit = Orbit::looking([1.2, 0.0, 0.9], [0.5, 0.0, 0.0]);
        let start = orbit.transform();
        assert!(
            close(start.translation, Vec3::new(1.2, 0.0, 0.9)),
            "{start:?}"
        );
        // It looks at the target, z up.
        let ahead = start.forward().as_vec3();
        let to_target = (Vec3::new(0.5, 0.0, 0.0) - start.translation).normalize();
        assert!(close(ahead, to_target), "{ahead} vs {to_target}");
        assert!(start.up().z > 0.0);
        orbit.turn(Vec2::new(100.0, 0.0));
        orbit.zoom(3.0);
        let moved = orbit.transform();
        assert!(!close(moved.translation, start.translation));
        // Turning keeps the distance; zooming brings it closer.
        assert!(orbit.distance_m < (Vec3::new(0.7, 0.0, 0.9)).length());
        orbit.reset();
        assert!(close(orbit.transform().translation, start.translation));
    }

    #[test]
    fn the_orbit_stays_above_the_table_and_within_its_distances() {
        let mut orbit = Orbit::looking([1.2, 0.0, 0.9], [0.5, 0.0, 0.0]);
        orbit.turn(Vec2::new(0.0, 1e6));
        assert_eq!(orbit.pitch, PITCH_RAD.1);
        orbit.turn(Vec2::new(0.0, -1e6));
        assert_eq!(orbit.pitch, PITCH_RAD.0);
        orbit.zoom(1e3);
        assert_eq!(orbit.distance_m, DISTANCE_M.0);
        orbit.zoom(-1e3);
        assert_eq!(orbit.distance_m, DISTANCE_M.1);
    }
}
