import numpy as np, sys
def write(path, n, seed, deg, spread):
    r = np.random.default_rng(seed)
    rest = 3*((deg+1)**2-1)
    cols = ['x','y','z','f_dc_0','f_dc_1','f_dc_2'] + [f'f_rest_{i}' for i in range(rest)] + ['opacity','scale_0','scale_1','scale_2','rot_0','rot_1','rot_2','rot_3']
    d = np.zeros((n, len(cols)), dtype='<f4')
    d[:,0:3] = r.uniform(-spread, spread, (n,3))
    d[:,3:6] = r.uniform(-1.5,1.5,(n,3))
    d[:,6:6+rest] = r.uniform(-0.6,0.6,(n,rest))
    o = 6+rest
    d[:,o] = r.uniform(-5,5,n)
    d[:,o+1:o+4] = r.uniform(-6,-1,(n,3))
    q = r.normal(size=(n,4)); q /= np.linalg.norm(q,axis=1,keepdims=True); q *= np.sign(q[:,:1])
    d[:,o+4:o+8] = q
    hdr = "ply\nformat binary_little_endian 1.0\nelement vertex %d\n" % n + "".join("property float %s\n" % c for c in cols) + "end_header\n"
    with open(path,'wb') as f:
        f.write(hdr.encode()); f.write(d.tobytes())
write('l0.ply', 3000, 1, 1, 10)
write('l1.ply', 800, 2, 1, 10)
