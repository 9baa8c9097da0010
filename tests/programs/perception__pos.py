# get_obj_pos is the center: a block on the table has z = 0.02.
# output: red [0.45, 0.15, 0.02]
# output: bowl [0.62, -0.18, 0.02]
print('red', get_obj_pos('red block'))
print('bowl', get_obj_pos('blue bowl'))
