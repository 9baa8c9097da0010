# A bowl carries the block inside it into another bowl: the block still lies in the
# carried bowl, which is nested in the other.
# scene: demo
# final: red block in blue bowl
# final: blue bowl in green bowl
# final: red block at 0.62 0.20 ±0.03
# final: blue bowl at 0.62 0.20 0.045 ±0.01
put_first_on_second('red block', 'blue bowl')
put_first_on_second('blue bowl', 'green bowl')
