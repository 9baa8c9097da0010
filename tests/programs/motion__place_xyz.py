# place([x, y, z]) with z the surface height: a corner of the table.
# final: red block at 0.7 0.25 0.02 ±0.01
pick('red block')
place([0.7, 0.25, 0.0])
