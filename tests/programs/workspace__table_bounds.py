# table_bounds is [[xmin, ymin], [xmax, ymax]] of the work area.
# output: rounded [[0.3, -0.3], [0.8, 0.3]]
(xmin, ymin), (xmax, ymax) = table_bounds()
print('rounded', [[round(xmin, 3), round(ymin, 3)], [round(xmax, 3), round(ymax, 3)]])
