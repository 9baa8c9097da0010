//! Raycast camera: RGB, depth and per-pixel object id images of a world.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
