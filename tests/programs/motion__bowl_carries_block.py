# A block in a bowl stays in it while the bowl is carried to another spot.
# final: red block in green bowl
# final: green bowl at 0.45 0.3 ±0.015
# final: green bowl on table
# final: red block at 0.45 0.3 ±0.03
put_first_on_second('red block', 'green bowl')
put_first_on_second('green bowl', [0.45, 0.3])
