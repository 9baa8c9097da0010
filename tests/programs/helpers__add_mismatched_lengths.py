# add of a 2-D and a 3-D point is a mistake: it should be a ValueError, not a silent cut.
# Regression guard, once: add([1, 2], [1, 2, 3]) returns [2.0, 4.0] without an error
# expect: error ValueError line 4
print(add([1, 2], [1, 2, 3]))
