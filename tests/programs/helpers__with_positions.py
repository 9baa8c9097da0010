# The helpers on object positions: the middle of two blocks, and an offset above one.
# output: mid [0.425, 0.015, 0.02]
# output: above [0.45, 0.15, 0.12]
print('mid', [round(c, 4) for c in midpoint(get_obj_pos('red block'), get_obj_pos('blue block'))])
print('above', [round(c, 4) for c in add(get_obj_pos('red block'), [0, 0, 0.1])])
