//! The raycast camera: what a pixel sees (id, color, depth), projection, PNG export.

use wand_sim::arm::ArmSpec;
use wand_sim::camera::{
    Camera, CameraSpec, FixedCamera, Images, RaycastCamera, SEG_FIRST_OBJECT, SEG_NONE, SEG_ROBOT,
    SEG_TABLE, object_of_segment,
};
use wand_sim::world::{World, WorldConfig};
use wand_sim::{Color, Kind, ObjectSpec, Vec3};

const CAMERA_HEIGHT_M: f32 = 0.75;
const BLOCK_XY: [f32; 2] = [0.6, 0.15];
const BOWL_XY: [f32; 2] = [0.7, -0.2];

/// A red block, a green bowl and the UR5e at home.
fn tabletop() -> (World, usize, usize) {
    let mut world = World::new(WorldConfig::default());
    let block = world
        .add_object(&ObjectSpec {
            kind: Kind::Block,
            color: Color::Red,
            pos_m: BLOCK_XY.to_vec(),
            yaw_rad: 0.0,
        })
        .unwrap();
    let bowl = world
        .add_object(&ObjectSpec {
            kind: Kind::Bowl,
            color: Color::Green,
            pos_m: BOWL_XY.to_vec(),
            yaw_rad: 0.3,
        })
        .unwrap();
    world.add_robot(ArmSpec::ur5e());
    (world, block, bowl)
}

/// Straight down from 0.75 m over the table's middle, the benchmark's camera.
fn from_above(width_px: u32, height_px: u32) -> RaycastCamera {
    RaycastCamera::new(CameraSpec {
        eye_m: [0.5, 0.0, CAMERA_HEIGHT_M],
        target_m: [0.5, 0.0, 0.0],
        up: [0.0, 1.0, 0.0],
        width_px,
        height_px,
        fovy_deg: CameraSpec::fovy_deg_for_focal(450.0 * width_px as f32 / 640.0, height_px),
    })
    .unwrap()
}

fn pixel_of(camera: &RaycastCamera, point: [f32; 3]) -> (u32, u32) {
    let [x, y] = camera
        .project(Vec3::from(point))
        .unwrap_or_else(|| panic!("{point:?} is not in the image"));
    (x as u32, y as u32)
}

#[test]
fn block_pixel_has_its_id_red_color_and_top_face_depth() {
    let (world, block, _) = tabletop();
    let camera = from_above(320, 240);
    let images = camera.render(&world);
    let (x, y) = pixel_of(&camera, [BLOCK_XY[0], BLOCK_XY[1], 0.02]);
    assert_eq!(images.segment_at(x, y), SEG_FIRST_OBJECT + block as u16);
    assert_eq!(object_of_segment(images.segment_at(x, y)), Some(block));
    let [r, g, b] = images.rgb_at(x, y);
    assert!(
        r > 150 && r > 2 * g && r > 2 * b,
        "block pixel is not red: {r} {g} {b}"
    );
    let depth = images.depth_at(x, y);
    assert!(
        (depth - (CAMERA_HEIGHT_M - 0.04)).abs() < 0.002,
        "block top depth {depth}"
    );
}

#[test]
fn bare_table_has_table_id_and_camera_height_depth() {
    let (world, _, _) = tabletop();
    let camera = from_above(320, 240);
    let images = camera.render(&world);
    let (x, y) = pixel_of(&camera, [0.8, 0.2, 0.0]);
    assert_eq!(images.segment_at(x, y), SEG_TABLE);
    assert!((images.depth_at(x, y) - CAMERA_HEIGHT_M).abs() < 0.002);
    let [r, g, b] = images.rgb_at(x, y);
    assert!(r > b && g > b, "table is not wood-colored: {r} {g} {b}");
}

#[test]
fn past_the_table_edge_is_nothing_at_infinite_depth() {
    let (world, _, _) = tabletop();
    let camera = from_above(320, 240);
    let images = camera.render(&world);
    // The table spans x 0.1..0.9; the image reaches x ≈ 1.03 at table height.
    let (x, y) = pixel_of(&camera, [0.97, -0.2, 0.0]);
    assert_eq!(images.segment_at(x, y), SEG_NONE);
    assert_eq!(images.depth_at(x, y), f32::INFINITY);
}

