//! Replays pose a world from a recording's frames and never step it: the pictures show
//! what was recorded, and changing the physics does not change them.

use wand_sim::Scene;
use wand_sim::camera::RaycastCamera;
use wand_sim::objects::Color;
use wand_sim::recording::{Attempt, Header, Outcome, Recording};
use wand_sim::replay::{Moment, Replay};
use wand_sim::robot::MotionOptions;
use wand_sim::world::WorldConfig;

/// A recording of the arm picking up the scene's first block and carrying it away.
fn recorded() -> Recording {
    let scene = Scene::load("demo").unwrap();
    let mut world = scene.build(0).unwrap();
    world.record_frames(30.0);
    let header = Header::describe(&world, "demo", 0, &scene.camera);
    let name = world.objects()[0].name.clone();
    world.pick(&name).unwrap();
    world
        .move_tool([0.35, -0.25, 0.25], 0.0, false, &MotionOptions::default())
        .unwrap();
    Recording {
        header,
        attempts: vec![Attempt {
            number: 1,
            program: format!("pick('{name}')\n"),
            frames: world.take_frames(),
            events: Vec::new(),
            outcome: Outcome::default(),
        }],
    }
}

#[test]
fn replay_pictures_do_not_depend_on_physics() {
    let recording = recorded();
    let camera = recording.header.camera.clone();
    let mut usual = Replay::new(&recording, WorldConfig::default(), camera.clone()).unwrap();
    let odd_physics = WorldConfig {
        dt_s: 1.0 / 30.0,
        gravity_z: 3.0,
        solver_iterations: 1,
        contact_frequency_hz: 5.0,
        ..WorldConfig::default()
    };
    let mut odd = Replay::new(&recording, odd_physics, camera).unwrap();
    let moments = usual.moments(10.0);
    assert!(moments.len() > 10, "{} moments", moments.len());
    for moment in moments {
        let a = usual.picture(moment).unwrap();
        let b = odd.picture(moment).unwrap();
        assert!(a.rgb == b.rgb, "the pictures differ at {moment:?}");
        assert!(a.segmentation == b.segmentation);
    }
}

#[test]
fn replay_pictures_show_the_block_where_the_frames_put_it() {
    let recording = recorded();
    let spec = recording.header.camera.clone();
    let camera = RaycastCamera::new(spec.clone()).unwrap();
    let mut replay = Replay::new(&recording, WorldConfig::default(), spec).unwrap();
    let block = &recording.header.objects[0];
    assert_eq!(block.kind, wand_sim::Kind::Block);
    let rgb = block.color.rgb();
    let frames = &recording.attempts[0].frames;
    let center = |frame: &wand_sim::recording::Frame| {
        let p = frame.objects[0];
        camera
            .project(wand_sim::Vec3::new(p[0], p[1], p[2]))
            .unwrap()
    };
    let seen_at =
        |images: &wand_sim::camera::Images, [x, y]: [f32; 2]| images.rgb_at(x as u32, y as u32);
    let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(p, q)| p.abs_diff(q) < 90);
    let first = replay.picture(Moment { attempt: 0, t: 0.0 }).unwrap();
    let last_t = frames.last().unwrap().t;
    let last = replay
        .picture(Moment {
            attempt: 0,
            t: last_t,
        })
        .unwrap();
    let start = center(&frames[0]);
    let end = center(frames.last().unwrap());
    // At the start the block is where it began; at the end it has gone from there and is
    // where the last frame carried it (shaded, so compared loosely with its color).
    assert!(
        near(seen_at(&first, start), rgb),
        "{:?} vs {rgb:?}",
        seen_at(&first, start)
    );
    assert!(!near(seen_at(&last, start), rgb) || block.color == Color::Gray);
    assert_eq!(
        last.segment_at(end[0] as u32, end[1] as u32),
        first.segment_at(start[0] as u32, start[1] as u32),
        "the block's pixel at its last pose"
    );
    // Moments run from 0 to the end, and a moment between frames shows the earlier one.
    let moments = replay.moments(15.0);
    assert_eq!(moments[0], Moment { attempt: 0, t: 0.0 });
    assert_eq!(moments.last().unwrap().t, last_t);
    let between = replay
        .frame_at(Moment {
            attempt: 0,
            t: frames[3].t + 0.001,
        })
        .unwrap();
    assert_eq!(between, &frames[3]);
}
