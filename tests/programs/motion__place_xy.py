# place([x, y]) on the empty table sets the block down there.
# final: red block at 0.35 0.25 0.02 ±0.01
# final: holding nothing
pick('red block')
place([0.35, 0.25])
