# dist in 3-D, and 2-D when either point is [x, y].
# output: 3d 5.0
# output: 2d 5.0
print('3d', dist([0, 0, 0], [3, 4, 0]))
print('2d', dist([0, 0], [3, 4, 12]))
