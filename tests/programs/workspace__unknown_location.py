# An unknown location is a ValueError listing the nine names.
# expect: error ValueError line 5
# message: unknown location 'center'
# message: top left corner, top right corner, bottom left corner, bottom right corner, middle, top side, bottom side, left side, right side
get_location('center')
