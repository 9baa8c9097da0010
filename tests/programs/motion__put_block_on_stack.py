# Three blocks stacked with put_first_on_second.
# final: blue block on green block
# final: red block on blue block
put_first_on_second('blue block', 'green block')
put_first_on_second('red block', 'blue block')
