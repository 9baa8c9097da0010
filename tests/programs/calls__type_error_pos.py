# A string where a position goes: TypeError naming the parameter and the shape.
# expect: error TypeError line 4
# message: move_to: 'pos' must be a list [x, y] or [x, y, z]
move_to('home')
