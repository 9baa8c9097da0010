//! The benchmark scenes of `../shared/bench/peers.py`, built with wand's own [`World`]
//! and timed with the same protocol, so that wand's figures sit beside PyBullet's and
//! MuJoCo's from the same run.
//!
//! peers.py's constants are the spec: dt 1/240 s, sleeping off, a 0.8 × 0.8 m table whose
//! top face is z = 0, 4 cm cubes of 0.05 kg with friction 0.8, 240 warm-up steps, then
//! [`REPEATS`] blocks of a scene's timed steps; the median block gives steps/s. The number
//! measures wand's world (its table, objects and robot bookkeeping), not plain rapier.
//!
//! ```no_run
//! let results = wand_sim::bench::run(&["cubes10"], true).unwrap();
//! println!("{:?} steps/s", results[0].steps_per_s);
//! ```

use crate::arm::{ArmSpec, JointSpec, LinkSpec};
use crate::camera::{Camera, CameraSpec, RaycastCamera};
use crate::gripper::GripperKind;
use crate::objects::{BLOCK_EDGE_M, Color, Kind, ObjectSpec};
use crate::world::{World, WorldConfig};
use crate::{DEFAULT_DT_S, Vec3};
use nalgebra::{Isometry3, Point3, Vector3};
use serde::Serialize;
use std::f64::consts::{PI, TAU};
use std::time::Instant;

/// Steps taken before timing starts.
pub const WARMUP_STEPS: u32 = 240;
/// Timed blocks per scene; the median block counts.
pub const REPEATS: usize = 3;
/// Quick mode (tests, CI) times one block of `timed_steps / QUICK_DIVISOR` steps.
pub const QUICK_DIVISOR: u32 = 50;
/// The rapier3d version wand-sim builds on (a test checks it against Cargo.lock).
pub const RAPIER_VERSION: &str = "0.36.1";
/// Whether rapier's `enhanced-determinism` feature (identical bits across CPUs) is on.
pub const ENHANCED_DETERMINISM: bool = cfg!(feature = "enhanced-determinism");

/// Table center (x, y) and half extents, as in peers.py.
const TABLE_CENTER_M: [f32; 2] = [0.5, 0.0];
const TABLE_HALF_EXTENTS_M: [f32; 2] = [0.4, 0.4];
const CUBE_HALF_EDGE_M: f32 = 0.02;

/// The camera looks straight down from here at cubes10, image up = +y.
pub const CAMERA_EYE_M: [f32; 3] = [0.5, 0.0, 0.75];
/// Focal length at 640 px wide; it scales with the width, so the field of view is fixed.
pub const CAMERA_FOCAL_PX_AT_640: f32 = 450.0;

/// Joint target amplitudes of the arm scene, rad.
pub const ARM_AMPLITUDE_RAD: [f64; 7] = [0.4, 0.2, 0.4, 0.2, 0.4, 0.3, 0.5];
/// Joint target frequencies of the arm scene, Hz.
pub const ARM_FREQUENCY_HZ: [f64; 7] = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];
/// Acceleration-based motor gains of the bench arm (per unit effective inertia), as in
/// the trial of ../shared/notes/rapier.md; kp 1e4 tracked badly there.
const ARM_MOTOR_STIFFNESS: f64 = 1.0e6;
const ARM_MOTOR_DAMPING: f64 = 2000.0;

/// One capsule link of peers.py's 7-DOF arm: joint axis, length along the link's +z
/// (the next joint sits at its end), radius, mass, joint torque limit.
struct BenchLink {
    axis: [f64; 3],
    length_m: f64,
    radius_m: f64,
    mass_kg: f64,
    max_torque_nm: f64,
}

const fn link(
    axis: [f64; 3],
    length_m: f64,
    radius_m: f64,
    mass_kg: f64,
    max_torque_nm: f64,
) -> BenchLink {
    BenchLink {
        axis,
        length_m,
        radius_m,
        mass_kg,
        max_torque_nm,
    }
}

