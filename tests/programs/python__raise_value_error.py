# A program's own raise reaches the result with its message and line.
# expect: error ValueError line 6
# message: no green bowl
bowls = [n for n in get_obj_names() if get_obj_kind(n) == 'bowl']
if 'yellow bowl' not in bowls:
    raise ValueError('no green bowl? ' + str(bowls))
