# Camera perception on the demo: every block is seen, and its estimated center is within
# 1.5 cm of where the demo puts it; a name not in the scene is not visible (False), and
# the other primitives still raise for it, listing the scene's names.
# args: --perception camera
# expect: error ValueError line 14
# output: names ['blue block', 'blue bowl', 'green block', 'green bowl', 'red block']
# output: close True True True
# output: purple bowl False
# message: unknown object 'purple bowl'
truth = {'red block': [0.45, 0.15, 0.02], 'green block': [0.55, 0.0, 0.02], 'blue block': [0.40, -0.12, 0.02]}
print('names', get_obj_names())
print('close', *[dist(get_obj_pos(n), p) < 0.015 for n, p in truth.items()])
print('purple bowl', is_obj_visible('purple bowl'))
get_obj_pos('purple bowl')
