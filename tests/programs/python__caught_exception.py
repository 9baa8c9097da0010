# A caught primitive error lets the program go on.
# output: caught: unknown object 'nope'
# output: after
try:
    get_obj_pos('nope')
except ValueError as e:
    print('caught:', e)
print('after')
