#!/usr/bin/env python3
"""Known-answer LID files for @nv/mtk-lid-file, assembled from the spec tables (§4, §5, §16) with python3 stdlib
only (hashlib MD5/SHA-256, a few lines of RC4, hand-packed headers) -- independent of the TypeScript encoder.
AES sections of the confidential gen-B file are the literal §16 values (also cross-checked with openssl in tests).
Run: python3 packages/mtk-lid-file/scripts/make-vectors.py  (writes test/vectors/)."""
import hashlib, json, os, struct

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'vectors')

def cs2(rec, zero_fix=True):
    lo = sum(rec[0::2]) & 0xff
    hi = sum(rec[1::2]) & 0xff
    c = lo | hi << 8
    return 0xCDEF if (c == 0 and zero_fix) else c

def chk8(rec):
    if all(b == 0 for b in rec):
        return bytes([0xEF, 0xCD] + [0] * 6)
    m = hashlib.md5(rec).digest()
    return bytes(m[i] ^ m[i + 8] for i in range(8))

def header(lid, total, size, attr, cat, write_times=0):
    h = bytearray(64)
    h[0:4] = b'LDI\0'
    struct.pack_into('<HHIII', h, 4, lid, total, size, attr, cat)
    struct.pack_into('<I', h, 44, write_times)
    lo = (h[0] + sum(h[0:30])) & 0xff
    struct.pack_into('<H', h, 30, h[1] << 8 | lo)
    return bytes(h)

def rc4_state(key):
    s = list(range(256)); j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xff
        s[i], s[j] = s[j], s[i]
    return s

def rc4_xor(state, data):
    s = list(state); i = j = 0; out = bytearray()
    for b in data:
        i = (i + 1) & 0xff; j = (j + s[i]) & 0xff
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xff])
    return bytes(out)

IMEI_B = bytes.fromhex('00010121436587f00000')  # §16 test IMEI 001010123456780, filler 00 00
IMEI_A = IMEI_B[:8] + b'\xff\xff'              # gen A filler FF FF (§9)
FF10 = b'\xff' * 10
vectors = {}

def put(name, data, **meta):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)
    vectors[name] = dict(size=len(data), sha256=hashlib.sha256(data).hexdigest(), **meta)

# 1. gen B confidential IMEI file (§16): header attr 0x400A (CONFIDENTIAL|WRITEPROTECT|COMMITTED), cat 0x2000.
h = header(0xEF10, 10, 10, 0x400A, 0x2000)
assert struct.unpack_from('<H', h, 30)[0] == 0x44A2
assert struct.unpack_from('<H', header(0xEF10, 10, 10, 0x402A, 0x2000), 30)[0] == 0x44C2
assert struct.unpack_from('<H', header(0x08C1, 1, 4096, 0x4000, 0x2000), 30)[0] == 0x445F
sec_imei = bytes.fromhex('83f6b035c02a919f01cc8c3ac8963aac403d91eb2e45de940d005713c923d301')
sec_ff = bytes.fromhex('4ab96d2f1a7925c700db7e7f217756793f086badd56d9fa38ebf8856d4aea0a7')
b_file = h + sec_imei + sec_ff * 9
assert hashlib.sha256(b_file).hexdigest() == '6848ff5db00f02d2eab4c8e1690081291939af751cbb691fe03891a3d3e4cd51'
put('genb-imei-confidential.bin', b_file, generation='B', lid=0xEF10, records=10, recordSize=10, attr=0x400A, category=0x2000)

# 2. gen A confidential IMEI file, key A = RC4 schedule of 12 AB CD EF, restarted per record (§4, §16).
st = rc4_state(bytes.fromhex('12abcdef'))
assert rc4_xor(st, bytes(16)).hex() == 'aba06f2f1f1e9ab5558bc86c1b34eab7'
def sec_a(rec):
    c = rc4_xor(st, rec)
    return c + struct.pack('<H', cs2(c))
a_file = b''.join(sec_a(r) for r in [IMEI_A] + [FF10] * 9)
assert a_file[:12].hex() == 'aba16e0e5c7b1d45aa743ce3'
assert sec_a(FF10).hex() == '545f90d0e0e1654aaa74' + 'd3ce'
assert hashlib.sha256(a_file).hexdigest() == '17167dd4286880b92b48726fc49a589a2c3d746b9b136e5526cc40d3ec14bd57'
put('gena-imei-confidential.bin', a_file, generation='A', records=10, recordSize=10, attributes=['CONFIDENTIAL'])

# 3. gen A plain file with the checksum edge cases: 01 02 03 (0x0204), all zero (0xCDEF), all FF of size 512
# stored with 0x0000 (FF-default pointer path) -- three records of 512 bytes.
r1 = bytes([1, 2, 3]) + bytes(509)
r2 = bytes(512)
r3 = b'\xff' * 512
assert cs2(bytes([1, 2, 3])) == 0x0204 and cs2(bytes(10)) == 0xCDEF and cs2(r3, zero_fix=False) == 0
a_edge = r1 + struct.pack('<H', cs2(r1)) + r2 + struct.pack('<H', cs2(r2)) + r3 + struct.pack('<H', cs2(r3, zero_fix=False))
put('gena-edge.bin', a_edge, generation='A', records=3, recordSize=512, checksums=['0402', 'efcd', '0000'])

# 4. gen B plain file (LID 0x08C1-like, 4 records of 8: the §12 demo record, zeros, FF, 'ABCDEFGH').
recs = [bytes.fromhex('0500090041424344'), bytes(8), b'\xff' * 8, b'ABCDEFGH']
assert chk8(recs[0]).hex() == '15f36ed055496183' and chk8(FF10).hex() == '21364f4123fc17c1'
b_plain = header(0x0123, 4, 8, 0x0000, 0x0, write_times=1) + b''.join(r + chk8(r) for r in recs)
put('genb-plain.bin', b_plain, generation='B', lid=0x0123, records=4, recordSize=8, attr=0, category=0, checksums=[chk8(r).hex() for r in recs])

# 5. gen A plain demo record ×2 (cs2 of the §12 record is 92 86).
a_demo = b''.join(r + struct.pack('<H', cs2(r)) for r in recs[:1] * 2)
assert a_demo[8:10].hex() == '9286'
put('gena-demo.bin', a_demo, generation='A', records=2, recordSize=8)

with open(os.path.join(OUT, 'vectors.json'), 'w') as f:
    json.dump(vectors, f, indent=2, sort_keys=True)
    f.write('\n')
print('ok', len(vectors), 'vectors')
