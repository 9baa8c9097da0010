# A seeded scene: every block whose color has a bowl goes into it.
# scene: tabletop
# seed: 2
# output: all in True
names = get_obj_names()
bowls = [n for n in names if get_obj_kind(n) == 'bowl']
for block in [n for n in names if get_obj_kind(n) == 'block']:
    bowl = get_obj_color(block) + ' bowl'
    if bowl in bowls:
        put_first_on_second(block, bowl)
inside = [dist(get_obj_pos(get_obj_color(b) + ' block')[:2], get_obj_pos(b)[:2]) < 0.05 for b in bowls]
print('all in', len(inside) > 0 and all(inside))
