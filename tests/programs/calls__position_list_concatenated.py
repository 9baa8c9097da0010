# The common slip: get_obj_pos(n) + [dx, dy] joins the lists into 5 numbers. The
# position primitives name the slip and say to use add.
# expect: error ValueError line 7
# message: put_first_on_second: 'target' has 5 numbers, but a position is [x, y] or [x, y, z]
# message: get_obj_pos(n) + [dx, dy] joins the two lists
# message: use add(pos, [dx, dy])
put_first_on_second('red block', get_obj_pos('red block') + [0.1, 0])
