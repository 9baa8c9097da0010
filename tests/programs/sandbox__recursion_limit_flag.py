# --recursion-depth lowers the limit: 50 nested calls fail at depth 20.
# args: --recursion-depth 20
# expect: error RecursionError line 8
# output: depth 10 ok
def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)
print('depth 10 ok' if depth(10) == 10 else 'wrong')
depth(50)
