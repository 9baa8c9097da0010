use wand_sim::{arm::ArmSpec, world::*};
fn main() {
    for g in [0.0f32, -9.81] {
        let mut w = World::new(WorldConfig { gravity_z: g, ..Default::default() });
        w.add_robot(ArmSpec::ur5e());
        w.wait(2.0);
        let q = w.joint_angles();
        let t = w.robot().unwrap().target_rad().to_vec();
        println!("g {g}: err {:?}", q.iter().zip(&t).map(|(a,b)| a-b).collect::<Vec<_>>());
    }
}