#[test]
fn bowl_interior_shows_its_bottom_below_the_rim() {
    let (world, _, bowl) = tabletop();
    let camera = from_above(640, 480);
    let images = camera.render(&world);
    let bowl_id = SEG_FIRST_OBJECT + bowl as u16;
    let (x, y) = pixel_of(&camera, [BOWL_XY[0], BOWL_XY[1], 0.0]);
    assert_eq!(images.segment_at(x, y), bowl_id);
    let bottom = images.depth_at(x, y);
    assert!(
        (bottom - (CAMERA_HEIGHT_M - 0.008)).abs() < 0.002,
        "bowl bottom depth {bottom}"
    );
    // A point on the rim, 3 mm inside the outer radius (the wall is 6 mm thick).
    let (rx, ry) = pixel_of(&camera, [BOWL_XY[0], BOWL_XY[1] + 0.062, 0.04]);
    assert_eq!(images.segment_at(rx, ry), bowl_id);
    let rim = images.depth_at(rx, ry);
    assert!(
        (rim - (CAMERA_HEIGHT_M - 0.04)).abs() < 0.002,
        "rim depth {rim}"
    );
    assert!(bottom > rim + 0.02);
}

#[test]
fn robot_is_seen_from_above_the_base() {
    let (world, _, _) = tabletop();
    let camera = RaycastCamera::new(CameraSpec {
        eye_m: [0.3, 0.0, 1.6],
        target_m: [0.3, 0.0, 0.0],
        up: [1.0, 0.0, 0.0],
        width_px: 160,
        height_px: 120,
        fovy_deg: 60.0,
    })
    .unwrap();
    let images = camera.render(&world);
    let robot_pixels = images
        .segmentation
        .iter()
        .filter(|&&id| id == SEG_ROBOT)
        .count();
    assert!(robot_pixels > 50, "only {robot_pixels} robot pixels");
}

#[test]
fn depth_is_along_the_optical_axis_and_unprojects_to_the_surface() {
    let (world, _, _) = tabletop();
    // An oblique view: z-depth differs from ray length off-center.
    let camera = RaycastCamera::new(CameraSpec::default()).unwrap();
    let images = camera.render(&world);
    let surface = [0.75, 0.25, 0.0];
    let (x, y) = pixel_of(&camera, surface);
    assert_eq!(images.segment_at(x, y), SEG_TABLE);
    let seen = camera.unproject([x as f32 + 0.5, y as f32 + 0.5], images.depth_at(x, y));
    assert!(
        seen.z.abs() < 1e-4,
        "unprojected point {seen} is not on the table top"
    );
    assert!(seen.distance(Vec3::from(surface)) < 0.01);
}

#[test]
fn a_box_partly_behind_the_camera_is_still_drawn_where_it_is_in_front() {
    // The table's bounding box reaches behind this low camera (x < 0.45), so it cannot be
    // projected; it must still be drawn, and the robot behind the camera must not be.
    let (world, _, bowl) = tabletop();
    let camera = RaycastCamera::new(CameraSpec {
        eye_m: [0.45, 0.0, 0.3],
        target_m: [1.0, 0.0, 0.05],
        up: [0.0, 0.0, 1.0],
        width_px: 160,
        height_px: 120,
        fovy_deg: 60.0,
    })
    .unwrap();
    let images = camera.render(&world);
    let (x, y) = pixel_of(&camera, [0.85, 0.05, 0.0]);
    assert_eq!(images.segment_at(x, y), SEG_TABLE);
    let (x, y) = pixel_of(&camera, [BOWL_XY[0], BOWL_XY[1], 0.008]);
    assert_eq!(images.segment_at(x, y), SEG_FIRST_OBJECT + bowl as u16);
    assert!(
        camera.project(Vec3::new(0.0, 0.0, 0.3)).is_none(),
        "the robot base is behind"
    );
    assert!(
        !images.segmentation.contains(&SEG_ROBOT),
        "the robot behind the camera is drawn"
    );
}

