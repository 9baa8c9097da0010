# At --api low the composed skills are not in the interpreter's table: a clear NameError.
# args: --api low
# expect: error NameError line 5
# message: pick() is not offered at --api low: compose it from the building blocks (get_ee_pos, move_to, go_home, grasp, release
pick("red block")
