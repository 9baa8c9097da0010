# Class inheritance is not supported: the message explains to use plain classes.
# expect: error NotImplementedError line 7
# message: no class inheritance
# message: use plain classes
class B:
    pass
class A(B):
    pass