#[test]
fn threads_render_the_same_image() {
    let (world, _, _) = tabletop();
    let one = from_above(161, 121).render(&world);
    for threads in [2, 3, 200] {
        assert_eq!(
            from_above(161, 121).with_threads(threads).render(&world),
            one
        );
    }
}

#[test]
fn project_maps_the_optical_axis_to_the_image_center() {
    let camera = from_above(640, 480);
    assert_eq!(
        camera.project(Vec3::new(0.5, 0.0, 0.0)),
        Some([320.0, 240.0])
    );
    assert_eq!(
        camera.project(Vec3::new(0.5, 0.0, 1.0)),
        None,
        "behind the camera"
    );
    // up = +y: a point further along +y appears higher (smaller row).
    let [_, y] = camera.project(Vec3::new(0.5, 0.1, 0.0)).unwrap();
    assert!(y < 240.0);
}

#[test]
fn bad_specs_are_refused_with_reasons() {
    let spec = CameraSpec {
        width_px: 0,
        ..CameraSpec::default()
    };
    assert!(
        RaycastCamera::new(spec)
            .unwrap_err()
            .to_string()
            .contains("pixels")
    );
    let spec = CameraSpec {
        target_m: CameraSpec::default().eye_m,
        ..CameraSpec::default()
    };
    assert!(
        RaycastCamera::new(spec)
            .unwrap_err()
            .to_string()
            .contains("same point")
    );
}

#[test]
fn pngs_decode_with_the_right_size_and_values() {
    let (world, block, _) = tabletop();
    let camera = from_above(200, 150);
    let images = camera.render(&world);
    let dir = std::env::temp_dir().join(format!("wand-camera-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (rgb, depth, seg) = (
        dir.join("rgb.png"),
        dir.join("depth.png"),
        dir.join("seg.png"),
    );
    images.save_rgb(&rgb).unwrap();
    images.save_depth(&depth).unwrap();
    images.save_segmentation(&seg).unwrap();

    let decoded_rgb = image::open(&rgb).unwrap().into_rgb8();
    assert_eq!(decoded_rgb.dimensions(), (200, 150));
    assert_eq!(decoded_rgb.as_raw(), &images.rgb);

    let decoded_depth = image::open(&depth).unwrap().into_luma16();
    assert_eq!(decoded_depth.dimensions(), (200, 150));
    let (x, y) = pixel_of(&camera, [BLOCK_XY[0], BLOCK_XY[1], 0.04]);
    assert_eq!(decoded_depth.get_pixel(x, y).0[0], 710);
    let (ex, ey) = pixel_of(&camera, [0.97, -0.2, 0.0]);
    assert_eq!(
        decoded_depth.get_pixel(ex, ey).0[0],
        0,
        "no hit is written as 0"
    );

    let decoded_seg = image::open(&seg).unwrap().into_rgb8();
    assert_eq!(decoded_seg.dimensions(), (200, 150));
    let block_color = decoded_seg.get_pixel(x, y).0;
    assert_eq!(
        block_color,
        wand_sim::camera::segment_color(SEG_FIRST_OBJECT + block as u16)
    );
    assert_ne!(block_color, decoded_seg.get_pixel(ex, ey).0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn segment_colors_are_distinct() {
    let colors: Vec<[u8; 3]> = (0..64).map(wand_sim::camera::segment_color).collect();
    for (i, a) in colors.iter().enumerate() {
        for b in &colors[i + 1..] {
            assert_ne!(a, b);
        }
    }
}

#[test]
fn a_fixed_camera_returns_its_images() {
    let (world, _, _) = tabletop();
    let images = Images::empty(4, 3);
    let camera = FixedCamera {
        spec: CameraSpec::default(),
        images: images.clone(),
    };
    assert_eq!(camera.render(&world), images);
    assert_eq!(images.depth_at(3, 2), f32::INFINITY);
}
