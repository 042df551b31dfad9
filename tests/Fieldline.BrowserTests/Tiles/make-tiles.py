#!/usr/bin/env python3
"""Writes the browser tests' offline map tiles (tile-0.png … tile-3.png, 256×256): land with streets, one with a river,
one with a park, so a screenshot reads as a map. The test tile server hands one of them out for every z/x/y.
Plain zlib and struct: no imaging library needed.   python3 make-tiles.py"""
import struct, zlib

LAND, ROAD, EDGE, WATER, PARK, MAJOR = (242, 239, 233), (255, 255, 255), (214, 208, 198), (170, 211, 223), (200, 230, 190), (252, 214, 164)

def tile(kind):
    px = [[LAND] * 256 for _ in range(256)]
    def rect(x0, y0, x1, y1, c):
        for y in range(max(0, y0), min(256, y1)):
            row = px[y]
            for x in range(max(0, x0), min(256, x1)):
                row[x] = c
    if kind == 2:
        rect(140, 30, 230, 120, PARK)
    if kind == 1:  # a river crossing diagonally
        for y in range(256):
            x = 60 + y // 2
            rect(x - 14, y, x + 14, y + 1, WATER)
    for pos in (32, 160):  # minor streets: a grid, with edges
        rect(pos - 4, 0, pos + 4, 256, EDGE); rect(pos - 3, 0, pos + 3, 256, ROAD)
        rect(0, pos - 4, 256, pos + 4, EDGE); rect(0, pos - 3, 256, pos + 3, ROAD)
    if kind in (0, 3):  # a main road
        p = 96 if kind == 0 else 224
        rect(0, p - 6, 256, p + 6, EDGE); rect(0, p - 5, 256, p + 5, MAJOR)
    raw = b''.join(b'\x00' + bytes(v for c in row for v in c) for row in px)
    def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 256, 256, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')

for k in range(4):
    with open(f'tile-{k}.png', 'wb') as f:
        f.write(tile(k))
