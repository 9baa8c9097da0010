# wait is limited to 60 s at a time.
# expect: error ValueError line 4
# message: between 0 and 60
wait(100)
