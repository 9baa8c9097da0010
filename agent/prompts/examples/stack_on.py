# instruction: stack the blue block on top of the red block
# scene: demo
put_first_on_second("blue block", "red block")
say("The blue block is on the red block.")
go_home()
