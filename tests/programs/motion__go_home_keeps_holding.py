# go_home with a block in the tool keeps holding it.
# final: holding green block
# final: ee at 0.45 0.0 0.35 ±0.01
pick('green block')
go_home()
