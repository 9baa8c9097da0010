# A string where a number goes: TypeError naming the parameter.
# expect: error TypeError line 4
# message: push: 'distance' must be a number
push('red block', 'left', 'far')
