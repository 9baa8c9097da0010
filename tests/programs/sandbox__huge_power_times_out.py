# A single long builtin call (a power with 100 million digits) cannot be interrupted by the
# interpreter's clock; the parent stops the worker about a second after the limit.
# args: --timeout-s 2
# expect: error TimeoutError line -
# message: limit of 2 s and was stopped
x = 10 ** 10 ** 8
print("never")
