# midpoint, add, sub, scale and mean, element by element.
# output: midpoint [0.5, 1.0, 1.5]
# output: add [2.0, 3.0, 4.0]
# output: sub [0.0, 1.0, 2.0]
# output: scale [2.0, 4.0, 6.0]
# output: mean [2.0, 2.0, 2.0]
print('midpoint', midpoint([0, 0, 0], [1, 2, 3]))
print('add', add([1, 2, 3], [1, 1, 1]))
print('sub', sub([1, 2, 3], [1, 1, 1]))
print('scale', scale([1, 2, 3], 2))
print('mean', mean([[0, 0, 0], [2, 2, 2], [4, 4, 4]]))
