# Pick the first block (by name) and put it down at the named place farthest from
# everything else on the table.
block = [n for n in get_obj_names() if get_obj_kind(n) == "block"][0]
others = [get_obj_pos(n) for n in get_obj_names() if n != block]
places = ["middle", "top left corner", "top right corner", "bottom left corner",
          "bottom right corner", "top side", "bottom side", "left side", "right side"]


def clearance(place_name):
    spot = get_location(place_name)
    return min([dist(spot, other) for other in others])


room, best = max([(clearance(p), p) for p in places])
pick(block)
place(get_location(best))
say(f"the {block} is at the {best}, {room:.2f} m from anything else")
go_home()
