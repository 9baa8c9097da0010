# A SyntaxError reports its line and what the parser expected; nothing runs.
# expect: error SyntaxError line 6
# message: Expected `:`
# no-output: started
print('started')
if True
    print('x')
