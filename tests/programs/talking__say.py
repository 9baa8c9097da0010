# say lines are recorded in the result's said, in order, and not in the output.
# said: Starting.
# said: The red block is at x 0.45.
# no-output: Starting.
say('Starting.')
say(f"The red block is at x {get_obj_pos('red block')[0]}.")
