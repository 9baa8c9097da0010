# add and sub take a flat offset [dx, dy] of a 3-D point: the height stays.
# output: moved [0.45, 0.05, 0.02]
# output: back [0.4, 0.15, 0.02]
# final: red block at 0.45 0.05 0.02 ±0.01
pos = get_obj_pos('red block')
target = add(pos, [0, -0.1])
print('moved', [round(c, 4) for c in target])
print('back', [round(c, 4) for c in sub(pos, [0.05, 0])])
put_first_on_second('red block', target[:2])
