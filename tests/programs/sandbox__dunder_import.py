# __import__ is not available.
# expect: error NameError line 4
# message: '__import__' is not available in the sandbox
os = __import__('os')
