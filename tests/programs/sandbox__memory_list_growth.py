# Unbounded list growth hits the memory limit: MemoryError.
# args: --memory-mb 256
# expect: error MemoryError line -
# message: memory limit of 256 MB
x = []
while True:
    x.append([1] * 1000)
