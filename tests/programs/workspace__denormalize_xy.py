# denormalize_xy: u goes left (0) to right (1), v bottom (0) to top (1).
# output: bottom left [0.3, 0.3, 0.0]
# output: top right [0.8, -0.3, 0.0]
# output: center [0.55, 0.0, 0.0]
# output: matches middle True
print('bottom left', denormalize_xy([0, 0]))
print('top right', denormalize_xy([1, 1]))
print('center', denormalize_xy([0.5, 0.5]))
print('matches middle', denormalize_xy([0.5, 0.5]) == get_location('middle'))
