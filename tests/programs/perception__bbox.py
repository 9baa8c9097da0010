# get_obj_bbox is [[xmin, ymin, zmin], [xmax, ymax, zmax]]: a 4 cm block, a 13 cm bowl.
# output: block [[0.43, 0.13, 0.0], [0.47, 0.17, 0.04]]
# output: bowl width 0.13
lo, hi = get_obj_bbox('red block')
print('block', [lo, hi])
lo, hi = get_obj_bbox('green bowl')
print('bowl width', round(hi[0] - lo[0], 3))
