# An endless loop of waits uses up the simulated-time budget at the wait's line.
# args: --sim-time-s 5
# expect: error TimeoutError line 7
# message: simulated time budget of 5 s
# sim-time: 5 ±0.1
while True:
    wait(1)
