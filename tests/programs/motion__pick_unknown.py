# pick of an object that does not exist: ValueError listing the known names.
# expect: error ValueError line 6
# message: unknown object 'purple block'
# message: known objects: blue block, blue bowl, green block, green bowl, red block
# final: holding nothing
pick('purple block')
