# grasp over a block returns its name and holds it.
# output: got red block
# final: holding red block
move_to(get_obj_pos('red block')[:2])
print('got', grasp())
move_to([0.45, 0.15, 0.2])
