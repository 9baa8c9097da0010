# instruction: move the block closest to the middle to the top left corner
# scene: demo
middle = get_location("middle")
blocks = [n for n in get_obj_names() if get_obj_kind(n) == "block"]
# Primitives cannot run inside a min key: compute the distances first.
closest = min([(dist(get_obj_pos(n), middle), n) for n in blocks])[1]
pick(closest)
place(get_location("top left corner"))
say(f"Moved the {closest} to the top left corner.")
go_home()
