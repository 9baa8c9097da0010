def closest_to(names, point):
    """The name among `names` whose object is closest (nearest) to `point`, in the plane.

    names: object names, e.g. get_obj_names()
    point: a position [x, y] or [x, y, z], or an object's name
    Returns the nearest name; raises ValueError when `names` is empty.
    """
    if type(point) == str:
        point = get_obj_pos(point)
    if len(names) == 0:
        raise ValueError("closest_to: no names to choose from")
    scored = [(dist(get_obj_pos(n)[:2], point[:2]), n) for n in names]
    return min(scored)[1]
