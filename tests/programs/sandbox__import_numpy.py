# import numpy: the message says to use the helpers.
# expect: error ModuleNotFoundError line 5
# message: no module 'numpy'
# message: use the helpers dist, midpoint, add, sub, scale, mean
import numpy as np
