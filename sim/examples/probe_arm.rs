use wand_sim::{arm::ArmSpec, robot::MotionOptions, world::*, Color, Kind, ObjectSpec};
fn main() {
    let mut w = World::new(WorldConfig::default());
    w.add_robot(ArmSpec::ur5e());
    w.add_object(&ObjectSpec { kind: Kind::Block, color: Color::Red, pos_m: vec![0.5, 0.1], yaw_rad: 0.3 }).unwrap();
    w.add_object(&ObjectSpec { kind: Kind::Bowl, color: Color::Blue, pos_m: vec![0.4, -0.15], yaw_rad: 0.0 }).unwrap();
    let t = std::time::Instant::now();
    w.wait(1.0);
    println!("after 1s: q {:?}\n target {:?}\n tool {:?}", w.joint_angles(), w.robot().unwrap().target_rad(), w.tool_position());
    let o = MotionOptions::default();
    println!("{:?}", w.move_tool([0.5, 0.1, 0.1], 0.3, false, &o));
    println!("{:?} tool {:?}", w.move_tool([0.5, 0.1, 0.045], 0.3, true, &o), w.tool_position());
    println!("suction {:?}", w.suction_on());
    println!("{:?}", w.move_tool([0.5, 0.1, 0.2], 0.3, true, &o));
    println!("{:?}", w.move_tool([0.4, -0.15, 0.2], 0.0, false, &o));
    println!("{:?}", w.move_tool([0.4, -0.15, 0.08], 0.0, true, &o));
    println!("release {:?}", w.suction_off());
    w.wait(1.0);
    let b = w.objects()[0].body; println!("block at {:?}", w.body_pose(b).translation);
    println!("{:?}", w.move_tool([0.6, 0.0, -0.05], 0.0, true, &o));
    println!("{:?}", w.move_tool([0.6, 0.0, 0.0], 0.0, true, &o));
    println!("{:?}", w.move_tool([1.5, 0.0, 0.3], 0.0, true, &o));
    println!("time {} steps {} wall {:?}", w.time_s(), w.steps(), t.elapsed());
}
