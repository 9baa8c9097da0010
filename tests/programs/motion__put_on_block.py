# put_first_on_second onto another block stacks it.
# final: blue block on green block
# final: holding nothing
put_first_on_second('blue block', 'green block')
