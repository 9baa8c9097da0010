# At --api low a program composes a pick and place from the building blocks.
# scene: demo
# args: --api low
# final: red block in green bowl
# final: holding nothing
block = get_obj_pos("red block")
move_to(block[:2])  # down onto its top
if grasp() != "red block":
    raise RuntimeError("missed the red block")
move_to([block[0], block[1], 0.15])
bowl = get_obj_pos("green bowl")
move_to([bowl[0], bowl[1], 0.15])
move_to(bowl[:2])  # down until the block touches the bowl's bottom
release()
go_home()
