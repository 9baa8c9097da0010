# KeyError from plain Python, with the missing key.
# expect: error KeyError line 5
# message: b
d = {'a': 1}
print(d['b'])
