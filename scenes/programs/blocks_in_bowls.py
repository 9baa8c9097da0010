# Put each block into the bowl of the same color, where there is one.
names = get_obj_names()
for block in [n for n in names if get_obj_kind(n) == "block"]:
    bowl = f"{get_obj_color(block)} bowl"
    if bowl in names:
        put_first_on_second(block, bowl)
        say(f"the {block} is in the {bowl}")
go_home()
