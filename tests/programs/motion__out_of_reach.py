# A target inside the workspace but past the arm's reach: RuntimeError saying where and the reach.
# expect: error RuntimeError line 7
# message: out of reach
# message: [0.950, 0.550, 0.100]
# message: the arm reaches 0.917 m
# final: ee at 0.45 0.0 0.35 ±0.005
move_to([0.95, 0.55, 0.1])
