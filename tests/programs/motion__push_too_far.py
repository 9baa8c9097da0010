# push is limited to 0.5 m.
# expect: error ValueError line 4
# message: between 0 and 0.5
push('red block', 'left', 1)
