def circle_points(center, radius, n, start_angle=0.0):
    """`n` points evenly spaced on a circle around `center`.

    center: a position [x, y] (or [x, y, z]), or an object's or location's name
    radius: meters
    n: how many points
    start_angle: radians of the first point, counterclockwise from +x
    Returns a list of [x, y].
    """
    import math

    if type(center) == str:
        if center in get_obj_names():
            center = get_obj_pos(center)
        else:
            center = get_location(center)
    out = []
    for k in range(n):
        a = start_angle + 2.0 * math.pi * k / n
        out.append([center[0] + radius * math.cos(a), center[1] + radius * math.sin(a)])
    return out
