# An unknown object name is a ValueError that lists the known names.
# expect: error ValueError line 5
# message: purple block
# message: blue block, blue bowl, green block, green bowl, red block
get_obj_pos('purple block')
