# grasp over the empty table returns None and holds nothing.
# output: got None False
# final: holding nothing
move_to([0.7, -0.02])
print('got', grasp(), is_holding())
