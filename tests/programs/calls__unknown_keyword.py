# An unknown keyword: TypeError naming it and showing the signature.
# expect: error TypeError line 5
# message: unexpected keyword argument 'speed'
# message: move_to(pos, yaw=None)
move_to([0.5, 0.0, 0.2], speed=2)
