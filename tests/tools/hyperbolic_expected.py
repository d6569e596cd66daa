# The expected tables eval_{arctan,hsin,hcos,arsinh}_range.expect: mpmath at 200 bits,
# rounded once to float32, printed shortest (round-trip). python3 hyperbolic_expected.py NAME
import struct, sys
from mpmath import mp, mpf, atan, sinh, cosh, asinh, sqrt
mp.prec = 200
def f32(v):
    with mp.workprec(24):
        r = +mpf(v)
    return float(r)
def short(x):
    for d in range(1, 12):
        t = '%.*g' % (d, x)
        if struct.unpack('f', struct.pack('f', float(t)))[0] == x: return t
    return repr(x)
funcs = {'arctan': (atan, lambda x: 1/(1+x*x)), 'hsin': (sinh, cosh), 'hcos': (cosh, sinh),
         'arsinh': (asinh, lambda x: 1/sqrt(1+x*x))}
name = sys.argv[1]
f, d = funcs[name]
print('x,%s,d/dx' % name)
for i in range(7):
    x = mpf(-3*(6-i) + 3*i)/6
    print(','.join([short(f32(x)), short(f32(f(x))), short(f32(d(x)))]))
