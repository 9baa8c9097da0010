# describe_view lists what the camera sees, sorted by name, as dicts; with truth perception
# 'pos' is the truth.
# output: 5 ['blue block', 'blue bowl', 'green block', 'green bowl', 'red block']
# output: red block block red [0.45, 0.15, 0.02] True True
view = describe_view()
print(len(view), [v['name'] for v in view])
red = view[-1]
x0, y0, x1, y1 = red['box_px']
print(red['name'], red['kind'], red['color'], red['pos'], red['pixels'] > 100, x0 < x1 and y0 < y1)
