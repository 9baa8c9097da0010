# pick of a block with another on top: the failed grasp says what was under the tool.
# expect: error RuntimeError line 8
# message: could not grasp the green block
# message: blue block
# final: holding nothing
# final: blue block on green block
put_first_on_second('blue block', 'green block')
pick('green block')
