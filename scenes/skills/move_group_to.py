def move_group_to(names, center, spacing=0.08):
    """Moves the objects of `names` next to one another around `center`, on free spots.

    Spots are on a grid `spacing` apart, nearest to the center first, inside the table,
    and at least `spacing` from every object (so nothing is placed onto another).
    names: object names
    center: a position [x, y] (or [x, y, z]), or a location's or object's name
    spacing: meters between spots
    Returns the spots used, in the order of `names`.
    """
    if type(center) == str:
        if center in get_obj_names():
            center = get_obj_pos(center)
        else:
            center = get_location(center)
    (lo, hi) = table_bounds()
    others = [get_obj_pos(n) for n in get_obj_names()]
    spots = []
    r = 0
    while len(spots) < len(names) and r < 8:
        ring = []
        for i in range(-r, r + 1):
            for j in range(-r, r + 1):
                if max(abs(i), abs(j)) == r:
                    ring.append([center[0] + i * spacing, center[1] + j * spacing])
        ring = [p for (_, p) in sorted([(dist(p, center[:2]), p) for p in ring])]
        for p in ring:
            if len(spots) == len(names):
                break
            inside = lo[0] + 0.03 <= p[0] <= hi[0] - 0.03 and lo[1] + 0.03 <= p[1] <= hi[1] - 0.03
            clear = all([dist(p, o[:2]) >= spacing for o in others])
            apart = all([dist(p, s) >= spacing - 1e-6 for s in spots])
            if inside and clear and apart:
                spots.append(p)
        r += 1
    if len(spots) < len(names):
        raise ValueError(f"move_group_to: only {len(spots)} free spots near the center for {len(names)} objects")
    for k in range(len(names)):
        pick(names[k])
        place(spots[k])
    return spots
