# put_first_on_second at a position [x, y].
# final: blue block at 0.35 -0.25 0.02 ±0.01
put_first_on_second('blue block', [0.35, -0.25])
