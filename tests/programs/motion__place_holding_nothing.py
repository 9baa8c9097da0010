# place with an empty hand: RuntimeError telling to pick first.
# expect: error RuntimeError line 5
# message: holds nothing
# message: pick
place([0.5, 0.2])
