//! `wand replay FILE --gif`: an animation of a recorded run through the raycast camera,
//! read back frame by frame; bad recordings and arguments are input errors (exit 2).

mod common;

use common::wand;
use image::AnimationDecoder;
use image::codecs::gif::GifDecoder;
use std::process::Output;
use wand_sim::Recording;
use wand_sim::camera::{SEG_FIRST_OBJECT, SEG_TABLE};
use wand_sim::replay::Replay;
use wand_sim::world::WorldConfig;

#[test]
fn the_gif_shows_the_recorded_run_from_start_to_tower() {
    let dir = common::scratch("cli-replay", "gif");
    let file = common::record_stacking(&dir, &[]).0;
    let gif = dir.join("stack.gif");
    let out = wand(&[
        "replay",
        file.to_str().unwrap(),
        "--gif",
        gif.to_str().unwrap(),
        "--fps",
        "10",
        "--size",
        "320x240",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoder =
        GifDecoder::new(std::io::BufReader::new(std::fs::File::open(&gif).unwrap())).unwrap();
    let frames = decoder.into_frames().collect_frames().unwrap();
    // The same moments through the same camera, drawn here from the recording.
    let recording = Recording::load(&file).unwrap();
    let camera = replay_camera(&recording);
    let mut replay = Replay::new(&recording, WorldConfig::default(), camera.clone()).unwrap();
    let moments = replay.moments(10.0);
    assert_eq!(frames.len(), moments.len());
    let duration = recording.attempts[0].duration_s();
    assert!(
        frames.len() as f64 >= duration * 10.0,
        "{} pictures over {duration} s",
        frames.len()
    );
    for (i, moment) in [
        (0, moments[0]),
        (frames.len() - 1, *moments.last().unwrap()),
    ] {
        let expected = replay.picture(moment).unwrap();
        let picture = frames[i].buffer();
        assert_eq!(picture.dimensions(), (320, 240));
        // Every object the raycast picture shows at a pixel, the GIF shows in about its
        // color there (the GIF has a 256-color palette).
        let mut objects_seen = 0;
        for y in (0..240).step_by(4) {
            for x in (0..320).step_by(4) {
                let id = expected.segment_at(x, y);
                if id < SEG_FIRST_OBJECT {
                    continue;
                }
                objects_seen += 1;
                let want = expected.rgb_at(x, y);
                let got = picture.get_pixel(x, y).0;
                let off = (0..3).map(|c| want[c].abs_diff(got[c])).max().unwrap();
                assert!(
                    off <= 40,
                    "pixel ({x}, {y}) of picture {i}: {got:?}, expected about {want:?}"
                );
            }
        }
        assert!(
            objects_seen > 20,
            "picture {i} shows {objects_seen} object pixels"
        );
    }
    // At the end the tower stands: the highest block's pixel is that block, and where
    // it started there is table.
    let last = recording.attempts[0].frames.last().unwrap();
    let first = &recording.attempts[0].frames[0];
    let (top, _) = last
        .objects
        .iter()
        .enumerate()
        .max_by(|a, b| a.1[2].total_cmp(&b.1[2]))
        .unwrap();
    assert!(
        last.objects[top][2] > 0.09,
        "the top block is at {:?}",
        last.objects[top]
    );
    let camera = wand_sim::camera::RaycastCamera::new(camera).unwrap();
    let pixel = |p: [f32; 7]| {
        let [x, y] = camera
            .project(wand_sim::Vec3::new(p[0], p[1], p[2]))
            .unwrap();
        (x as u32, y as u32)
    };
    let end = replay.picture(*moments.last().unwrap()).unwrap();
    let (x, y) = pixel(last.objects[top]);
    assert_eq!(end.segment_at(x, y), SEG_FIRST_OBJECT + top as u16);
    let (x, y) = pixel(first.objects[top]);
    assert_eq!(end.segment_at(x, y), SEG_TABLE);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The recording's camera at 320×240.
fn replay_camera(recording: &Recording) -> wand_sim::camera::CameraSpec {
    let mut camera = recording.header.camera.clone();
    (camera.width_px, camera.height_px) = (320, 240);
    camera
}

#[test]
fn bad_recordings_and_arguments_are_input_errors() {
    let dir = common::scratch("cli-replay", "errors");
    let gif = dir.join("out.gif");
    let gif = gif.to_str().unwrap();
    let stderr = |out: &Output| String::from_utf8_lossy(&out.stderr).to_string();
    let missing = wand(&["replay", "/no/such/run.rec", "--gif", gif]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read recording /no/such/run.rec"),
        "{}",
        stderr(&missing)
    );
    let broken = dir.join("broken.rec");
    std::fs::write(
        &broken,
        "{\"format\": \"wand-recording\", \"version\": 1}\n",
    )
    .unwrap();
    let out = wand(&["replay", broken.to_str().unwrap(), "--gif", gif]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("broken.rec:1: malformed recording: header: missing field"),
        "{}",
        stderr(&out)
    );
    let newer = dir.join("newer.rec");
    std::fs::write(
        &newer,
        "{\"format\": \"wand-recording\", \"version\": 99}\n",
    )
    .unwrap();
    let out = wand(&["replay", newer.to_str().unwrap(), "--gif", gif]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("format version 99, newer than the version 1"),
        "{}",
        stderr(&out)
    );
    let out = wand(&[
        "replay",
        newer.to_str().unwrap(),
        "--gif",
        gif,
        "--size",
        "big",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("'big' is not a size"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
