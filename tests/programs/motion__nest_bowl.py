# A bowl put on another of the same size nests in it: its center over the other's, a nest
# step (2.5 cm) higher, level; the outer bowl stays on the table.
# scene: demo
# final: blue bowl in green bowl
# final: blue bowl on green bowl
# final: green bowl on table
# final: blue bowl at 0.62 0.20 0.045 ±0.01
# final: green bowl at 0.62 0.20 0.02 ±0.01
put_first_on_second('blue bowl', 'green bowl')
