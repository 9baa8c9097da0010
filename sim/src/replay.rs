//! [`Replay`]: pictures of a [`Recording`] at any moment, through the raycast camera,
//! and the animated GIF of a whole run (`wand replay --gif`).
//!
//! A replay builds a world from the recording's header and poses it from the frames
//! ([`World::show`]); it never steps physics, so the pictures do not depend on it.

use crate::camera::{Camera, CameraSpec, Images, RaycastCamera};
use crate::error::SimError;
use crate::recording::{Frame, Recording};
use crate::world::{World, WorldConfig};
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, RgbaImage};
use std::path::Path;

/// How long a GIF holds its last picture before it loops, milliseconds.
const GIF_END_HOLD_MS: u32 = 1500;

/// One moment of a recording: which attempt (0-based), and the time in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub attempt: usize,
    pub t: f64,
}

/// A recording, a world to pose, and a camera to look through.
pub struct Replay<'r> {
    recording: &'r Recording,
    world: World,
    camera: RaycastCamera,
}

impl<'r> Replay<'r> {
    /// A replay of `recording` through `camera`, in a world built with `config` (its
    /// physics settings do not matter: the world is posed, never stepped).
    pub fn new(
        recording: &'r Recording,
        config: WorldConfig,
        camera: CameraSpec,
    ) -> Result<Replay<'r>, SimError> {
        Ok(Replay {
            recording,
            world: recording.header.build_world(config)?,
            camera: RaycastCamera::new(camera)?,
        })
    }

    /// The frame shown at `moment`: the last one at or before it (the first, before any).
    pub fn frame_at(&self, moment: Moment) -> Option<&'r Frame> {
        self.recording.frame_at(moment)
    }

    /// The picture at `moment`, or `None` when that attempt has no frames (its program
    /// never ran).
    pub fn picture(&mut self, moment: Moment) -> Option<Images> {
        let frame = self.frame_at(moment)?;
        self.world.show(frame);
        Some(self.camera.render(&self.world))
    }

    /// The moments a `fps` animation of the whole recording shows: each attempt with
    /// frames from its start to its end, `1/fps` s of simulated time apart, its end
    /// included.
    pub fn moments(&self, fps: f64) -> Vec<Moment> {
        let mut moments = Vec::new();
        for (attempt, a) in self.recording.attempts.iter().enumerate() {
            let Some(last) = a.frames.last() else {
                continue;
            };
            let count = (last.t * fps).floor() as usize;
            moments.extend((0..=count).map(|i| Moment {
                attempt,
                t: i as f64 / fps,
            }));
            if (count as f64 / fps) < last.t {
                moments.push(Moment { attempt, t: last.t });
            }
        }
        moments
    }

    /// Writes an animated GIF of the whole recording at `fps` pictures per second of
    /// simulated time (played in real time), holding the last picture a moment.
    /// Returns the number of pictures.
    pub fn write_gif(&mut self, path: &Path, fps: f64) -> Result<usize, String> {
        let moments = self.moments(fps);
        if moments.is_empty() {
            return Err("the recording has no frames: no attempt's program ran".into());
        }
        let file = std::fs::File::create(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let mut encoder = GifEncoder::new_with_speed(std::io::BufWriter::new(file), 20);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        let step_ms = (1000.0 / fps).round() as u32;
        for (i, moment) in moments.iter().enumerate() {
            let images = self.picture(*moment).expect("moments have frames");
            let hold_ms = if i + 1 == moments.len() {
                GIF_END_HOLD_MS
            } else {
                step_ms
            };
            let rgba = RgbaImage::from_fn(images.width, images.height, |x, y| {
                let [r, g, b] = images.rgb_at(x, y);
                image::Rgba([r, g, b, 255])
            });
            let frame =
                image::Frame::from_parts(rgba, 0, 0, Delay::from_numer_denom_ms(hold_ms, 1));
            encoder
                .encode_frame(frame)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(moments.len())
    }
}

/// "640x480" → (640, 480).
pub fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let parsed = text
        .split_once(['x', 'X'])
        .and_then(|(w, h)| Some((w.trim().parse::<u32>().ok()?, h.trim().parse::<u32>().ok()?)));
    match parsed {
        Some((w, h)) if (16..=4096).contains(&w) && (16..=4096).contains(&h) => Ok((w, h)),
        _ => Err(format!(
            "'{text}' is not a size: give WIDTHxHEIGHT in pixels, each 16 to 4096, e.g. 640x480"
        )),
    }
}
