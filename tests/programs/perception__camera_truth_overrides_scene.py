# --perception truth overrides the scene's `[perception] mode = "camera"`: the covered red
# block and the out-of-view green one are known again (visibility still asks the camera).
# scene: tests/data/scenes/stack_seen_from_above.toml
# args: --perception truth
# output: names ['blue block', 'green block', 'red block']
# output: red [0.5, 0.0, 0.02]
print('names', get_obj_names())
print('red', get_obj_pos('red block'))
