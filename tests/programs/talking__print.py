# print output is captured, with print's separators and end.
# output: a 1 [2, 3]
# output: x-y;
print('a', 1, [2, 3])
print('x', 'y', sep='-', end=';')