const Z: [f64; 3] = [0.0, 0.0, 1.0];
const Y: [f64; 3] = [0.0, 1.0, 0.0];
/// KUKA iiwa-like dimensions, pointing straight up at q = 0 (peers.py's `ARM`).
const ARM: [BenchLink; 7] = [
    link(Z, 0.34, 0.06, 4.0, 176.0),
    link(Y, 0.20, 0.06, 4.0, 176.0),
    link(Z, 0.20, 0.06, 3.0, 110.0),
    link(Y, 0.20, 0.05, 2.7, 110.0),
    link(Z, 0.20, 0.05, 1.7, 110.0),
    link(Y, 0.06, 0.045, 1.8, 40.0),
    link(Z, 0.066, 0.04, 0.3, 40.0),
];

/// A cube of a scene: its center and its turn about z.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cube {
    /// Center of the cube, meters.
    pub center_m: [f32; 3],
    /// Rotation about z, radians.
    pub yaw_rad: f32,
}

/// A scene that is stepped and timed.
#[derive(Debug, Clone, PartialEq)]
pub struct SteppingScene {
    /// Its name in peers.py ("cubes10").
    pub name: &'static str,
    /// The cubes, in peers.py's order.
    pub cubes: Vec<Cube>,
    /// Steps per timed block: the same work for every engine.
    pub timed_steps: u32,
    /// Whether the 7-DOF arm is in the scene, following its joint sine waves.
    pub arm: bool,
}

/// A scene that renders images of cubes10 and times them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CameraScene {
    /// Its name in peers.py ("camera_160x120").
    pub name: &'static str,
    /// Image width, pixels.
    pub width_px: u32,
    /// Image height, pixels.
    pub height_px: u32,
    /// Images per timed block.
    pub images_per_block: u32,
}

/// Whole episodes: the UR5e stacks every block of the shipped `blocks` scene, seed after
/// seed, through the same pick and place that primitives use, with one gripper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpisodeScene {
    /// "episode_stack_all".
    pub name: &'static str,
    /// Episodes timed (seeds 0, 1, …).
    pub episodes: u32,
    /// The arm's gripper.
    pub gripper: GripperKind,
}

/// A benchmark scene.
#[derive(Debug, Clone, PartialEq)]
pub enum Scene {
    /// Timed in physics steps per second.
    Stepping(SteppingScene),
    /// Timed in milliseconds per image.
    Camera(CameraScene),
    /// Timed in simulated steps per wall second inside whole episodes.
    Episode(EpisodeScene),
}

/// The scenes peers.py defines, in its order.
pub const PEER_SCENES: [&str; 6] = [
    "cubes10",
    "cubes50",
    "cubes200",
    "arm_cubes10",
    "camera_160x120",
    "camera_640x480",
];

/// Every scene: peers.py's, then wand's own episode benchmarks (suction, fingers).
pub const SCENE_NAMES: [&str; 8] = [
    "cubes10",
    "cubes50",
    "cubes200",
    "arm_cubes10",
    "camera_160x120",
    "camera_640x480",
    "episode_stack_all",
    "episode_stack_all_parallel",
];

/// `nx` (along x) by `ny` (along y) cubes `spacing_m` apart, centred on the table, x
/// varying fastest, centers at height `z`.
pub fn grid(nx: usize, ny: usize, spacing_m: f32, z: f32, yaw_rad: f32) -> Vec<Cube> {
    let [cx, cy] = TABLE_CENTER_M;
    let mut cubes = Vec::with_capacity(nx * ny);
    for j in 0..ny {
        for i in 0..nx {
            cubes.push(Cube {
                center_m: [
                    cx + (i as f32 - (nx as f32 - 1.0) / 2.0) * spacing_m,
                    cy + (j as f32 - (ny as f32 - 1.0) / 2.0) * spacing_m,
                    z,
                ],
                yaw_rad,
            });
        }
    }
    cubes
}

fn cubes10() -> Vec<Cube> {
    grid(5, 2, 0.08, CUBE_HALF_EDGE_M, 0.0)
}

/// 30 cubes on the table, 20 more on the first 20.
fn cubes50() -> Vec<Cube> {
    let floor = grid(5, 6, 0.08, CUBE_HALF_EDGE_M, 0.0);
    let top: Vec<Cube> = floor[..20]
        .iter()
        .map(|c| Cube {
            center_m: [c.center_m[0], c.center_m[1], 0.06],
            ..*c
        })
        .collect();
    floor.into_iter().chain(top).collect()
}

