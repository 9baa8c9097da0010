//! Scene files: shipped scenes, seeded randomization, error messages, the JSON schema.

use std::collections::BTreeSet;
use wand_sim::SimError;
use wand_sim::objects::{Color, Kind, ObjectSpec};
use wand_sim::scene::{self, BowlColors, Scene};

/// Path of a test scene under tests/data/scenes (the workspace root's).
fn data(file: &str) -> String {
    format!("{}/../tests/data/scenes/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// The error message of loading (and, if that works, building) a test scene.
fn error_of(file: &str) -> String {
    let path = data(file);
    let result = Scene::load(&path).and_then(|scene| scene.build(0).map(|_| ()));
    match result {
        Ok(()) => panic!("{file} should fail to load or build"),
        Err(error) => error.to_string(),
    }
}

/// Asserts that `message` contains each of `parts`.
fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "expected {part:?} in:\n{message}");
    }
}

#[test]
fn shipped_scenes_load_and_build() {
    let shipped = scene::shipped();
    let names: Vec<&str> = shipped.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, ["tabletop", "blocks", "demo"]);
    for (name, description) in shipped {
        assert!(!description.is_empty(), "{name} has no description");
        let scene = Scene::load(name).unwrap();
        assert_eq!(scene.name, name);
        for seed in 0..5 {
            let world = scene.build(seed).unwrap();
            assert!(world.robot().is_some());
            assert_eq!(world.objects().len(), scene.layout(seed).unwrap().len());
        }
    }
}

#[test]
fn a_scene_file_loads_by_path_and_is_named_after_its_stem() {
    let path = format!("{}/../scenes/demo.toml", env!("CARGO_MANIFEST_DIR"));
    let scene = Scene::load(&path).unwrap();
    assert_eq!(scene.name, "demo");
    assert_eq!(
        scene,
        Scene::load("demo")
            .map(|s| Scene {
                source: path.clone(),
                ..s
            })
            .unwrap()
    );
}

#[test]
fn demo_is_the_same_for_every_seed() {
    let demo = Scene::load("demo").unwrap();
    let names: Vec<String> = demo
        .layout(0)
        .unwrap()
        .iter()
        .map(ObjectSpec::name)
        .collect();
    assert_eq!(
        names,
        [
            "red block",
            "green block",
            "blue block",
            "green bowl",
            "blue bowl"
        ]
    );
    assert_eq!(demo.layout(0).unwrap(), demo.layout(12345).unwrap());
}

#[test]
fn demo_objects_sit_apart_inside_the_placement_area() {
    let demo = Scene::load("demo").unwrap();
    assert_fits(&demo, 0, &demo.layout(0).unwrap());
}

#[test]
fn any_bowl_colors_may_outnumber_the_blocks() {
    let text = r#"
        description = "one block, three bowls of any color"
        [random]
        blocks = [1, 1]
        bowls = [3, 3]
        bowl_colors = "any"
    "#;
    let scene = Scene::parse(text, "inline.toml", "inline").unwrap();
    for seed in 0..50 {
        check_layout(&scene, seed);
    }
}

#[test]
fn same_seed_gives_the_same_objects_and_other_seeds_differ() {
    let tabletop = Scene::load("tabletop").unwrap();
    for seed in 0..20 {
        assert_eq!(
            tabletop.layout(seed).unwrap(),
            tabletop.layout(seed).unwrap()
        );
    }
    let layouts: BTreeSet<String> = (0..20)
        .map(|seed| format!("{:?}", tabletop.layout(seed).unwrap()))
        .collect();
    assert_eq!(
        layouts.len(),
        20,
        "20 seeds should give 20 different layouts"
    );
}

#[test]
fn the_same_seed_builds_the_same_world() {
    let tabletop = Scene::load("tabletop").unwrap();
    let poses = |seed| {
        let world = tabletop.build(seed).unwrap();
        world
            .objects()
            .iter()
            .map(|o| (o.name.clone(), format!("{:?}", world.body_pose(o.body))))
            .collect::<Vec<_>>()
    };
    assert_eq!(poses(3), poses(3));
    assert_ne!(poses(3), poses(4));
}

