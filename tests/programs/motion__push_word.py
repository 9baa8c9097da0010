# push with a word: 'left' is +y; the block ends 10 cm further left.
# Regression guard, once: push moves the object about 2.3 cm less than the distance asked (the tool starts behind the object with a gap and travels only `distance`)
# final: red block at 0.45 0.25 0.02 ±0.01
# final: holding nothing
push('red block', 'left', 0.1)
