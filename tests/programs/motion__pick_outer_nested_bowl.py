# The outer of two nested bowls cannot be picked from above: the message says which bowl
# is in it and what to do.
# scene: demo
# expect: error RuntimeError line 7
# message: could not grasp the green bowl: under the suction cup was the blue bowl, which is nested in it; move the blue bowl off first
put_first_on_second('blue bowl', 'green bowl')
pick('green bowl')
