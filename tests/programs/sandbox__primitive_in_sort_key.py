# Primitives cannot run inside sorted/min/max keys; the message shows what to write instead.
# expect: error NotImplementedError line 5
# message: compute the values first with a comprehension
blocks = [n for n in get_obj_names() if get_obj_kind(n) == 'block']
print(sorted(blocks, key=lambda n: get_obj_pos(n)[0]))
