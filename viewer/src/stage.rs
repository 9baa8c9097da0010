//! The recording's world as bevy meshes: every collider of the world the header builds
//! (table, arm links, blocks, bowls: what the simulation collides is what you see), one
//! entity per rigid body, posed each frame from the recording's frame at the playback
//! moment through [`World::show`]. Nothing here steps physics.

use crate::feed::Feed;
use crate::orbit::Orbit;
use bevy::camera::visibility::RenderLayers;
use bevy::camera::{CameraOutputMode, ImageRenderTarget, RenderTarget};
use bevy::light::CascadeShadowConfigBuilder;
use bevy::prelude::*;
use bevy::render::render_resource::{BlendState, TextureFormat};
use bevy_egui::PrimaryEguiContext;
use rapier3d::math::Pose;
use rapier3d::prelude::{RigidBodyHandle, Shape};
use std::sync::Mutex;
use wand_sim::playback::Playback;
use wand_sim::replay::Moment;
use wand_sim::world::{Owner, World, WorldConfig};
use wand_sim::{Kind, Recording};

/// Where the pictures go.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    Window,
    /// An image of this size, for a screenshot without any display.
    Image {
        width: u32,
        height: u32,
    },
}

/// Where playback starts and where the pictures go.
#[derive(Resource, Debug, Clone)]
pub struct Start {
    /// Seconds on the one clock over all attempts; `None`: the end.
    pub at_s: Option<f64>,
    pub target: Target,
}

/// The image the cameras render into, when there is no window.
#[derive(Resource)]
pub struct ImageTarget(pub Handle<Image>);

/// Where playback is, and whether it follows a live run.
#[derive(Resource)]
pub struct Clock {
    pub playback: Playback,
    /// Play on at the speed as a live run's frames arrive (behind the run when the
    /// simulation is faster than real time, which it mostly is).
    pub follow: bool,
    /// A screenshot's moment (seconds; `None`: the end), kept as lines arrive.
    pinned: Option<Option<f64>>,
}

impl Clock {
    fn new(playback: Playback) -> Clock {
        Clock {
            playback,
            follow: false,
            pinned: None,
        }
    }
}

/// The recording's world, posed (never stepped). A mutex: bevy wants resources `Sync`.
#[derive(Resource)]
struct Posed(Mutex<World>);

/// A rigid body of the posed world.
#[derive(Component)]
struct Body(RigidBodyHandle);

/// The camera that draws the 3-D scene (the panel's camera draws egui only).
#[derive(Component)]
pub struct SceneCamera;

pub struct StagePlugin;

impl Plugin for StagePlugin {
    fn build(&self, app: &mut App) {
        app.add_systems(Startup, build)
            .add_systems(Update, (take_in_feed, advance, pose).chain());
    }
}

