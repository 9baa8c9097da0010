def sort_along(names, axis="y", descending=False):
    """The objects of `names` sorted along an axis of the table.

    names: object names
    axis: "x" (away from the robot) or "y" (toward the robot's left)
    descending: largest coordinate first (on "y": left to right)
    Returns the names in order.
    """
    if axis not in ["x", "y"]:
        raise ValueError(f"sort_along: axis must be 'x' or 'y', not {axis!r}")
    i = 0 if axis == "x" else 1
    keyed = sorted([(get_obj_pos(n)[i], n) for n in names])
    if descending:
        keyed = keyed[::-1]
    return [n for (_, n) in keyed]
