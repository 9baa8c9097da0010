# Endless recursion: RecursionError at the recursive line.
# expect: error RecursionError line 5
# message: maximum recursion depth exceeded
def f(n):
    return f(n + 1)
f(0)
