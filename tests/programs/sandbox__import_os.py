# import os: no such module in the sandbox, and the message says which imports are allowed.
# expect: error ModuleNotFoundError line 5
# message: no module 'os'
# message: allowed imports: math
import os