fn build(
    mut commands: Commands,
    feed: Res<Feed>,
    start: Res<Start>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut images: ResMut<Assets<Image>>,
) {
    let recording = feed.recording();
    let world = recording
        .header
        .build_world(WorldConfig::default())
        .expect("the feed checked the header");
    spawn_bodies(
        &mut commands,
        &world,
        recording,
        &mut meshes,
        &mut materials,
    );
    commands.insert_resource(Posed(Mutex::new(world)));

    // A window plays from the start (or --at); a live one follows the run; a
    // screenshot is pinned to its moment (or the end).
    let mut clock = Clock::new(Playback::new(recording));
    match start.target {
        Target::Window => {
            clock.playback.seek(start.at_s.unwrap_or(0.0));
            clock.playback.set_playing(true);
            clock.follow = !feed.ended();
        }
        Target::Image { .. } => {
            clock.pinned = Some(start.at_s);
            pin(&mut clock.playback, start.at_s);
        }
    }
    commands.insert_resource(clock);

    // Light from above and behind the camera's side, with shadows; soft fill light.
    commands.spawn((
        DirectionalLight {
            illuminance: 9_000.0,
            shadow_maps_enabled: true,
            ..default()
        },
        Transform::from_xyz(1.6, 1.0, 3.0).looking_at(Vec3::new(0.4, 0.0, 0.0), Vec3::Z),
        CascadeShadowConfigBuilder {
            maximum_distance: 6.0,
            first_cascade_far_bound: 1.5,
            ..default()
        }
        .build(),
    ));
    commands.insert_resource(GlobalAmbientLight {
        color: Color::WHITE,
        brightness: 600.0,
        ..default()
    });

    let target = match start.target {
        Target::Window => None,
        Target::Image { width, height } => {
            let image =
                Image::new_target_texture(width, height, TextureFormat::Rgba8UnormSrgb, None);
            let handle = images.add(image);
            commands.insert_resource(ImageTarget(handle.clone()));
            Some(RenderTarget::Image(ImageRenderTarget {
                handle,
                scale_factor: 1.0,
            }))
        }
    };
    let orbit = Orbit::framing(&recording.header.camera);
    let mut scene_camera = commands.spawn((
        SceneCamera,
        Camera3d::default(),
        Projection::Perspective(PerspectiveProjection {
            fov: recording.header.camera.fovy_deg.to_radians(),
            ..default()
        }),
        orbit.transform(),
        orbit,
        Msaa::Sample4,
    ));
    if let Some(target) = &target {
        scene_camera.insert(target.clone());
    }
    // The panel's camera: egui only, drawn over the scene.
    let mut panel_camera = commands.spawn((
        PrimaryEguiContext,
        Camera2d,
        RenderLayers::none(),
        Camera {
            order: 1,
            output_mode: CameraOutputMode::Write {
                blend_state: Some(BlendState::ALPHA_BLENDING),
                clear_color: ClearColorConfig::None,
            },
            clear_color: ClearColorConfig::Custom(Color::NONE),
            ..default()
        },
    ));
    if let Some(target) = target {
        panel_camera.insert(target);
    }
}

/// One entity per rigid body, with a mesh child per collider (per part of a compound).
fn spawn_bodies(
    commands: &mut Commands,
    world: &World,
    recording: &Recording,
    meshes: &mut Assets<Mesh>,
    materials: &mut Assets<StandardMaterial>,
) {
    let physics = world.physics();
    for (handle, body) in physics.bodies.iter() {
        let mut entity = commands.spawn((
            Body(handle),
            to_transform(body.position()),
            Visibility::default(),
        ));
        for &collider in body.colliders() {
            let collider = &physics.colliders[collider];
            let owner = Owner::decode(collider.user_data);
            let material = materials.add(material_for(owner, recording));
            let local = collider.position_wrt_parent().copied().unwrap_or_default();
            let mut parts = Vec::new();
            shape_meshes(collider.shape(), local, &mut parts);
            entity.with_children(|children| {
                for (mesh, transform) in parts {
                    children.spawn((
                        Mesh3d(meshes.add(mesh)),
                        MeshMaterial3d(material.clone()),
                        transform,
                    ));
                }
            });
        }
    }
}

