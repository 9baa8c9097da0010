# A number where a name goes: TypeError naming the parameter.
# expect: error TypeError line 4
# message: 'name' must be a string
get_obj_pos(3)
