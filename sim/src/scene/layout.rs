//! Seeded randomization of a scene's objects: counts, colors, yaws, and placement
//! without overlap by rejection sampling.
//!
//! Every draw comes from one ChaCha8 stream seeded with the episode seed, in a fixed
//! order (block count, block colors, bowl count, bowl colors, places, yaws), so the same
//! scene and seed give the same objects on every machine.

use super::{BowlColors, RandomObjects, Scene};
use crate::error::SimError;
use crate::objects::{Color, Kind, ObjectSpec};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Samples tried for one object before the layout starts over.
const TRIES_PER_OBJECT: usize = 200;
/// Fresh starts before giving up: one unlucky early object can crowd out the rest.
const RESTARTS: usize = 50;

/// A disc on the table that another object's footprint must keep clear of.
#[derive(Debug, Clone, Copy)]
struct Footprint {
    x: f32,
    y: f32,
    radius_m: f32,
}

/// The scene's objects for `seed`: fixed ones, then random blocks, then random bowls.
pub(crate) fn objects(scene: &Scene, seed: u64) -> Result<Vec<ObjectSpec>, SimError> {
    let mut specs: Vec<ObjectSpec> = scene.objects.iter().map(|o| o.spec()).collect();
    let Some(random) = &scene.random else {
        return Ok(specs);
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let used = |specs: &[ObjectSpec], kind: Kind| -> Vec<Color> {
        specs
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.color)
            .collect()
    };

    let block_count = draw_count(&mut rng, random.blocks.min, random.blocks.max);
    let fixed_blocks = used(&specs, Kind::Block);
    let block_pool = without(&random.colors, &fixed_blocks);
    let block_colors = draw_colors(scene, &mut rng, block_pool, block_count, "random.blocks")?;

    let bowl_count = draw_count(&mut rng, random.bowls.min, random.bowls.max);
    let fixed_bowls = used(&specs, Kind::Bowl);
    let bowl_colors = match random.bowl_colors {
        BowlColors::MatchBlocks => {
            let mut blocks: Vec<Color> =
                fixed_blocks.iter().chain(&block_colors).copied().collect();
            blocks.sort();
            let pool = without(&blocks, &fixed_bowls);
            // Never more bowls than blocks to match: the scene stays solvable.
            let count = bowl_count.min(pool.len());
            draw_colors(scene, &mut rng, pool, count, "random.bowls")?
        }
        BowlColors::Any => draw_colors(
            scene,
            &mut rng,
            without(&random.colors, &fixed_bowls),
            bowl_count,
            "random.bowls",
        )?,
    };

    // Big footprints first: they are the hardest to fit once the area fills up.
    let to_place: Vec<(Kind, Color)> = bowl_colors
        .iter()
        .map(|c| (Kind::Bowl, *c))
        .chain(block_colors.iter().map(|c| (Kind::Block, *c)))
        .collect();
    let fixed: Vec<Footprint> = specs
        .iter()
        .map(|s| Footprint {
            x: s.pos_m[0],
            y: s.pos_m[1],
            radius_m: s.kind.footprint_radius_m(),
        })
        .collect();
    let places = place(scene, &mut rng, &fixed, &to_place)?;

    let mut placed: Vec<ObjectSpec> = to_place
        .iter()
        .zip(&places)
        .map(|(&(kind, color), p)| ObjectSpec {
            kind,
            color,
            pos_m: vec![p.x, p.y],
            yaw_rad: 0.0,
        })
        .collect();
    if random.random_block_yaw {
        // A cube looks the same every quarter turn, so ±45° covers every pose.
        let quarter = std::f32::consts::FRAC_PI_4;
        for spec in placed.iter_mut().filter(|s| s.kind == Kind::Block) {
            spec.yaw_rad = rng.random_range(-quarter..quarter);
        }
    }
    // Blocks before bowls in the world, as the scene file lists them.
    placed.sort_by_key(|s| s.kind == Kind::Bowl);
    specs.extend(placed);
    Ok(specs)
}

/// Checks at load time that the colors can cover the largest draw.
pub(crate) fn check_colors(scene: &Scene, random: &RandomObjects) -> Result<(), SimError> {
    if let Some((i, color)) = random
        .colors
        .iter()
        .enumerate()
        .find(|(i, c)| random.colors[..*i].contains(c))
    {
        return Err(scene.invalid(format!(
            "random.colors lists {} twice (again at index {i}); list each color once",
            color.name()
        )));
    }
    let fixed = |kind: Kind| -> Vec<Color> {
        scene
            .objects
            .iter()
            .filter(|o| o.kind == kind)
            .map(|o| o.color)
            .collect()
    };
    let blocks = without(&random.colors, &fixed(Kind::Block)).len();
    if random.blocks.max as usize > blocks {
        return Err(scene.invalid(format!(
            "random.blocks asks for up to {} blocks but only {blocks} colors are free for blocks (random.colors less the fixed blocks' colors); colors are distinct within a kind",
            random.blocks.max
        )));
    }
    let bowls = without(&random.colors, &fixed(Kind::Bowl)).len();
    if random.bowl_colors == BowlColors::Any && random.bowls.max as usize > bowls {
        return Err(scene.invalid(format!(
            "random.bowls asks for up to {} bowls but only {bowls} colors are free for bowls (random.colors less the fixed bowls' colors); colors are distinct within a kind",
            random.bowls.max
        )));
    }
    Ok(())
}

