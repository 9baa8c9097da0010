# move_to with four numbers: a ValueError naming the parameter and the add fix.
# expect: error ValueError line 5
# message: move_to: 'pos' has 4 numbers, but a position is [x, y] or [x, y, z]
# message: use add(pos, [dx, dy])
move_to([0.5, 0.1, 0.2, 0.0])
