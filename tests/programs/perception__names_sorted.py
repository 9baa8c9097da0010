# get_obj_names lists the movable objects, sorted.
# output: ['blue block', 'blue bowl', 'green block', 'green bowl', 'red block']
print(get_obj_names())
