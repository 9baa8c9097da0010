# An uncaught exception inside nested functions reports the innermost line, with a traceback through the callers.
# expect: error ZeroDivisionError line 10
# message: division by zero
# traceback: line 12
# traceback: line 8
# output: ok 1.0
def outer(n):
    return inner(n)
def inner(n):
    return 1 / n
print('ok', outer(1))
outer(0)
