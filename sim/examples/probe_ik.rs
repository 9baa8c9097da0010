use nalgebra::Vector3;
use wand_sim::{arm::ArmSpec, kinematics::*};
fn main() {
    let arm = ArmSpec::ur5e();
    let p = tool_pose(&arm, &arm.home_rad);
    println!("home tool {:?} z-axis {:?}", p.translation.vector, p.rotation * Vector3::z());
    for f in link_frames(&arm, &arm.home_rad) { println!("  link {:?}", f.translation.vector); }
    let t = tool_target(Vector3::new(0.45, 0.0, 0.35), 0.0);
    let q = solve_ik(&arm, &t, &arm.home_rad);
    println!("ik home target {:?}", q);
    let mut seed = arm.home_rad.clone();
    for x in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8] {
        let mut row = String::new();
        for y in [-0.4, -0.3, -0.2, 0.0, 0.2, 0.3, 0.4] {
            let ok = solve_ik_near(&arm, &tool_target(Vector3::new(x, y, 0.02), 0.0), &seed);
            row += if ok.is_some() { "#" } else { "." };
            if let Some(q) = ok { seed = q; }
        }
        println!("x {x}: {row}");
    }
}
