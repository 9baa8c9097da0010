# Too many arguments: TypeError with the signature.
# expect: error TypeError line 4
# message: get_obj_names takes 0 arguments but 1 were given
get_obj_names(1)
