#!/usr/bin/env python3
"""Builds a small synthetic nvram bin-region image (spec §11) with python3 stdlib only, independent of the
TypeScript reader: 4 KiB blocks, N = 8 usable blocks (+8 log +8 reserved), block 2 marked bad in the bitmap at
block N-1, AllMap in block 0, AllFile from block 1 skipping block 2. Usage: make-bin-region.py OUT [--corrupt]."""
import struct, sys, os

BLK, N = 0x1000, 8
HERE = os.path.dirname(__file__)
vec = lambda n: open(os.path.join(HERE, '..', 'test', 'vectors', n), 'rb').read()

def checkno(data):
    c = 0
    for i, b in enumerate(data):
        c = (c + b) & 0xff if i % 2 == 0 else c ^ b
    return c

def ulchecksum(data):
    s = 0
    full = len(data) // 4
    for k in range(full):
        w = struct.unpack_from('<I', data, 4 * k)[0]
        s = (s ^ w) if k % 2 == 0 else (s + w) & 0xffffffff
    tail = int.from_bytes(data[4 * full:], 'little') if len(data) % 4 else 0
    return ((s + tail) & 0xffffffff) ^ len(data)

assert ulchecksum(bytes(range(1, 11))) == 0x0C0A1205 and ulchecksum(bytes(range(1, 9))) == 0x0C0A080E
assert checkno(bytes([1, 2, 3, 4])) == 0x02 and checkno(bytes([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66])) == 0x77

wifi = bytes((i * 7 + 3) & 0xff for i in range(5000))  # spans block 1 and (after bad block 2) block 3
filever = b''.join(n.encode().ljust(70, b'\0') + v.encode().ljust(4, b'\0') for n, v in [('NVRAM_VER_INFO', '000'), ('WIFI', '001')])
files = [
    ('/mnt/vendor/nvdata/md/NVRAM/NVD_IMEI/LD0B_001', vec('genb-imei-confidential.bin')),
    ('MT79_000', vec('gena-demo.bin')),
    ('WIFI', wifi + bytes([0xAA, checkno(wifi)])),
    ('BT_Addr', bytes([1, 2, 3, 4, 5, 6]) + bytes([0xAA, 0x00])),  # bad trailer on purpose
    ('FILE_VER', filever),
]
allfile = b''
titles = b''
for name, body in files:
    nb = name.encode()
    titles += struct.pack('<iii', len(nb), len(allfile), len(body)) + nb.ljust(128, b'\0')
    allfile += body
ck = ulchecksum(allfile)
if '--corrupt' in sys.argv:  # flip one AllFile bit after the checksum was taken
    allfile = allfile[:500] + bytes([allfile[500] ^ 1]) + allfile[501:]
counts = struct.pack('<6h', 1, 1, 1, 1, 1, 0)
title_header = counts + struct.pack('<iI', len(allfile), 0xFECF)
allmap = struct.pack('<III', ck, 4, 1) + title_header + titles
img = bytearray(b'\xff' * (BLK * (N + 16)))
img[0:12 + len(allmap)] = struct.pack('<III', len(allmap), len(allfile), 0) + allmap
assert 12 + len(allmap) <= BLK
# AllFile from block 1, skipping bad block 2 (filled with junk).
img[2 * BLK:3 * BLK] = bytes([0x5A]) * BLK
good = [1, 3, 4, 5, 6]
for i, b in enumerate(good):
    chunk = allfile[i * BLK:(i + 1) * BLK]
    img[b * BLK:b * BLK + len(chunk)] = chunk
assert len(allfile) <= len(good) * BLK
bitmap = bytes(1 if b == 2 else 0 for b in range(N))
img[(N - 1) * BLK:(N - 1) * BLK + 3 * N + 4] = bitmap * 3 + struct.pack('<I', 0xAABBCCDD)
open(sys.argv[1], 'wb').write(img)
print(len(img), len(allfile), hex(ck))
