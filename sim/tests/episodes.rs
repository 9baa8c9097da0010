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
