# place([x, y]) over a block stacks onto it.
# final: red block on green block
pick('red block')
place(get_obj_pos('green block')[:2])
