# release with nothing held does nothing and raises nothing.
# output: holding False
# final: holding nothing
# final: ee at 0.45 0.0 0.35 ±0.005
release()
print('holding', is_holding())
