# move_to where the tool already is, at another yaw, turns it there (a straight line that
# only turns is many small steps, not one jump the IK refuses as out of reach).
# final: ee at 0.45 0.25 0.2 ±0.002
# final: holding green bowl
pick('green bowl')
move_to([0.45, 0.25, 0.2])
move_to([0.45, 0.25, 0.2], 0.2)
move_to([0.45, 0.25, 0.2], 1.0)
move_to([0.45, 0.25, 0.2], -0.5)
