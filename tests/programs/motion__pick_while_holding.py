# pick while holding something else: RuntimeError, and the first object stays held.
# expect: error RuntimeError line 7
# message: already holding the red block
# message: blue block
# final: holding red block
pick('red block')
pick('blue block')
