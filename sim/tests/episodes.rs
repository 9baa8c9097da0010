//! Whole episodes written in Rust against the sim: stack every block; put each block in
//! the bowl of its color. They must succeed on every seed tried.

use wand_sim::{Kind, Scene, World};

fn names(world: &World, kind: Kind) -> Vec<String> {
    world
        .objects()
        .iter()
        .filter(|o| o.kind == kind)
        .map(|o| o.name.clone())
        .collect()
}

/// Stacks every block of the `blocks` scene on the first; returns whether the tower stands.
fn stack_all(seed: u64) -> Result<bool, String> {
    let mut world = Scene::load("blocks").unwrap().build(seed).unwrap();
    let blocks = names(&world, Kind::Block);
    for pair in blocks.windows(2) {
        let below = world.object_position(&pair[0]).map_err(|e| e.to_string())?;
        world
            .pick(&pair[1])
            .map_err(|e| format!("seed {seed}: pick {}: {e}", pair[1]))?;
        world
            .place(below.x, below.y, None)
            .map_err(|e| format!("seed {seed}: place {}: {e}", pair[1]))?;
    }
    world.wait(1.0);
    Ok(blocks
        .windows(2)
        .all(|p| world.is_on(&p[1], &p[0]).unwrap()))
}

/// Puts each block of the `tabletop` scene with a same-colored bowl into that bowl.
fn blocks_in_matching_bowls(seed: u64) -> Result<bool, String> {
    let mut world = Scene::load("tabletop").unwrap().build(seed).unwrap();
    let pairs: Vec<(String, String)> = names(&world, Kind::Block)
        .into_iter()
        .filter_map(|block| {
            let bowl = block.replace(" block", " bowl");
            world.object_index(&bowl).ok().map(|_| (block, bowl))
        })
        .collect();
    assert!(
        !pairs.is_empty(),
        "seed {seed}: no block has a matching bowl"
    );
    for (block, bowl) in &pairs {
        let target = world.object_position(bowl).unwrap();
        world
            .pick(block)
            .map_err(|e| format!("seed {seed}: pick {block}: {e}"))?;
        world
            .place(target.x, target.y, None)
            .map_err(|e| format!("seed {seed}: place {block}: {e}"))?;
    }
    world.wait(1.0);
    Ok(pairs
        .iter()
        .all(|(block, bowl)| world.is_inside(block, bowl).unwrap()))
}

fn count_successes(
    episode: fn(u64) -> Result<bool, String>,
    seeds: std::ops::Range<u64>,
) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut ok = 0;
    for seed in seeds {
        match episode(seed) {
            Ok(true) => ok += 1,
            Ok(false) => failures.push(format!("seed {seed}: the check failed")),
            Err(e) => failures.push(e),
        }
    }
    (ok, failures)
}

#[test]
fn stacking_every_block_succeeds_on_ten_seeds() {
    let (ok, failures) = count_successes(stack_all, 0..10);
    assert_eq!(ok, 10, "{failures:#?}");
}

#[test]
fn blocks_go_into_matching_bowls_on_ten_seeds() {
    let (ok, failures) = count_successes(blocks_in_matching_bowls, 0..10);
    assert_eq!(ok, 10, "{failures:#?}");
}

/// The free table point of the placement area farthest from every object but `except`.
fn free_spot(world: &World, except: &str) -> (f32, f32) {
    let centers: Vec<_> = world
        .objects()
        .iter()
        .filter(|o| o.name != except)
        .map(|o| world.object_position(&o.name).unwrap())
        .collect();
    let clearance = |x: f32, y: f32| {
        centers
            .iter()
            .map(|c| (c.x - x).hypot(c.y - y))
            .fold(f32::INFINITY, f32::min)
    };
    let mut best = (0.5, 0.0, 0.0);
    for i in 0..=8 {
        for j in 0..=10 {
            let (x, y) = (0.35 + 0.05 * i as f32, -0.25 + 0.05 * j as f32);
            let c = clearance(x, y);
            if c > best.2 {
                best = (x, y, c);
            }
        }
    }
    (best.0, best.1)
}

/// Puts a block in its matching bowl, then picks that bowl up by the rim and sets it
/// down at the freest spot: the bowl lands there, on the table, the block still in it.
fn bowl_carries_its_block(seed: u64) -> Result<bool, String> {
    let mut world = Scene::load("tabletop").unwrap().build(seed).unwrap();
    let block = names(&world, Kind::Block)
        .into_iter()
        .find(|b| world.object_index(&b.replace(" block", " bowl")).is_ok())
        .ok_or(format!("seed {seed}: no block with a matching bowl"))?;
    let bowl = block.replace(" block", " bowl");
    let at = world.object_position(&bowl).unwrap();
    world
        .pick(&block)
        .map_err(|e| format!("seed {seed}: pick {block}: {e}"))?;
    world
        .place(at.x, at.y, None)
        .map_err(|e| format!("seed {seed}: place {block}: {e}"))?;
    let (x, y) = free_spot(&world, &bowl);
    world
        .pick(&bowl)
        .map_err(|e| format!("seed {seed}: pick {bowl}: {e}"))?;
    if world.held() != Some(bowl.as_str()) {
        return Err(format!("seed {seed}: the {bowl} is not held after pick"));
    }
    world
        .place(x, y, None)
        .map_err(|e| format!("seed {seed}: place {bowl}: {e}"))?;
    world.wait(1.0);
    let landed = world.object_position(&bowl).unwrap();
    let off_m = (landed.x - x).hypot(landed.y - y);
    if off_m > 0.02 {
        return Err(format!(
            "seed {seed}: the {bowl} landed {off_m:.3} m from ({x}, {y})"
        ));
    }
    Ok(world.is_on(&bowl, "table").unwrap() && world.is_inside(&block, &bowl).unwrap())
}

#[test]
fn a_bowl_picked_by_its_rim_carries_the_block_inside_on_ten_seeds() {
    let (ok, failures) = count_successes(bowl_carries_its_block, 0..10);
    assert_eq!(ok, 10, "{failures:#?}");
}
