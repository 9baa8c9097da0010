# A target below the table is a safety stop that names the limit; the arm does not move.
# expect: error RuntimeError line 6
# message: below the table surface
# message: [0.500, 0.000, -0.100]
# final: ee at 0.45 0.0 0.35 ±0.005
move_to([0.5, 0.0, -0.1])