/// The invariants of a seeded layout, checked over many seeds.
fn check_layout(scene: &Scene, seed: u64) {
    let objects = scene.layout(seed).unwrap();
    let random = scene.random.as_ref().unwrap();
    let of = |kind| {
        objects
            .iter()
            .filter(|o| o.kind == kind)
            .collect::<Vec<_>>()
    };
    let (blocks, bowls) = (of(Kind::Block), of(Kind::Bowl));
    let count = blocks.len() as u32;
    assert!(
        (random.blocks.min..=random.blocks.max).contains(&count),
        "seed {seed}: {count} blocks"
    );
    let count = bowls.len() as u32;
    assert!(count <= random.bowls.max, "seed {seed}: {count} bowls");
    if random.bowl_colors == BowlColors::MatchBlocks {
        assert!(
            count >= random.bowls.min.min(blocks.len() as u32),
            "seed {seed}: {count} bowls"
        );
        for bowl in &bowls {
            assert!(
                blocks.iter().any(|b| b.color == bowl.color),
                "seed {seed}: {} has no block",
                bowl.name()
            );
        }
    } else {
        assert!(count >= random.bowls.min);
    }
    assert!(objects.iter().all(|o| random.colors.contains(&o.color)));
    assert_fits(scene, seed, &objects);
}

/// Every object lies inside the placement area, no two footprints overlap, no name repeats.
fn assert_fits(scene: &Scene, seed: u64, objects: &[ObjectSpec]) {
    let area = &scene.placement;
    let names: BTreeSet<String> = objects.iter().map(ObjectSpec::name).collect();
    assert_eq!(
        names.len(),
        objects.len(),
        "seed {seed}: repeated colors in {names:?}"
    );
    for (i, a) in objects.iter().enumerate() {
        let r = a.kind.footprint_radius_m();
        let (x, y) = (a.pos_m[0], a.pos_m[1]);
        let inset = r + area.margin_m - 1e-6;
        assert!(
            x - inset >= area.x_m.min
                && x + inset <= area.x_m.max
                && y - inset >= area.y_m.min
                && y + inset <= area.y_m.max,
            "seed {seed}: {} at [{x}, {y}] sticks out of the placement area",
            a.name()
        );
        for b in &objects[i + 1..] {
            let d = ((x - b.pos_m[0]).powi(2) + (y - b.pos_m[1]).powi(2)).sqrt();
            assert!(
                d >= r + b.kind.footprint_radius_m() + area.gap_m - 1e-6,
                "seed {seed}: {} and {} are closer than the gap ({d} m apart)",
                a.name(),
                b.name()
            );
        }
    }
}

#[test]
fn seeded_layouts_stay_in_the_area_without_overlap_over_200_seeds() {
    for name in ["tabletop", "blocks"] {
        let scene = Scene::load(name).unwrap();
        for seed in 0..200 {
            check_layout(&scene, seed);
        }
    }
}

#[test]
fn seeded_counts_cover_the_whole_range() {
    let tabletop = Scene::load("tabletop").unwrap();
    let counts: BTreeSet<(usize, usize)> = (0..200)
        .map(|seed| {
            let objects = tabletop.layout(seed).unwrap();
            let blocks = objects.iter().filter(|o| o.kind == Kind::Block).count();
            (blocks, objects.len() - blocks)
        })
        .collect();
    let blocks: BTreeSet<usize> = counts.iter().map(|c| c.0).collect();
    let bowls: BTreeSet<usize> = counts.iter().map(|c| c.1).collect();
    assert_eq!(blocks, BTreeSet::from([3, 4, 5]));
    assert_eq!(bowls, BTreeSet::from([2, 3, 4]));
}

#[test]
fn random_objects_keep_clear_of_fixed_ones_and_their_colors() {
    let text = r#"
        description = "a fixed red block among random ones"
        [[objects]]
        kind = "block"
        color = "red"
        pos_m = [0.5, 0.0]
        [random]
        blocks = [9, 9]
        bowl_colors = "any"
        bowls = [1, 1]
    "#;
    let scene = Scene::parse(text, "inline.toml", "inline").unwrap();
    for seed in 0..50 {
        let objects = scene.layout(seed).unwrap();
        assert_eq!(objects.len(), 11);
        let colors: BTreeSet<Color> = objects
            .iter()
            .filter(|o| o.kind == Kind::Block)
            .map(|o| o.color)
            .collect();
        assert_eq!(colors.len(), 10);
        for other in &objects[1..] {
            let d = ((other.pos_m[0] - 0.5).powi(2) + other.pos_m[1].powi(2)).sqrt();
            assert!(d >= Kind::Block.footprint_radius_m() + other.kind.footprint_radius_m());
        }
    }
}

