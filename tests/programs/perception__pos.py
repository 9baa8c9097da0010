# get_obj_pos is the center: a block on the table has z = 0.02, a bowl (4 cm tall, its
# walls leaning out so bowls nest) 0.0204.
# output: red [0.45, 0.15, 0.02]
# output: bowl [0.62, -0.18, 0.0204]
print('red', get_obj_pos('red block'))
print('bowl', get_obj_pos('blue bowl'))
