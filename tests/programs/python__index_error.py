# IndexError from plain Python, at its line.
# expect: error IndexError line 5
# message: list index out of range
p = get_obj_pos('red block')
print(p[3])
