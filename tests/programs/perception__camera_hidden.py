# Camera perception: the red block is under the blue one (the camera looks straight down)
# and the green one is out of view, so neither is visible and asking where the red block
# is raises a ValueError that names it; the success of is_obj_visible does not depend on it.
# scene: tests/data/scenes/stack_seen_from_above.toml
# expect: error ValueError line 12
# output: names ['blue block']
# output: visible False False True
# message: the red block is not visible from the camera
# message: The camera sees: blue block
print('names', get_obj_names())
print('visible', is_obj_visible('red block'), is_obj_visible('green block'), is_obj_visible('blue block'))
get_obj_pos('red block')
