# pick lifts the block 8 cm off the table and holds it.
# output: lifted True
# final: holding blue block
pick('blue block')
print('lifted', get_obj_pos('blue block')[2] > 0.08)