/// 4 layers of 10 × 5, yawed 0.3 rad; layer k at z = 0.02 + 0.045 k, so each drops 5 mm.
fn cubes200() -> Vec<Cube> {
    (0..4)
        .flat_map(|k| grid(10, 5, 0.07, 0.02 + 0.045 * k as f32, 0.3))
        .collect()
}

/// The scene called `name`, or `None` for a name that is not in [`SCENE_NAMES`].
pub fn scene(name: &str) -> Option<Scene> {
    let stepping = |name, cubes, timed_steps, arm| {
        Some(Scene::Stepping(SteppingScene {
            name,
            cubes,
            timed_steps,
            arm,
        }))
    };
    let camera = |name, width_px, height_px, images_per_block| {
        Some(Scene::Camera(CameraScene {
            name,
            width_px,
            height_px,
            images_per_block,
        }))
    };
    match name {
        "cubes10" => stepping("cubes10", cubes10(), 48_000, false),
        "cubes50" => stepping("cubes50", cubes50(), 6_000, false),
        "cubes200" => stepping("cubes200", cubes200(), 720, false),
        "arm_cubes10" => stepping("arm_cubes10", cubes10(), 36_000, true),
        "camera_160x120" => camera("camera_160x120", 160, 120, 100),
        "camera_640x480" => camera("camera_640x480", 640, 480, 20),
        "episode_stack_all" => Some(Scene::Episode(EpisodeScene {
            name: "episode_stack_all",
            episodes: 20,
            gripper: GripperKind::Suction,
        })),
        "episode_stack_all_parallel" => Some(Scene::Episode(EpisodeScene {
            name: "episode_stack_all_parallel",
            episodes: 20,
            gripper: GripperKind::Parallel,
        })),
        _ => None,
    }
}

/// peers.py's 7-DOF capsule arm as an [`ArmSpec`]: link k is a capsule from the origin
/// to (0, 0, length_k) of its frame, joint k+1 sits at that end, home is all zeros.
pub fn bench_arm() -> ArmSpec {
    let mut joints = Vec::with_capacity(ARM.len());
    let mut links = Vec::with_capacity(ARM.len());
    let mut offset_m = 0.0;
    for (k, dims) in ARM.iter().enumerate() {
        joints.push(JointSpec {
            name: ["a1", "a2", "a3", "a4", "a5", "a6", "a7"][k],
            origin: Isometry3::translation(0.0, 0.0, offset_m),
            axis: Vector3::from(dims.axis),
            limits_rad: [-PI, PI],
            max_speed_rad_s: PI,
            max_accel_rad_s2: 10.0,
            max_torque_nm: dims.max_torque_nm,
        });
        links.push(LinkSpec {
            capsule_a: Point3::origin(),
            capsule_b: Point3::new(0.0, 0.0, dims.length_m),
            radius_m: dims.radius_m,
            mass_kg: dims.mass_kg,
        });
        offset_m = dims.length_m;
    }
    ArmSpec {
        name: "bench 7-dof",
        joints,
        links,
        tool: Isometry3::translation(0.0, 0.0, offset_m),
        tool_length_m: 0.0,
        home_rad: vec![0.0; ARM.len()],
        motor_stiffness: ARM_MOTOR_STIFFNESS,
        motor_damping: ARM_MOTOR_DAMPING,
        motor_force_based: false,
    }
}

/// Joint targets q_i(t) = A_i sin(2π f_i t) (rad) and their derivatives (rad/s).
pub fn arm_targets(t_s: f64) -> ([f64; 7], [f64; 7]) {
    let mut q = [0.0; 7];
    let mut q_dot = [0.0; 7];
    for i in 0..7 {
        let (a, w) = (ARM_AMPLITUDE_RAD[i], TAU * ARM_FREQUENCY_HZ[i]);
        q[i] = a * (w * t_s).sin();
        q_dot[i] = a * w * (w * t_s).cos();
    }
    (q, q_dot)
}

/// The physics settings of every bench scene: wand's defaults with sleeping off (the
/// peers keep it off), dt 1/240 s, peers.py's table.
pub fn world_config() -> WorldConfig {
    WorldConfig {
        sleeping: false,
        dt_s: DEFAULT_DT_S,
        table_center_m: TABLE_CENTER_M,
        table_half_extents_m: TABLE_HALF_EXTENTS_M,
        ..WorldConfig::default()
    }
}

