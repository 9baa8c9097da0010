# '%' formatting is not supported: the message says to use f-strings.
# expect: error TypeError line 4
# message: use f-strings
print('%d' % 3)
