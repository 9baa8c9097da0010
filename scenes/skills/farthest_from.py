def farthest_from(names, point):
    """The name among `names` whose object is farthest from `point`, in the plane.

    names: object names, e.g. get_obj_names()
    point: a position [x, y] or [x, y, z], or an object's name
    Returns the farthest name; raises ValueError when `names` is empty.
    """
    if type(point) == str:
        point = get_obj_pos(point)
    if len(names) == 0:
        raise ValueError("farthest_from: no names to choose from")
    scored = [(dist(get_obj_pos(n)[:2], point[:2]), n) for n in names]
    return max(scored)[1]
