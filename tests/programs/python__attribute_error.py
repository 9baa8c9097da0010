# AttributeError from plain Python, naming the attribute.
# expect: error AttributeError line 5
# message: has no attribute 'foo'
x = get_obj_pos('red block')
x.foo()
