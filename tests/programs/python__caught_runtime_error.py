# A caught RuntimeError from a motion lets the program recover and finish the task.
# output: recovered: out of reach
# final: red block in green bowl
try:
    move_to([0.95, 0.55, 0.1])
except RuntimeError as e:
    print('recovered:', 'out of reach' if 'out of reach' in str(e) else str(e))
put_first_on_second('red block', 'green bowl')
