# put_first_on_second into a bowl.
# final: red block in green bowl
put_first_on_second('red block', 'green bowl')
