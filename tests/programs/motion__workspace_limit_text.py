# The workspace limits in the message are written with enough digits (no "-0.00").
# Regression guard, once: the z range reads "z -0.00..0.90 m" (a negative zero) in the workspace message
# expect: error RuntimeError line 6
# message: outside the workspace (y above 0.60 m)
# message: z -0.005..0.90 m
move_to([0.5, 0.7, 0.2])