/// Builds a stepping scene in a wand [`World`]: the cubes (red blocks named "cube0",
/// "cube1", …) and, for the arm scene, the bench arm at home.
pub fn build_world(scene: &SteppingScene) -> World {
    let mut world = World::new(world_config());
    for (i, cube) in scene.cubes.iter().enumerate() {
        let [x, y, z] = cube.center_m;
        let spec = ObjectSpec {
            kind: Kind::Block,
            color: Color::Red,
            // ObjectSpec places a block by its bottom center.
            pos_m: vec![x, y, z - BLOCK_EDGE_M / 2.0],
            yaw_rad: cube.yaw_rad,
        };
        world
            .add_named_object(format!("cube{i}"), &spec)
            .expect("bench cube names are unique");
    }
    if scene.arm {
        world.add_robot(bench_arm());
    }
    world
}

impl World {
    /// Centers of every object, in the order they were added.
    fn object_positions(&self) -> Vec<Vec3> {
        self.objects
            .iter()
            .map(|o| self.body_pose(o.body).translation)
            .collect()
    }

    /// Commands the bench arm's sine-wave targets for the current time, steps once and
    /// returns the worst joint tracking error (measured angle vs the commanded target).
    fn step_bench_arm(&mut self) -> f64 {
        let (q, q_dot) = arm_targets(self.time_s());
        self.command_joints(&q, &q_dot);
        self.step();
        self.joint_angles()
            .iter()
            .zip(&q)
            .map(|(measured, target)| (measured - target).abs())
            .fold(0.0, f64::max)
    }
}

/// What timing one scene gave. Absent figures do not apply to the scene (or it was
/// skipped); the JSON form has the keys of peers.py's results.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SceneResult {
    /// The scene's name.
    #[serde(skip)]
    pub scene: String,
    /// Number of cubes in the scene.
    #[serde(skip)]
    pub cubes: usize,
    /// Median physics steps per wall-clock second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps_per_s: Option<f64>,
    /// Real-time factor: simulated seconds per wall-clock second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtf: Option<f64>,
    /// Steps per timed block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timed_steps: Option<u32>,
    /// The farthest any cube moved from its start, after warm-up and all blocks, m.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_cube_displacement_m: Option<f64>,
    /// Worst |measured − commanded| joint angle over the timed steps (arm scene), rad.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_joint_tracking_error_rad: Option<f64>,
    /// Median milliseconds per RGB + depth + segmentation image (camera scenes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ms_per_image: Option<f64>,
    /// Whole episodes per wall-clock second (episode scenes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub episodes_per_s: Option<f64>,
    /// Share of an episode's wall time spent inside rapier's step (episode scenes);
    /// the rest is wand's own work (IK, trajectories, contact checks, queries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physics_share: Option<f64>,
    /// Episodes whose check passed, of those run (episode scenes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub episodes_succeeded: Option<String>,
    /// How the figure was made, when that needs saying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why the scene was not measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// A bench request that cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BenchError {
    /// A scene name that is not in [`SCENE_NAMES`].
    #[error("unknown bench scene '{name}'; known scenes: {}", SCENE_NAMES.join(", "))]
    UnknownScene {
        /// The name asked for.
        name: String,
    },
}

/// Checks that every name is a bench scene, before anything runs.
pub fn check_scene_names(scenes: &[&str]) -> Result<(), BenchError> {
    match scenes.iter().find(|name| scene(name).is_none()) {
        Some(name) => Err(BenchError::UnknownScene {
            name: name.to_string(),
        }),
        None => Ok(()),
    }
}

/// Times each named scene in turn. `quick` times one short block per scene (for tests
/// and CI: the outcomes are real, the timings rough).
pub fn run(scenes: &[&str], quick: bool) -> Result<Vec<SceneResult>, BenchError> {
    check_scene_names(scenes)?;
    scenes.iter().map(|name| run_scene(name, quick)).collect()
}