#[test]
fn unknown_field_names_file_line_field_and_the_known_fields() {
    let message = error_of("unknown_field.toml");
    assert_mentions(
        &message,
        &[
            "unknown_field.toml:11:3: unknown field `colour` in objects[1]; expected one of kind, color, pos_m, yaw_rad",
        ],
    );
}

#[test]
fn wrong_type_names_the_field() {
    let message = error_of("wrong_type.toml");
    assert_mentions(
        &message,
        &[
            "wrong_type.toml:7:11: invalid type: string \"quarter turn\" in objects[0].yaw_rad; expected a number",
        ],
    );
}

#[test]
fn missing_field_names_the_table_it_is_missing_from() {
    let message = error_of("missing_field.toml");
    assert_mentions(
        &message,
        &[
            "missing_field.toml:3:1: ",
            "missing field `color` in objects[0]",
        ],
    );
}

#[test]
fn toml_syntax_error_names_the_line() {
    let message = error_of("syntax_error.toml");
    assert_mentions(&message, &["syntax_error.toml:3:"]);
    assert!(!message.contains('\n'), "one line: {message}");
}

#[test]
fn unknown_color_lists_the_ten_colors() {
    let message = error_of("unknown_color.toml");
    assert_mentions(
        &message,
        &[
            "unknown_color.toml:5:18: unknown variant `purpel` in random.colors[1]",
            "red, orange, yellow, green, blue, purple, pink, cyan, brown, gray",
        ],
    );
}

#[test]
fn unknown_robot_lists_the_known_robots() {
    let message = error_of("unknown_robot.toml");
    assert_mentions(
        &message,
        &["unknown_robot.toml:2:9: unknown variant `ur10` in robot; expected ur5e"],
    );
}

#[test]
fn too_many_objects_says_which_did_not_fit_and_the_area() {
    let message = error_of("too_many.toml");
    assert_mentions(
        &message,
        &[
            "too_many.toml",
            "could not place 9 objects",
            "x 0.40..0.60, y -0.10..0.10 m",
            "fewer objects",
        ],
    );
    assert!(matches!(
        Scene::load(&data("too_many.toml")).unwrap().build(0),
        Err(SimError::InvalidScene { .. })
    ));
}

#[test]
fn a_position_needs_two_or_three_numbers() {
    let message = error_of("bad_pos.toml");
    assert_mentions(
        &message,
        &[
            "bad_pos.toml:6:9: objects[0].pos_m: needs 2 or 3 numbers",
            "got 1",
        ],
    );
}

#[test]
fn a_reversed_count_range_is_rejected_where_it_is_written() {
    let message = error_of("reversed_range.toml");
    assert_mentions(
        &message,
        &["reversed_range.toml:4:10: random.blocks: the count range [5, 3] must be [min, max]"],
    );
}

#[test]
fn more_blocks_than_colors_is_rejected_at_load() {
    let message = error_of("few_colors.toml");
    assert_mentions(
        &message,
        &["few_colors.toml", "up to 5 blocks", "only 3 colors"],
    );
}

#[test]
fn a_missing_file_names_the_path() {
    let path = data("does_not_exist.toml");
    let message = Scene::load(&path).unwrap_err().to_string();
    assert_mentions(&message, &[&path, "cannot read scene file"]);
}

#[test]
fn an_unknown_scene_name_lists_the_shipped_scenes() {
    let message = Scene::load("tabletopp").unwrap_err().to_string();
    assert_mentions(
        &message,
        &["unknown scene 'tabletopp'", "tabletop, blocks, demo"],
    );
}

#[test]
fn the_committed_json_schema_is_current() {
    let path = format!("{}/../scenes/scene.schema.json", env!("CARGO_MANIFEST_DIR"));
    let fresh = scene::json_schema();
    if std::env::var_os("WAND_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "scenes/scene.schema.json is stale: the scene structs changed. Regenerate it with\n  WAND_BLESS=1 cargo test -p wand-sim --test scene the_committed_json_schema_is_current\nand commit it."
    );
}
