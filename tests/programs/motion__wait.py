# wait lets simulated time pass and nothing moves.
# sim-time: 2 ±0.01
# final: red block at 0.45 0.15 0.02 ±0.001
# final: ee at 0.45 0.0 0.35 ±0.002
wait(2)
