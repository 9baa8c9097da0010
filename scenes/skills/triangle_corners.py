def triangle_corners(center, radius, yaw=0.0):
    """The three corners of an equilateral triangle around `center`.

    center: a position [x, y] (or [x, y, z]), or an object's or location's name
    radius: meters from the center to each corner
    yaw: radians; at 0 one corner points away from the robot (+x)
    Returns a list of three [x, y].
    """
    import math

    if type(center) == str:
        if center in get_obj_names():
            center = get_obj_pos(center)
        else:
            center = get_location(center)
    out = []
    for k in range(3):
        a = yaw + 2.0 * math.pi * k / 3
        out.append([center[0] + radius * math.cos(a), center[1] + radius * math.sin(a)])
    return out
