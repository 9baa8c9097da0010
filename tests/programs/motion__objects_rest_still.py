# Objects nobody touches stay where they are while time passes.
# Regression guard, once: the demo's green bowl slides on its own while nothing touches it: after wait(10) it is at about [0.581, 0.186] (from [0.62, 0.2]), after wait(30) at [0.536, 0.171]
# final: green bowl at 0.62 0.2 0.02 ±0.003
# final: blue bowl at 0.62 -0.18 0.02 ±0.003
# final: red block at 0.45 0.15 0.02 ±0.003
# final: green block at 0.55 0.0 0.02 ±0.003
# final: blue block at 0.4 -0.12 0.02 ±0.003
wait(10)