/// Meshes for a collider shape at `local` (in its body's frame): boxes, capsules,
/// cylinders and balls as they are; a compound part by part; anything else as its box.
fn shape_meshes(shape: &dyn Shape, local: Pose, out: &mut Vec<(Mesh, Transform)>) {
    let at = to_transform(&local);
    if let Some(cuboid) = shape.as_cuboid() {
        let h = cuboid.half_extents;
        out.push((Cuboid::new(2.0 * h.x, 2.0 * h.y, 2.0 * h.z).into(), at));
    } else if let Some(capsule) = shape.as_capsule() {
        let (a, b) = (capsule.segment.a, capsule.segment.b);
        let (a, b) = (Vec3::new(a.x, a.y, a.z), Vec3::new(b.x, b.y, b.z));
        let axis = b - a;
        let length = axis.length();
        let turn = if length > 1e-6 {
            Quat::from_rotation_arc(Vec3::Y, axis / length)
        } else {
            Quat::IDENTITY
        };
        let part = Transform::from_translation((a + b) / 2.0).with_rotation(turn);
        out.push((
            Capsule3d::new(capsule.radius, length)
                .mesh()
                .rings(4)
                .latitudes(12)
                .longitudes(24)
                .into(),
            at * part,
        ));
    } else if let Some(cylinder) = shape.as_cylinder() {
        out.push((
            Cylinder::new(cylinder.radius, 2.0 * cylinder.half_height)
                .mesh()
                .resolution(32)
                .into(),
            at,
        ));
    } else if let Some(ball) = shape.as_ball() {
        out.push((Sphere::new(ball.radius).mesh().uv(24, 16), at));
    } else if let Some(compound) = shape.as_compound() {
        for (pose, part) in compound.shapes() {
            shape_meshes(part.as_ref(), local * *pose, out);
        }
    } else {
        let aabb = shape.compute_local_aabb();
        let (min, max) = (aabb.mins, aabb.maxs);
        let size = Vec3::new(max.x - min.x, max.y - min.y, max.z - min.z);
        let center = Vec3::new(min.x + max.x, min.y + max.y, min.z + max.z) / 2.0;
        out.push((
            Cuboid::from_size(size).into(),
            at * Transform::from_translation(center),
        ));
    }
}

/// Objects in their colors, the table light wood, the arm UR-grey on a dark base.
fn material_for(owner: Owner, recording: &Recording) -> StandardMaterial {
    let (color, roughness) = match owner {
        Owner::Object(i) => {
            let spec = &recording.header.objects[i];
            let [r, g, b] = spec.color.rgb();
            let roughness = match spec.kind {
                Kind::Block => 0.55,
                Kind::Bowl => 0.35,
            };
            (Color::srgb_u8(r, g, b), roughness)
        }
        Owner::Table => (Color::srgb(0.78, 0.68, 0.55), 0.9),
        Owner::Robot(0) => (Color::srgb(0.22, 0.23, 0.25), 0.6),
        Owner::Robot(_) => (Color::srgb(0.80, 0.82, 0.85), 0.4),
        Owner::Unknown => (Color::srgb(0.3, 0.3, 0.3), 0.6),
    };
    StandardMaterial {
        base_color: color,
        perceptual_roughness: roughness,
        ..default()
    }
}

fn to_transform(pose: &Pose) -> Transform {
    let (t, r) = (pose.translation, pose.rotation);
    Transform::from_xyz(t.x, t.y, t.z).with_rotation(Quat::from_xyzw(r.x, r.y, r.z, r.w))
}

fn pin(playback: &mut Playback, at_s: Option<f64>) {
    match at_s {
        Some(at) => playback.seek(at),
        None => playback.seek_end(),
    }
}

/// Takes in a live run's new lines: a following clock plays on into them, a pinned one
/// stays at its moment.
fn take_in_feed(mut feed: ResMut<Feed>, mut clock: ResMut<Clock>) {
    if feed.poll() {
        clock.playback.refresh(feed.recording());
        if let Some(at_s) = clock.pinned {
            pin(&mut clock.playback, at_s);
        } else if clock.follow {
            clock.playback.resume();
        }
    }
}

fn advance(time: Res<Time>, mut clock: ResMut<Clock>) {
    clock.playback.advance(time.delta_secs_f64());
}

/// Poses the world from the frame at the moment and copies every body's pose.
fn pose(
    feed: Res<Feed>,
    clock: Res<Clock>,
    posed: Res<Posed>,
    mut bodies: Query<(&Body, &mut Transform)>,
) {
    let moment: Moment = clock.playback.moment();
    let Some(frame) = feed.recording().frame_at(moment) else {
        return;
    };
    let mut world = posed.0.lock().expect("only this system poses");
    world.show(frame);
    for (body, mut transform) in &mut bodies {
        if let Some(b) = world.physics().bodies.get(body.0) {
            *transform = to_transform(b.position());
        }
    }
}
