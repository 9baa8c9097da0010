# The shared predicates of every task check: the one definition of "on", "inside",
# "near", "in a line", ... in wand. A check reads plain data — `start` and `final`, each
#   {"objects": {name: {"kind", "color", "pos": [x, y, z], "yaw", "bbox": [[..], [..]],
#                       "on": "table" | name | None, "inside": bowl | None, "held": bool}},
#    "held": name | None, "area": [[xmin, ymin], [xmax, ymax]], "locations": {name: [x, y]}}
# — and returns goal conditions made by these functions: cond(holds, reason). What an
# object rests on or is inside comes from the simulation (World::is_on, is_inside).
# Lengths in meters; "top" is far from the robot (+x), "left" is the robot's left (+y).
import math


def cond(holds, reason):
    return {"holds": bool(holds), "reason": reason}


def lookup(table, name, what):
    # table[name], or a ValueError that lists the known names.
    if name not in table:
        known = ", ".join(sorted(table.keys()))
        raise ValueError(f"unknown {what} '{name}'; known {what}s: {known}")
    return table[name]


def obj(state, name):
    return lookup(state["objects"], name, "object")


def names(state, kind):
    return sorted([n for n in state["objects"].keys() if state["objects"][n]["kind"] == kind])


def blocks(state):
    return names(state, "block")


def bowls(state):
    return names(state, "bowl")


def xy(state, name):
    p = obj(state, name)["pos"]
    return [p[0], p[1]]


