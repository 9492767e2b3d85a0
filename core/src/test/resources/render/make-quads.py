#!/usr/bin/env python3
"""Writes quads.glb, the renderer's mesh fixture (stdlib only; run from this folder).

Two 2x2 quads facing +z, both authored at the origin and placed by their nodes' translations:
- node 0 at x = -1.2: mesh 0, textured with an 8x8 PNG whose quadrants are red (top left), green (top right),
  blue (bottom left) and yellow (bottom right) in image space, so the picture shows whether u/v run the glTF way;
- node 1 at x = +1.2: mesh 1, magenta vertex colours (COLOR_0) under a white base colour factor.
Without node transforms both quads would overlap at the origin.
"""
import json, struct, zlib

def png(w, h, pixel):
    raw = b''.join(b'\x00' + b''.join(bytes(pixel(x, y)) for x in range(w)) for y in range(h))
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))

def quadrant(x, y):
    top, left = y < 4, x < 4
    return {(True, True): (255, 0, 0), (True, False): (0, 255, 0),
            (False, True): (0, 0, 255), (False, False): (255, 255, 0)}[(top, left)]

image = png(8, 8, quadrant)
pos = [(-1, -1, 0), (1, -1, 0), (1, 1, 0), (-1, 1, 0)]
nrm = [(0, 0, 1)] * 4
uv = [(0, 1), (1, 1), (1, 0), (0, 0)]
col = [(1, 0, 1, 1)] * 4
idx = [0, 1, 2, 0, 2, 3]
parts = [
    b''.join(struct.pack('<3f', *p) for p in pos),
    b''.join(struct.pack('<3f', *n) for n in nrm),
    b''.join(struct.pack('<2f', *t) for t in uv),
    b''.join(struct.pack('<4f', *c) for c in col),
    b''.join(struct.pack('<H', i) for i in idx) + b'\x00\x00',
    image,
]
views, offset, blob = [], 0, b''
for p in parts:
    views.append({'buffer': 0, 'byteOffset': offset, 'byteLength': len(p)})
    p = p + b'\x00' * (-len(p) % 4)
    blob += p
    offset += len(p)
views[4]['byteLength'] = 12
gltf = {
    'asset': {'version': '2.0', 'generator': 'vsa make-quads.py'},
    'scene': 0,
    'scenes': [{'nodes': [0, 1]}],
    'nodes': [{'mesh': 0, 'translation': [-1.2, 0, 0]}, {'mesh': 1, 'translation': [1.2, 0, 0]}],
    'meshes': [
        {'primitives': [{'attributes': {'POSITION': 0, 'NORMAL': 1, 'TEXCOORD_0': 2}, 'indices': 4, 'material': 0}]},
        {'primitives': [{'attributes': {'POSITION': 0, 'NORMAL': 1, 'COLOR_0': 3}, 'indices': 4, 'material': 1}]},
    ],
    'materials': [
        {'pbrMetallicRoughness': {'baseColorTexture': {'index': 0}, 'metallicFactor': 0}},
        {'pbrMetallicRoughness': {'baseColorFactor': [1, 1, 1, 1], 'metallicFactor': 0}},
    ],
    'textures': [{'source': 0, 'sampler': 0}],
    'samplers': [{'wrapS': 33071, 'wrapT': 33071}],
    'images': [{'bufferView': 5, 'mimeType': 'image/png'}],
    'accessors': [
        {'bufferView': 0, 'componentType': 5126, 'count': 4, 'type': 'VEC3', 'min': [-1, -1, 0], 'max': [1, 1, 0]},
        {'bufferView': 1, 'componentType': 5126, 'count': 4, 'type': 'VEC3'},
        {'bufferView': 2, 'componentType': 5126, 'count': 4, 'type': 'VEC2'},
        {'bufferView': 3, 'componentType': 5126, 'count': 4, 'type': 'VEC4'},
        {'bufferView': 4, 'componentType': 5123, 'count': 6, 'type': 'SCALAR'},
    ],
    'bufferViews': views,
    'buffers': [{'byteLength': len(blob)}],
}
js = json.dumps(gltf, separators=(',', ':')).encode()
js += b' ' * (-len(js) % 4)
glb = struct.pack('<III', 0x46546C67, 2, 12 + 8 + len(js) + 8 + len(blob))
glb += struct.pack('<II', len(js), 0x4E4F534A) + js + struct.pack('<II', len(blob), 0x004E4942) + blob
open('quads.glb', 'wb').write(glb)
