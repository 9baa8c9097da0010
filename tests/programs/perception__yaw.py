# get_obj_yaw: the demo's green block is turned 0.3 rad, the red one is not.
# output: green 0.3
# output: red 0.0
print('green', round(get_obj_yaw('green block'), 3))
print('red', round(get_obj_yaw('red block'), 3))
