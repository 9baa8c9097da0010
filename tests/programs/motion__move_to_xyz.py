# move_to([x, y, z]) puts the tool tip there.
# output: close True
# final: ee at 0.5 0.1 0.2 ±0.005
move_to([0.5, 0.1, 0.2])
print('close', dist(get_ee_pos(), [0.5, 0.1, 0.2]) < 0.005)
