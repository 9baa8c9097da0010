# The fingers hold a bowl by its wall, tipped along it: moved about with move_to the tool
# stays tipped, so the bowl keeps level (its box stays 4 cm tall) and lands where placed.
# args: --gripper parallel
# output: height 0.04
# final: green bowl at 0.45 0.3 ±0.01
# final: holding nothing
pick('green bowl')
move_to([0.5, 0.1, 0.25])
move_to([0.45, 0.25, 0.2])
(lo, hi) = get_obj_bbox('green bowl')
print('height', round(hi[2] - lo[2], 2))
place([0.45, 0.3])