def dist_xy(p, q):
    return math.sqrt((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2)


def fmt_xy(p):
    return f"[{p[0]:.2f}, {p[1]:.2f}]"


def location_xy(state, name):
    return lookup(state["locations"], name, "location")


def point_of(state, target):
    # An object's center or a named place's point, [x, y].
    if target in state["objects"]:
        return xy(state, target)
    return location_xy(state, target)


def direction_vector(direction):
    vectors = {"left": [0.0, 1.0], "right": [0.0, -1.0], "top": [1.0, 0.0], "bottom": [-1.0, 0.0]}
    if direction not in vectors:
        raise ValueError(f"unknown direction '{direction}'; directions: left, right, top, bottom")
    return vectors[direction]


def the(name):
    # "the table" for the table; object names read as they are.
    if name == "table":
        return "the table"
    return name


def held_reason(state, name):
    return f"{name} is still held by the robot; place it and let go"


def containers(state, a):
    # The bowls a is inside, innermost first: the bowl it lies in ("inside"), the bowl that
    # one is nested in, and so on.
    chain = []
    current = obj(state, a)["inside"]
    for _ in range(len(state["objects"])):
        if current is None or current in chain:
            return chain
        chain.append(current)
        current = obj(state, current)["inside"]
    return chain


def inside(state, a, bowl):
    # a is inside the bowl (the simulation's is_inside: center within the bowl, bottom below
    # its rim), directly or in a bowl nested in it: a block in the inner of two nested bowls
    # is inside both.
    o = obj(state, a)
    gap = dist_xy(xy(state, a), xy(state, bowl))
    if o["held"]:
        return cond(False, held_reason(state, a))
    chain = containers(state, a)
    if len(chain) > 0 and chain[0] == bowl:
        return cond(True, f"{a} is inside {bowl} ({gap:.2f} m from its center)")
    if bowl in chain:
        return cond(True, f"{a} is inside {bowl}: it lies in {chain[0]}, which is nested in {bowl}")
    if len(chain) > 0:
        return cond(False, f"{a} is inside {chain[0]}, not {bowl} ({gap:.2f} m from {bowl}'s center)")
    rim = obj(state, bowl)["bbox"][1][2]
    if gap < 0.065:
        bottom = o["bbox"][0][2]
        return cond(False, f"{a} is over {bowl} but not inside it: its bottom is at z = {bottom:.2f} m, above the rim at z = {rim:.2f} m")
    return cond(False, f"{a} is not inside {bowl}: {gap:.2f} m from its center")


def on(state, a, b):
    # a rests on b: "table", a block (its bottom on b's top, its center over b), or a bowl
    # (inside it, directly or nested: see inside).
    if b != "table" and obj(state, b)["kind"] == "bowl":
        return inside(state, a, b)
    o = obj(state, a)
    if o["held"]:
        return cond(False, held_reason(state, a))
    if o["on"] == b:
        return cond(True, f"{a} is on {the(b)}")
    under = o["on"]
    where = "nothing (it is not resting)" if under is None else the(under)
    if b == "table":
        return cond(False, f"{a} is not on the table: it rests on {where}")
    gap = dist_xy(xy(state, a), xy(state, b))
    step = o["bbox"][0][2] - obj(state, b)["bbox"][1][2]
    return cond(False, f"{a} is not on {b}: it rests on {where}, {gap:.2f} m from {b} horizontally, its bottom {step:.2f} m from {b}'s top")


def on_table(state, a):
    return on(state, a, "table")


def near(state, a, point, tol_m, what):
    # a's center is within tol_m of point ([x, y]) horizontally; `what` names the point.
    o = obj(state, a)
    if o["held"]:
        return cond(False, held_reason(state, a))
    gap = dist_xy(xy(state, a), point)
    if gap <= tol_m:
        return cond(True, f"{a} is at {what}: {gap:.2f} m from {fmt_xy(point)}")
    return cond(False, f"{a} is not at {what}: {gap:.2f} m from {fmt_xy(point)} (it is at {fmt_xy(xy(state, a))}; within {tol_m:.2f} m counts)")


def at_location(state, a, place, tol_m):
    return near(state, a, location_xy(state, place), tol_m, f"the {place}")


def not_moved(start, final, a, tol_m):
    if obj(final, a)["held"]:
        return cond(False, held_reason(final, a))
    gap = dist_xy(xy(start, a), xy(final, a))
    if gap <= tol_m:
        return cond(True, f"{a} stayed where it was ({gap:.2f} m from its start)")
    return cond(False, f"{a} should not have moved: it is {gap:.2f} m from where it started")


def offset_along(start, final, a, direction):
    # How far a moved along the direction, and across it (m).
    d = direction_vector(direction)
    p = xy(start, a)
    q = xy(final, a)
    dx = q[0] - p[0]
    dy = q[1] - p[1]
    return [dx * d[0] + dy * d[1], abs(-dx * d[1] + dy * d[0])]


def moved_by(start, final, a, direction, distance_m, tol_m):
    o = obj(final, a)
    if o["held"]:
        return cond(False, held_reason(final, a))
    along, across = offset_along(start, final, a, direction)
    if abs(along - distance_m) <= tol_m and across <= tol_m:
        return cond(True, f"{a} moved {along:.2f} m to the {direction} ({across:.2f} m off the line)")
    return cond(False, f"{a} moved {along:.2f} m to the {direction} and {across:.2f} m across; it should move {distance_m:.2f} m to the {direction} (within {tol_m:.2f} m)")


def side_of(state, a, anchor, direction):
    # How far a is from anchor toward the direction (m; negative: the other way).
    d = direction_vector(direction)
    p = xy(state, a)
    q = xy(state, anchor)
    return (p[0] - q[0]) * d[0] + (p[1] - q[1]) * d[1]


def nearest_toward(state, candidates, anchor, direction):
    # Of candidates, the one on the anchor's `direction` side nearest to it (None if none).
    best = None
    best_gap = 0.0
    for n in candidates:
        if n == anchor or side_of(state, n, anchor, direction) <= 0.0:
            continue
        gap = dist_xy(xy(state, n), xy(state, anchor))
        if best is None or gap < best_gap:
            best = n
            best_gap = gap
    return best


def ranked_from(state, candidates, side):
    # Candidates ordered from the named side (left, right, top, bottom) inward.
    d = direction_vector(side)
    keyed = sorted([(-(xy(state, n)[0] * d[0] + xy(state, n)[1] * d[1]), n) for n in candidates])
    return [n for _, n in keyed]


def extreme_to(state, candidates, target, which):
    # The candidate closest to (or farthest from) the target's center.
    keyed = sorted([(dist_xy(xy(state, n), point_of(state, target)), n) for n in candidates if n != target])
    if len(keyed) == 0:
        return None
    if which == "farthest":
        return keyed[-1][1]
    return keyed[0][1]


def tower(state, a):
    # The blocks from a down to the table, [a, under a, ..., bottom], or None if the chain
    # does not reach the table.
    chain = [a]
    current = a
    for _ in range(len(state["objects"])):
        under = obj(state, current)["on"]
        if under == "table":
            return chain
        if under is None or obj(state, under)["kind"] != "block" or under in chain:
            return None
        chain.append(under)
        current = under
    return None


def stacked(state, order):
    # The blocks form one tower in this order: order[0] on the table, each next on the one before.
    conditions = [on(state, order[0], "table")]
    for i in range(1, len(order)):
        conditions.append(on(state, order[i], order[i - 1]))
    return conditions


def in_line(state, members, tol_m, min_gap_m, axis):
    # The members' centers lie on one straight line (each within tol_m of it), at least
    # min_gap_m apart, on the table; `axis` "any", "horizontal" (left-right, along y),
    # "vertical" (near-far, along x) or "diagonal", within 15 degrees.
    pts = [xy(state, n) for n in members]
    count = len(pts)
    if count < 2:
        return cond(False, f"a line needs at least 2 objects, there are {count}")
    mx = sum([p[0] for p in pts]) / count
    my = sum([p[1] for p in pts]) / count
    sxx = sum([(p[0] - mx) ** 2 for p in pts])
    syy = sum([(p[1] - my) ** 2 for p in pts])
    sxy = sum([(p[0] - mx) * (p[1] - my) for p in pts])
    angle = 0.5 * math.atan2(2.0 * sxy, sxx - syy)
    ux = math.cos(angle)
    uy = math.sin(angle)
    worst = max([abs(-(p[0] - mx) * uy + (p[1] - my) * ux) for p in pts])
    along = sorted([(p[0] - mx) * ux + (p[1] - my) * uy for p in pts])
    gaps = [along[i + 1] - along[i] for i in range(count - 1)]
    closest = min(gaps)
    # angle is in [-90, 90] degrees: 0 = along x (near-far), 90 = along y (left-right)
    degrees = abs(math.degrees(angle))
    wanted = {"vertical": 0.0, "horizontal": 90.0, "diagonal": 45.0}
    listed = ", ".join(members)
    if worst > tol_m:
        return cond(False, f"{listed} are not in a line: one is {worst:.2f} m off the best line (within {tol_m:.2f} m counts)")
    if closest < min_gap_m:
        return cond(False, f"{listed} are in a line but two are only {closest:.2f} m apart (at least {min_gap_m:.2f} m)")
    if axis != "any":
        if axis not in wanted:
            raise ValueError(f"unknown axis '{axis}'; axes: any, horizontal, vertical, diagonal")
        off = abs(degrees - wanted[axis])
        if off > 15.0:
            return cond(False, f"{listed} are in a line, but it is {off:.0f} degrees from {axis} (within 15 counts)")
    return cond(True, f"{listed} are in a line ({worst:.2f} m from straight, {closest:.2f} m apart at the closest)")


def on_circle(state, members, center, tol_m, min_radius_m):
    # The members' centers are at one distance from center ([x, y]), within tol_m of the
    # mean radius, which is at least min_radius_m, and spread around it.
    radii = [dist_xy(xy(state, n), center) for n in members]
    count = len(radii)
    mean = sum(radii) / count
    spread = max([abs(r - mean) for r in radii])
    listed = ", ".join(members)
    if mean < min_radius_m:
        return cond(False, f"{listed} are too close to {fmt_xy(center)} for a circle around it: {mean:.2f} m on average (at least {min_radius_m:.2f} m)")
    if spread > tol_m:
        return cond(False, f"{listed} are not on a circle around {fmt_xy(center)}: their distances differ by up to {spread:.2f} m from {mean:.2f} m (within {tol_m:.2f} m counts)")
    angles = sorted([math.atan2(xy(state, n)[1] - center[1], xy(state, n)[0] - center[0]) for n in members])
    widest = 2.0 * math.pi - (angles[-1] - angles[0])
    for i in range(count - 1):
        widest = max(widest, angles[i + 1] - angles[i])
    if count >= 3 and widest > math.pi:
        return cond(False, f"{listed} are on one side of {fmt_xy(center)}, not around it (an empty arc of {math.degrees(widest):.0f} degrees)")
    return cond(True, f"{listed} are on a circle of radius {mean:.2f} m around {fmt_xy(center)} (within {spread:.2f} m)")


def triangle(state, members, min_side_m):
    # Three objects at the corners of a triangle: every side at least min_side_m and not
    # in a line (each corner at least min_side_m / 2 from the line through the other two).
    if len(members) != 3:
        return cond(False, f"a triangle needs 3 objects, there are {len(members)}")
    pts = [xy(state, n) for n in members]
    listed = ", ".join(members)
    sides = [dist_xy(pts[0], pts[1]), dist_xy(pts[1], pts[2]), dist_xy(pts[2], pts[0])]
    if min(sides) < min_side_m:
        return cond(False, f"{listed} are too close for a triangle: the shortest side is {min(sides):.2f} m (at least {min_side_m:.2f} m)")
    area2 = abs((pts[1][0] - pts[0][0]) * (pts[2][1] - pts[0][1]) - (pts[2][0] - pts[0][0]) * (pts[1][1] - pts[0][1]))
    height = area2 / max(sides)
    if height < min_side_m / 2.0:
        return cond(False, f"{listed} are nearly in a line, not a triangle: {height:.2f} m from straight")
    return cond(True, f"{listed} form a triangle with sides {sides[0]:.2f}, {sides[1]:.2f} and {sides[2]:.2f} m")


def skip(reason):
    # The task does not apply to this scene (e.g. no block lies left of the anchor): a seed
    # that draws it is skipped, and an instruction that asks for it cannot be judged.
    return {"skip": reason}
