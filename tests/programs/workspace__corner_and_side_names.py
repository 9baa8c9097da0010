# get_corner_name and get_side_name: the nearest named corner and side, as
# get_location knows them, for [x, y] and [x, y, z] positions.
# output: far left top left corner
# output: near right bottom right corner
# output: left side left side
# output: top side top side
# output: round trip True
print('far left', get_corner_name([0.75, 0.25]))
print('near right', get_corner_name([0.35, -0.2, 0.02]))
print('left side', get_side_name([0.5, 0.28]))
print('top side', get_side_name([0.78, 0.05, 0.0]))
names = ['top left corner', 'top right corner', 'bottom left corner', 'bottom right corner']
print('round trip', all(get_corner_name(get_location(n)) == n for n in names))
