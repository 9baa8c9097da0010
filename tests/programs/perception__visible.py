# is_obj_visible: everything in the demo is in the camera's view when the arm is home.
# output: [True, True, True, True, True]
print([is_obj_visible(n) for n in get_obj_names()])
