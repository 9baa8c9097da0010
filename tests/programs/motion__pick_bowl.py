# A bowl is picked by its rim (its middle is hollow) and set down where asked: its
# center lands on the spot.
# final: green bowl at 0.45 0.3 ±0.015
# output: holding True
# final: holding nothing
pick('green bowl')
print('holding', is_holding('green bowl'))
place([0.45, 0.3])
