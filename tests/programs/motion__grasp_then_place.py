# grasp, then place: the two halves of a pick-and-place by hand.
# final: red block at 0.35 0.25 0.02 ±0.01
# final: holding nothing
move_to(get_obj_pos('red block')[:2])
if grasp() != 'red block':
    raise RuntimeError('grasp missed')
move_to([0.45, 0.15, 0.15])
place([0.35, 0.25])
