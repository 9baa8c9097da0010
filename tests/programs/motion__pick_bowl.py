# Picking a bowl fails (the suction cup finds no top at its center) and says what was under it.
# expect: error RuntimeError line 6
# message: could not grasp the green bowl
# message: under the suction cup was
# final: holding nothing
pick('green bowl')
