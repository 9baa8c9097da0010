# push with an unknown word lists the words it knows.
# expect: error ValueError line 5
# message: unknown direction 'sideways'
# message: left, right, forward
push('red block', 'sideways', 0.1)
