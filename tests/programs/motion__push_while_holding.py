# push with a full hand: RuntimeError naming what is held; nothing moved.
# expect: error RuntimeError line 7
# message: push needs an empty hand
# message: red block
# final: blue block at 0.4 -0.12 0.02 ±0.002
pick('red block')
push('blue block', 'left', 0.1)
