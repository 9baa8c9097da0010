# place(get_location(...)) works: the location's z = 0 is the table surface.
# final: red block at 0.8 0.3 0.02 ±0.015
pick('red block')
place(get_location('top left corner'))
