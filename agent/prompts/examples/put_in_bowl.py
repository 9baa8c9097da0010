# instruction: put the red block in the green bowl
# scene: demo
put_first_on_second("red block", "green bowl")
say("The red block is in the green bowl.")
go_home()
