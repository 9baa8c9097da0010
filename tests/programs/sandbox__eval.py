# eval is not available.
# expect: error NameError line 4
# message: 'eval' is not available in the sandbox
eval("__import__('os').system('true')")
