# An endless loop hits the wall-clock limit: TimeoutError without a line.
# args: --timeout-s 1
# expect: error TimeoutError line -
# message: limit of 1s
while True:
    pass
