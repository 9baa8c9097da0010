# An uncaught error stops the program there: later lines do not run, earlier output is kept.
# expect: error ValueError line 7
# output: first
# no-output: second
# final: holding nothing
print('first')
get_obj_color('purple bowl')
print('second')
pick('red block')
