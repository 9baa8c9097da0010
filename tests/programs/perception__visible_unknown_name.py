# is_obj_visible of a name not in the scene is False (Code as Policies' programs test
# `if is_obj_visible('purple bowl')` before acting); the other primitives still raise.
# expect: error ValueError line 8
# output: purple bowl False
# output: red block True
print('purple bowl', is_obj_visible('purple bowl'))
print('red block', is_obj_visible('red block'))
get_obj_pos('purple bowl')
