def stack(names):
    """Stacks the objects of `names` into one tower, in order: the first stays at the bottom.

    names: object names (blocks), bottom first
    Returns the name on top.
    """
    if len(names) == 0:
        raise ValueError("stack: no names given")
    for i in range(1, len(names)):
        put_first_on_second(names[i], names[i - 1])
    return names[len(names) - 1]