fn draw_count(rng: &mut ChaCha8Rng, min: u32, max: u32) -> usize {
    rng.random_range(min..=max) as usize
}

/// `colors` without those in `taken`, in the order given.
fn without(colors: &[Color], taken: &[Color]) -> Vec<Color> {
    colors
        .iter()
        .filter(|c| !taken.contains(c))
        .copied()
        .collect()
}

fn draw_colors(
    scene: &Scene,
    rng: &mut ChaCha8Rng,
    mut pool: Vec<Color>,
    count: usize,
    field: &str,
) -> Result<Vec<Color>, SimError> {
    if count > pool.len() {
        return Err(scene.invalid(format!(
            "{field}: {count} objects need {count} distinct colors, only {} are free",
            pool.len()
        )));
    }
    pool.shuffle(rng);
    pool.truncate(count);
    Ok(pool)
}

/// Places each object of `to_place` inside the placement area, clear of `fixed` and of
/// each other, by rejection sampling with restarts.
fn place(
    scene: &Scene,
    rng: &mut ChaCha8Rng,
    fixed: &[Footprint],
    to_place: &[(Kind, Color)],
) -> Result<Vec<Footprint>, SimError> {
    let area = &scene.placement;
    let describe_area = || {
        format!(
            "the placement area is x {:.2}..{:.2}, y {:.2}..{:.2} m ({:.2} × {:.2} m, objects keep {:.2} m apart and {:.2} m from its edge)",
            area.x_m.min,
            area.x_m.max,
            area.y_m.min,
            area.y_m.max,
            area.x_m.max - area.x_m.min,
            area.y_m.max - area.y_m.min,
            area.gap_m,
            area.margin_m
        )
    };
    let name = |(kind, color): (Kind, Color)| format!("{} {}", color.name(), kind.name());
    let mut stuck_on = None;
    for _ in 0..RESTARTS {
        let mut placed: Vec<Footprint> = Vec::with_capacity(to_place.len());
        for &object in to_place {
            let radius_m = object.0.footprint_radius_m();
            let inset = radius_m + area.margin_m;
            let (x_lo, x_hi) = (area.x_m.min + inset, area.x_m.max - inset);
            let (y_lo, y_hi) = (area.y_m.min + inset, area.y_m.max - inset);
            if x_lo > x_hi || y_lo > y_hi {
                return Err(scene.invalid(format!(
                    "the {} ({:.3} m across) does not fit in the placement area at all: {}",
                    name(object),
                    2.0 * radius_m,
                    describe_area()
                )));
            }
            let found = (0..TRIES_PER_OBJECT).find_map(|_| {
                let candidate = Footprint {
                    x: rng.random_range(x_lo..=x_hi),
                    y: rng.random_range(y_lo..=y_hi),
                    radius_m,
                };
                let clear = fixed
                    .iter()
                    .chain(&placed)
                    .all(|other| apart(&candidate, other, area.gap_m));
                clear.then_some(candidate)
            });
            match found {
                Some(footprint) => placed.push(footprint),
                None => {
                    stuck_on = Some(object);
                    break;
                }
            }
        }
        if placed.len() == to_place.len() {
            return Ok(placed);
        }
    }
    let object = stuck_on.expect("a failed layout records what did not fit");
    let bowls = to_place
        .iter()
        .filter(|(kind, _)| *kind == Kind::Bowl)
        .count();
    Err(scene.invalid(format!(
        "could not place {} objects ({} blocks, {bowls} bowls, clear of {} fixed ones) without overlap: the {} ({:.3} m across) found no free spot in {RESTARTS} layouts started afresh; {}; ask for fewer objects (random.blocks, random.bowls) or a larger placement area",
        to_place.len(),
        to_place.len() - bowls,
        fixed.len(),
        name(object),
        2.0 * object.0.footprint_radius_m(),
        describe_area()
    )))
}

/// Whether two footprints keep at least `gap_m` between their edges.
fn apart(a: &Footprint, b: &Footprint, gap_m: f32) -> bool {
    let (dx, dy) = (a.x - b.x, a.y - b.y);
    let min = a.radius_m + b.radius_m + gap_m;
    dx * dx + dy * dy >= min * min
}
