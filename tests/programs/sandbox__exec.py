# exec is not available.
# expect: error NameError line 4
# message: 'exec' is not available in the sandbox
exec('import os')
