# A flat dict grown without end kills the worker; that becomes a MemoryError in the result.
# args: --memory-mb 256
# expect: error MemoryError line -
# message: memory limit of 256 MB
d = {}
i = 0
while True:
    d[i] = i
    i += 1
