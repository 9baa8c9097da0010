# A seeded scene: stack every block on the first one; the program checks the tower.
# scene: blocks
# seed: 3
# output: tower ok True
blocks = get_obj_names()
base = blocks[0]
top = base
for b in blocks[1:]:
    put_first_on_second(b, top)
    top = b
base_pos = get_obj_pos(base)
ok = all(dist(get_obj_pos(b)[:2], base_pos[:2]) < 0.03 for b in blocks)
ok = ok and abs(get_obj_pos(top)[2] - (0.02 + 0.04 * (len(blocks) - 1))) < 0.015
print('tower ok', ok)
