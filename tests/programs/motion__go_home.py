# go_home returns the tool to where it started.
# final: ee at 0.45 0.0 0.35 ±0.005
move_to([0.6, -0.2, 0.15])
go_home()
