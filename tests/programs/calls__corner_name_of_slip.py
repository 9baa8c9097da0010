# get_corner_name gets the same slip message as the motion primitives.
# expect: error ValueError line 4
# message: get_corner_name: 'pos' has 5 numbers
print(get_corner_name(get_obj_pos('red block') + [0.1, 0]))
