# The matching-bowls task: each block into the bowl of its color.
# final: green block in green bowl
# final: blue block in blue bowl
# final: red block at 0.45 0.15 0.02 ±0.002
for block in ['green block', 'blue block']:
    bowl = get_obj_color(block) + ' bowl'
    put_first_on_second(block, bowl)
