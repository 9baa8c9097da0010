# move_to([x, y]) comes down onto the block's top (z 0.04), not into it.
# output: on top True
# final: ee at 0.45 0.15 0.04 ±0.008
# final: red block at 0.45 0.15 0.02 ±0.003
move_to(get_obj_pos('red block')[:2])
print('on top', abs(get_ee_pos()[2] - 0.04) < 0.008)
