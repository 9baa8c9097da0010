# ZeroDivisionError at its line; the lines before ran.
# expect: error ZeroDivisionError line 6
# output: x is 0
x = 0
print('x is', x)
print(5 / x)
