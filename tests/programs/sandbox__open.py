# open is a PermissionError: there is no file system.
# expect: error PermissionError line 5
# message: 'open' is not allowed
# message: no file system
open('/etc/passwd').read()
