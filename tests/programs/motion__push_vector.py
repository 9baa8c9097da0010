# push with a vector: [1, 0] is away from the robot; the block ends 5 cm further.
# Regression guard, once: push moves the object about 2.3 cm less than the distance asked (the tool starts behind the object with a gap and travels only `distance`)
# final: blue block at 0.45 -0.12 0.02 ±0.01
push('blue block', [1, 0], 0.05)
