# is_holding with and without a name, empty-handed and holding.
# output: empty False False
# output: held True True False
print('empty', is_holding(), is_holding('red block'))
pick('red block')
print('held', is_holding(), is_holding('red block'), is_holding('blue block'))
