# More than 1 MB of print is cut with a note; the program still finishes fine.
# output: [output cut at 1 MB
# no-output: done
line = 'x' * 1000
for i in range(2000):
    print(line)
print('done')
