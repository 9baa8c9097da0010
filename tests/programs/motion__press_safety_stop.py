# Driving the tool into a block is a safety stop that names the force limit and the object.
# expect: error RuntimeError line 6
# message: safety stop
# message: red block
# message: limit 30 N
move_to([0.45, 0.15, 0.01])
