# A missing argument: TypeError naming it and showing the signature.
# expect: error TypeError line 5
# message: missing the argument 'name'
# message: get_obj_pos(name)
get_obj_pos()
