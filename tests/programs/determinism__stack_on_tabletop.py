# A seeded scene: stack the first block on the second; also run three more times by the
# harness's determinism test (seed 5 twice must match, seed 6 must differ).
# scene: tabletop
# seed: 5
# output: stacked True
blocks = [n for n in get_obj_names() if get_obj_kind(n) == 'block']
put_first_on_second(blocks[0], blocks[1])
a, b = get_obj_pos(blocks[0]), get_obj_pos(blocks[1])
print('stacked', dist(a[:2], b[:2]) < 0.025 and abs(a[2] - b[2] - 0.04) < 0.01)
