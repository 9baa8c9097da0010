//! Parameters drawn from a scene for a seed: the task an episode of a family asks for.
//! Every choice comes from a ChaCha generator seeded by the episode seed and the
//! family's name, so the same (family, scene, seed) always gives the same task.

use super::family::Family;
use super::format::ParamType;
use super::state::SceneState;
use super::{ParamValue, TaskSpec};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use wand_sim::scene::PlacementArea;
use wand_sim::{Kind, Scene, World};

/// Why a family has no task for a seed's scene ("the scene has no bowl whose color no
/// block has"): the episode is skipped, and says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip(pub String);

/// Why an episode of a family on a scene has no task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoTask {
    /// The seed's scene lacks what the family needs: the episode is skipped.
    Skip(Skip),
    /// The scene does not load or build: an error.
    Scene(String),
}

/// Draws tried before a family whose check keeps answering `skip` is skipped for a seed.
const DRAW_TRIES: usize = 16;

impl Family {
    /// The scene `scene` built for `seed` and the task this family asks for on it — what
    /// an episode of the family starts from (`wand tasks verify`, `wand eval`).
    pub fn draw_on(&self, scene: &str, seed: u64) -> Result<(Scene, World, TaskSpec), NoTask> {
        let built = Scene::load(scene).and_then(|s| s.build(seed).map(|w| (s, w)));
        let (scene_file, world) =
            built.map_err(|e| NoTask::Scene(format!("scene {scene} does not build: {e}")))?;
        let task = self
            .draw(&world, &scene_file.placement, seed)
            .map_err(NoTask::Skip)?;
        Ok((scene_file, world, task))
    }

    /// The task this family asks for on `world` (the scene built for `seed`, placing
    /// objects on `area`), or why the scene cannot have one. A draw whose check answers
    /// `skip(...)` on the start state is drawn again, a few times.
    pub fn draw(&self, world: &World, area: &PlacementArea, seed: u64) -> Result<TaskSpec, Skip> {
        let start = SceneState::capture(world, area);
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ name_hash(self.name()));
        let mut why = String::new();
        for _ in 0..DRAW_TRIES {
            let task = self.draw_once(world, &mut rng)?;
            match self.check(&task).applies(&start) {
                Ok(()) => return Ok(task),
                Err(reason) => why = reason,
            }
            if self.file.params.is_empty() {
                break;
            }
        }
        Err(Skip(format!(
            "task '{}' does not apply to this scene: {why}",
            self.name()
        )))
    }

    fn draw_once(&self, world: &World, rng: &mut ChaCha8Rng) -> Result<TaskSpec, Skip> {
        let names = world.object_names();
        let of_kind = |kind: Kind| {
            names
                .iter()
                .filter(|n| matches!(world.object(n), Ok(o) if o.kind == kind))
                .count()
        };
        let requires = &self.file.requires;
        for (needed, have, what) in [
            (requires.blocks, of_kind(Kind::Block), "block"),
            (requires.bowls, of_kind(Kind::Bowl), "bowl"),
        ] {
            if have < needed {
                let plural = |n: usize| if n == 1 { "" } else { "s" };
                return Err(Skip(format!(
                    "task '{}' needs at least {needed} {what}{}; the scene has {have}",
                    self.name(),
                    plural(needed)
                )));
            }
        }
        let color = |name: &str| world.object(name).map(|o| o.color).ok();
        let has_kind_of_color = |kind: Kind, of: &str| {
            names.iter().any(|n| {
                matches!(world.object(n), Ok(o) if o.kind == kind) && color(n) == color(of)
            })
        };
        let mut params: BTreeMap<String, ParamValue> = BTreeMap::new();
        for (name, spec) in &self.file.params {
            let candidates: Vec<ParamValue> = self
                .values(name, Some(&names))
                .into_iter()
                .filter(|value| {
                    let differs = self.file.params.iter().all(|(other, other_spec)| {
                        let linked =
                            spec.distinct.contains(other) || other_spec.distinct.contains(name);
                        !linked || params.get(other) != Some(value)
                    });
                    let unmatched_ok = !spec.unmatched
                        || match (spec.kind, value.as_text()) {
                            (ParamType::Block, Some(n)) => !has_kind_of_color(Kind::Bowl, n),
                            (ParamType::Bowl, Some(n)) => !has_kind_of_color(Kind::Block, n),
                            _ => true,
                        };
                    differs && unmatched_ok
                })
                .collect();
            if candidates.is_empty() {
                let what = match (spec.kind, spec.unmatched) {
                    (ParamType::Block, true) => "block with no bowl of its color".to_string(),
                    (ParamType::Bowl, true) => "bowl whose color no block has".to_string(),
                    (kind, _) => format!("{kind:?}").to_lowercase(),
                };
                return Err(Skip(format!(
                    "task '{}' needs a {what} for '{name}' and the scene has none left",
                    self.name()
                )));
            }
            let pick = rng.random_range(0..candidates.len());
            params.insert(name.clone(), candidates[pick].clone());
        }
        Ok(TaskSpec {
            name: self.name().to_string(),
            params,
        })
    }
}

/// FNV-1a of the family's name: each family draws its own stream from one seed.
fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
