# mean of no points: a ValueError that says the list is empty.
# Regression guard, once: mean([]) raises TypeError "mean: 'points' must be a list of points ([x, y] or [x, y, z] lists), not list []", which does not say the list must not be empty
# expect: error ValueError line 5
# message: empty
mean([])
