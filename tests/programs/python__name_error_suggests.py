# An undefined function close to a primitive's name: NameError with a suggestion.
# expect: error NameError line 7
# message: name 'get_obj_position' is not defined
# message: did you mean get_obj_pos?
# output: before
print('before')
get_obj_position('red block')
