# What the sandbox runs: closures, lambdas, comprehensions, f-strings, dataclass, math, json, collections.
# output: sorted by x ['blue block', 'red block', 'green block']
# output: closure 7
# output: f-string 0.450
# output: dataclass Target(name='red block', z=0.02)
# output: math 4.0
# output: json {"a": [1, 2]}
# output: counter 3
import math, json
from collections import Counter
from dataclasses import dataclass
blocks = [n for n in get_obj_names() if get_obj_kind(n) == 'block']
xs = {n: get_obj_pos(n)[0] for n in blocks}
print('sorted by x', sorted(blocks, key=lambda n: xs[n]))
def adder(k):
    return lambda v: v + k
print('closure', adder(3)(4))
print(f"f-string {get_obj_pos('red block')[0]:.3f}")
@dataclass
class Target:
    name: str
    z: float
print('dataclass', Target('red block', get_obj_pos('red block')[2]))
print('math', math.sqrt(16))
print('json', json.dumps({'a': [1, 2]}))
print('counter', Counter(get_obj_kind(n) for n in get_obj_names())['block'])
