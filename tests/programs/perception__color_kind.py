# get_obj_color and get_obj_kind for a block and a bowl.
# output: red block -> red block
# output: blue bowl -> blue bowl
for name in ['red block', 'blue bowl']:
    print(name, '->', get_obj_color(name), get_obj_kind(name))
