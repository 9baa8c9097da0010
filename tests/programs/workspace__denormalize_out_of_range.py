# denormalize_xy outside [0, 1] is a point off the table: a ValueError should say so.
# Regression guard, once: denormalize_xy([2, 0]) returns [0.3, -0.9, 0.0], off the table, without an error
# expect: error ValueError line 4
print(denormalize_xy([2, 0]))
