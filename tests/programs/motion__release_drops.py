# release drops the held object: it falls to the table where the tool was.
# output: holding after release: False
# final: red block at 0.38 0.25 0.02 ±0.01
# final: holding nothing
pick('red block')
move_to([0.38, 0.25, 0.12])
release()
wait(0.5)
print('holding after release:', is_holding())
