# A target past the side of the workspace names the limit.
# expect: error RuntimeError line 5
# message: outside the workspace (y above 0.60 m)
# message: y -0.60..0.60
move_to([0.5, 0.7, 0.2])
