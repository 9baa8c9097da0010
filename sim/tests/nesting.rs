//! Bowls nest: one set into another of the same size sits in it, a nest step higher,
//! and stays there; a nested bowl and what lies in it count as inside the outer one.

use wand_sim::objects::bowl_nest_step_m;
use wand_sim::{Kind, Scene, World};

fn names(world: &World, kind: Kind) -> Vec<String> {
    world
        .objects()
        .iter()
        .filter(|o| o.kind == kind)
        .map(|o| o.name.clone())
        .collect()
}

/// The pose (bottom center) of a bowl.
fn bottom(world: &World, bowl: &str) -> wand_sim::Vec3 {
    world.object_pose(bowl).unwrap().translation
}

/// Nests every bowl of the `tabletop` scene's seed into the one before it; checks the
/// final poses: each bowl's center over the one below within 1 cm, a nest step higher
/// within 1 cm, level, and still there after another second.
fn nest_all(seed: u64) -> Result<(), String> {
    let mut world = Scene::load("tabletop").unwrap().build(seed).unwrap();
    let bowls = names(&world, Kind::Bowl);
    for pair in bowls.windows(2) {
        let below = world.object_position(&pair[0]).unwrap();
        world
            .pick(&pair[1])
            .map_err(|e| format!("seed {seed}: pick {}: {e}", pair[1]))?;
        world
            .place(below.x, below.y, None)
            .map_err(|e| format!("seed {seed}: place {}: {e}", pair[1]))?;
    }
    world.wait(1.0);
    let settled: Vec<_> = bowls.iter().map(|b| bottom(&world, b)).collect();
    world.wait(1.0);
    let step = bowl_nest_step_m();
    for (i, pair) in bowls.windows(2).enumerate() {
        let (outer, inner) = (bottom(&world, &pair[0]), bottom(&world, &pair[1]));
        let off_m = (inner - outer).truncate().length();
        let rise_m = inner.z - outer.z;
        if off_m > 0.01 || (rise_m - step).abs() > 0.01 {
            return Err(format!(
                "seed {seed}: the {} sits {off_m:.3} m off the {}'s center and {rise_m:.3} m \
                 above it (a nest step is {step:.3} m)",
                pair[1], pair[0]
            ));
        }
        let tilt = (world.object_pose(&pair[1]).unwrap().rotation * wand_sim::Vec3::Z).z;
        if tilt < 0.995 {
            return Err(format!(
                "seed {seed}: the {} tilts (up·z = {tilt:.4})",
                pair[1]
            ));
        }
        if !world.is_inside(&pair[1], &pair[0]).unwrap()
            || world.is_inside(&pair[0], &pair[1]).unwrap()
        {
            return Err(format!(
                "seed {seed}: the {} is not (only) inside the {}",
                pair[1], pair[0]
            ));
        }
        if world.container(&pair[1]).unwrap().as_deref() != Some(pair[0].as_str()) {
            return Err(format!(
                "seed {seed}: the {} does not lie directly in the {}",
                pair[1], pair[0]
            ));
        }
        let moved_m = (bottom(&world, &pair[1]) - settled[i + 1]).length();
        if moved_m > 0.002 {
            return Err(format!(
                "seed {seed}: the {} still moves ({moved_m:.4} m in 1 s)",
                pair[1]
            ));
        }
    }
    if !world.is_on(&bowls[0], "table").unwrap() {
        return Err(format!("seed {seed}: the {} left the table", bowls[0]));
    }
    // Inside is transitive: the top bowl is inside the bottom one too.
    if !world.is_inside(bowls.last().unwrap(), &bowls[0]).unwrap() {
        return Err(format!(
            "seed {seed}: the top bowl is not inside the bottom one"
        ));
    }
    Ok(())
}

#[test]
fn bowls_nest_in_each_other_and_stay_on_six_seeds() {
    let failures: Vec<String> = (0..6).filter_map(|seed| nest_all(seed).err()).collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A block is put in a bowl, and that bowl (carrying it) is nested into another: the
/// block stays in the carried bowl, which lies in the other, and the block counts as
/// inside both. The outer bowl then cannot be picked from above, and the message says why.
fn block_rides_into_the_nest(seed: u64) -> Result<(), String> {
    let mut world = Scene::load("tabletop").unwrap().build(seed).unwrap();
    let bowls = names(&world, Kind::Bowl);
    let block = names(&world, Kind::Block)[0].clone();
    let (outer, inner) = (&bowls[0], &bowls[1]);
    let at = world.object_position(inner).unwrap();
    world
        .pick(&block)
        .map_err(|e| format!("seed {seed}: pick {block}: {e}"))?;
    world
        .place(at.x, at.y, None)
        .map_err(|e| format!("seed {seed}: place {block}: {e}"))?;
    let target = world.object_position(outer).unwrap();
    world
        .pick(inner)
        .map_err(|e| format!("seed {seed}: pick {inner}: {e}"))?;
    world
        .place(target.x, target.y, None)
        .map_err(|e| format!("seed {seed}: place {inner}: {e}"))?;
    world.wait(1.0);
    let inner_at = bottom(&world, inner);
    let block_at = world.object_position(&block).unwrap();
    let off_m = (block_at - inner_at).truncate().length();
    if off_m > 0.04 {
        return Err(format!(
            "seed {seed}: the {block} is {off_m:.3} m from the {inner}'s center"
        ));
    }
    let checks = [
        (
            world.container(&block).unwrap().as_deref() == Some(inner.as_str()),
            "lies in the inner bowl",
        ),
        (
            world.is_inside(&block, inner).unwrap(),
            "is inside the inner bowl",
        ),
        (
            world.is_inside(&block, outer).unwrap(),
            "is inside the outer bowl",
        ),
        (
            world.is_inside(inner, outer).unwrap(),
            "(the inner bowl) is inside the outer",
        ),
    ];
    for (holds, what) in checks {
        if !holds {
            return Err(format!("seed {seed}: the {block} {what}: not so"));
        }
    }
    // The outer bowl cannot be picked with a bowl nested in it: the message says why.
    let err = world.pick(outer).unwrap_err().to_string();
    if !err.contains(&format!("the {inner}, which is nested in it")) {
        return Err(format!("seed {seed}: picking the outer bowl said: {err}"));
    }
    Ok(())
}

#[test]
fn a_block_in_a_bowl_rides_into_the_nest_on_four_seeds() {
    let failures: Vec<String> = (0..4)
        .filter_map(|seed| block_rides_into_the_nest(seed).err())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}