/// Times one scene.
pub fn run_scene(name: &str, quick: bool) -> Result<SceneResult, BenchError> {
    match scene(name) {
        Some(Scene::Stepping(s)) => Ok(measure_stepping(&s, quick)),
        Some(Scene::Camera(c)) => Ok(measure_camera(&c, quick)),
        Some(Scene::Episode(e)) => Ok(measure_episodes(&e, quick)),
        None => Err(BenchError::UnknownScene {
            name: name.to_string(),
        }),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Rounds to `digits` significant digits, as peers.py prints its displacements.
fn significant(value: f64, digits: i32) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let scale = 10f64.powi(digits - 1 - value.abs().log10().floor() as i32);
    (value * scale).round() / scale
}

fn round_to(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// Steps a scene with peers.py's protocol (warm-up, timed blocks, median).
pub fn measure_stepping(scene: &SteppingScene, quick: bool) -> SceneResult {
    let (repeats, timed_steps) = if quick {
        (1, (scene.timed_steps / QUICK_DIVISOR).max(1))
    } else {
        (REPEATS, scene.timed_steps)
    };
    let mut world = build_world(scene);
    let start = world.object_positions();
    let step = |world: &mut World| -> f64 {
        if scene.arm {
            world.step_bench_arm()
        } else {
            world.step();
            0.0
        }
    };
    for _ in 0..WARMUP_STEPS {
        step(&mut world);
    }
    let mut rates = Vec::with_capacity(repeats);
    let mut worst_tracking_rad: f64 = 0.0;
    for _ in 0..repeats {
        let t0 = Instant::now();
        for _ in 0..timed_steps {
            worst_tracking_rad = worst_tracking_rad.max(step(&mut world));
        }
        rates.push(timed_steps as f64 / t0.elapsed().as_secs_f64());
    }
    let moved_m = world
        .object_positions()
        .iter()
        .zip(&start)
        .map(|(now, then)| now.distance(*then) as f64)
        .fold(0.0, f64::max);
    let steps_per_s = median(rates);
    let dt_s = world.config().dt_s as f64;
    SceneResult {
        scene: scene.name.to_string(),
        cubes: scene.cubes.len(),
        steps_per_s: Some(round_to(steps_per_s, 1)),
        rtf: Some(round_to(steps_per_s * dt_s, 2)),
        timed_steps: Some(timed_steps),
        max_cube_displacement_m: Some(significant(moved_m, 3)),
        max_joint_tracking_error_rad: scene.arm.then(|| significant(worst_tracking_rad, 3)),
        note: quick.then(|| format!("quick: 1 block of {timed_steps} steps")),
        ..SceneResult::default()
    }
}

/// Runs whole stack-all-blocks episodes on the shipped `blocks` scene (its own world
/// settings, sleeping allowed, as a real episode runs) and times them: simulated steps
/// per wall second inside episodes, set beside the bench scenes' raw stepping rates,
/// and the share of that time rapier's step takes.
pub fn measure_episodes(scene: &EpisodeScene, quick: bool) -> SceneResult {
    let episodes = if quick { 2 } else { scene.episodes };
    let mut blocks = crate::Scene::load("blocks").expect("the shipped blocks scene loads");
    blocks.robot.gripper = scene.gripper;
    let mut steps = 0u64;
    let mut physics_s = 0.0;
    let mut succeeded = 0;
    let t0 = Instant::now();
    for seed in 0..episodes as u64 {
        let mut world = blocks.build(seed).expect("the blocks scene builds");
        if stack_all(&mut world) {
            succeeded += 1;
        }
        steps += world.steps();
        physics_s += world.physics_time().as_secs_f64();
    }
    let wall_s = t0.elapsed().as_secs_f64();
    let steps_per_s = steps as f64 / wall_s;
    SceneResult {
        scene: scene.name.to_string(),
        steps_per_s: Some(round_to(steps_per_s, 1)),
        rtf: Some(round_to(steps_per_s * crate::DEFAULT_DT_S as f64, 2)),
        timed_steps: Some(steps.min(u32::MAX as u64) as u32),
        episodes_per_s: Some(round_to(episodes as f64 / wall_s, 2)),
        physics_share: Some(round_to(physics_s / wall_s, 3)),
        episodes_succeeded: Some(format!("{succeeded}/{episodes}")),
        note: Some(format!(
            "{succeeded}/{episodes} stack-all episodes succeeded (blocks scene, {} gripper, seeds \
             0..{episodes}), {:.1} s simulated each, {:.1} episodes/s, {:.0}% of wall time in rapier's step",
            scene.gripper,
            steps as f64 * crate::DEFAULT_DT_S as f64 / episodes as f64,
            episodes as f64 / wall_s,
            100.0 * physics_s / wall_s
        )),
        ..SceneResult::default()
    }
}

/// Stacks every block on the first, by name order; whether the tower stands after.
fn stack_all(world: &mut World) -> bool {
    let names = world.object_names();
    for pair in names.windows(2) {
        let Ok(below) = world.object_position(&pair[0]) else {
            return false;
        };
        if world.pick(&pair[1]).is_err() || world.place(below.x, below.y, None).is_err() {
            return false;
        }
    }
    world.wait(0.5);
    names
        .windows(2)
        .all(|p| world.is_on(&p[1], &p[0]).unwrap_or(false))
}

/// Vertical field of view for a `width`×`height` image at peers.py's focal length, deg.
pub fn camera_fovy_deg(width_px: u32, height_px: u32) -> f32 {
    let focal_px = CAMERA_FOCAL_PX_AT_640 * width_px as f32 / 640.0;
    (2.0 * (height_px as f32 / 2.0 / focal_px).atan()).to_degrees()
}

/// The bench camera: above the middle of the table, looking straight down, +y up.
pub fn camera_spec(width_px: u32, height_px: u32) -> CameraSpec {
    let [x, y, _] = CAMERA_EYE_M;
    CameraSpec {
        eye_m: CAMERA_EYE_M,
        target_m: [x, y, 0.0],
        up: [0.0, 1.0, 0.0],
        width_px,
        height_px,
        fovy_deg: camera_fovy_deg(width_px, height_px),
    }
}

/// Times images of cubes10 as built (median of blocks, ms per RGB + depth + segmentation
/// image) on one thread, as the peers render; the note adds the figure on every core.
pub fn measure_camera(scene: &CameraScene, quick: bool) -> SceneResult {
    let (repeats, images) = if quick {
        (1, (scene.images_per_block / 10).max(1))
    } else {
        (REPEATS, scene.images_per_block)
    };
    let world = build_world(&SteppingScene {
        name: "cubes10",
        cubes: cubes10(),
        timed_steps: 0,
        arm: false,
    });
    let spec = camera_spec(scene.width_px, scene.height_px);
    let camera = RaycastCamera::new(spec).expect("the bench camera spec is valid");
    let ms_per_image = |camera: &RaycastCamera| {
        camera.render(&world); // warm-up: first touch of the buffers
        let blocks = (0..repeats)
            .map(|_| {
                let t0 = Instant::now();
                for _ in 0..images {
                    std::hint::black_box(camera.render(&world));
                }
                1000.0 * t0.elapsed().as_secs_f64() / images as f64
            })
            .collect();
        median(blocks)
    };
    let one_thread_ms = ms_per_image(&camera);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut note = "raycast, 1 thread".to_string();
    if cores > 1 {
        let all_cores_ms = ms_per_image(&camera.clone().with_threads(cores));
        note.push_str(&format!("; {cores} threads: {all_cores_ms:.2} ms"));
    }
    if quick {
        note.push_str(&format!("; quick: 1 block of {images} images"));
    }
    SceneResult {
        scene: scene.name.to_string(),
        cubes: world.objects().len(),
        ms_per_image: Some(round_to(one_thread_ms, 3)),
        note: Some(note),
        ..SceneResult::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rapier_version_matches_cargo_lock() {
        let lock = include_str!("../../Cargo.lock");
        let entry = format!("name = \"rapier3d\"\nversion = \"{RAPIER_VERSION}\"");
        assert!(
            lock.contains(&entry),
            "Cargo.lock has another rapier3d than {RAPIER_VERSION}"
        );
    }

    #[test]
    fn camera_field_of_view_is_the_same_at_every_size() {
        let small = camera_fovy_deg(160, 120);
        let large = camera_fovy_deg(640, 480);
        assert!((small - large).abs() < 1e-4);
        assert!((large - 56.1).abs() < 0.05, "{large}");
    }

    #[test]
    fn significant_digits_round_like_peers_py() {
        assert_eq!(significant(0.000_061_234, 3), 0.000_061_2);
        assert_eq!(significant(0.0, 3), 0.0);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
    }
}
