# get_ee_pos at the start: home is 35 cm above the table.
# output: z 0.35
x, y, z = get_ee_pos()
print('z', round(z, 2))
