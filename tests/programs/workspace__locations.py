# get_location for all nine names: table-surface points seen from the robot.
# output: top left corner [0.8, 0.3, 0.0]
# output: top right corner [0.8, -0.3, 0.0]
# output: bottom left corner [0.3, 0.3, 0.0]
# output: bottom right corner [0.3, -0.3, 0.0]
# output: middle [0.55, 0.0, 0.0]
# output: top side [0.8, 0.0, 0.0]
# output: bottom side [0.3, 0.0, 0.0]
# output: left side [0.55, 0.3, 0.0]
# output: right side [0.55, -0.3, 0.0]
names = ['top left corner', 'top right corner', 'bottom left corner', 'bottom right corner',
         'middle', 'top side', 'bottom side', 'left side', 'right side']
for name in names:
    print(name, get_location(name))
