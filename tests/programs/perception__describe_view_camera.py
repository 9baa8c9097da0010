# describe_view with camera perception: the hidden red block is not listed, and the blue
# block's estimated position is near its truth (0.5, 0, 0.06).
# scene: tests/data/scenes/stack_seen_from_above.toml
# output: ['blue block']
# output: near True
view = describe_view()
print([v['name'] for v in view])
print('near', dist(view[0]['pos'], [0.5, 0.0, 0.06]) < 0.015)
