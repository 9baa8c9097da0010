# move_to with a yaw reaches the point; the yaw turns the tool, not the target.
# output: close True
# final: ee at 0.5 0.0 0.2 ±0.005
move_to([0.5, 0.0, 0.2], yaw=0.5)
print('close', dist(get_ee_pos(), [0.5, 0.0, 0.2]) < 0.005)
