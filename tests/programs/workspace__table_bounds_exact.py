# table_bounds prints as the same short decimals as every other position.
# Regression guard, once: table_bounds() returns f32 values widened to f64 ([[0.30000001192092896, -0.30000001192092896], ...]) while positions are rounded to 0.1 mm
# output: [[0.3, -0.3], [0.8, 0.3]]
print(table_bounds())
