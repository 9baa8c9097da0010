def points_on_line(a, b, n):
    """`n` points evenly spaced on the segment from `a` to `b`, both ends included.

    a, b: positions [x, y] (or [x, y, z]: the height is dropped)
    n: how many points (1 gives the midpoint)
    Returns a list of [x, y].
    """
    if n < 1:
        raise ValueError("points_on_line: n must be at least 1")
    if n == 1:
        return [[(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]]
    out = []
    for k in range(n):
        t = k / (n - 1)
        out.append([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])])
    return out
