# put_first_on_second with the same object twice is a ValueError.
# expect: error ValueError line 4
# message: cannot put the red block on itself
put_first_on_second('red block', 'red block')
