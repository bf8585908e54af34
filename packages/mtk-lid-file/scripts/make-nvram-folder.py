#!/usr/bin/env python3
"""Writes a real-style, table-less MediaTek NVRAM folder of generation-A LID files (spec §2, §4) with python3
stdlib only -- independent of the TypeScript codec. Layouts and checksums come straight from the spec's byte
tables: section = record ‖ cs2 (lo = sum of even-offset bytes, hi = sum of odd-offset bytes, 0 -> 0xCDEF),
key-A confidential records are RC4(12 AB CD EF)-encrypted before the checksum (restart per record).

Usage: make-nvram-folder.py OUT [--corrupt]
  OUT/NVRAM/...        the folder (CALIBRAT, NVD_CORE, NVD_DATA, NVD_IMEI), like a device dump without its table
  OUT/expected.json    for every file: every record split (records × size) whose checksums all verify, computed
                       here by brute force (every n × s = len, s >= 3, n <= 65535)
--corrupt adds CALIBRAT/ML1C_000 with one flipped byte in record 2 (no split verifies)."""
import hashlib, json, os, struct, sys

def cs2(rec):
    c = (sum(rec[0::2]) & 0xff) | (sum(rec[1::2]) & 0xff) << 8
    return 0xCDEF if c == 0 else c

def cs2_accepts(rec, stored):
    c = (sum(rec[0::2]) & 0xff) | (sum(rec[1::2]) & 0xff) << 8
    if stored == (0xCDEF if c == 0 else c):
        return True
    # FF-default pointer path (§4): all-FF record whose sums are zero, stored 0x0000.
    return stored == 0 and c == 0 and all(b == 0xff for b in rec)

def rc4(key, data):
    s = list(range(256)); j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xff
        s[i], s[j] = s[j], s[i]
    i = j = 0; out = bytearray()
    for b in data:
        i = (i + 1) & 0xff; j = (j + s[i]) & 0xff
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xff])
    return bytes(out)

def gen_a(records, key=None):
    out = b''
    for r in records:
        stored = rc4(key, r) if key else r
        out += stored + struct.pack('<H', cs2(stored))
    return out

def splits(data):
    n = len(data); found = []
    for s in range(max(3, -(-n // 0xffff)), n + 1):
        if n % s:
            continue
        if all(cs2_accepts(data[o:o + s - 2], data[o + s - 2] | data[o + s - 1] << 8) for o in range(0, n, s)):
            found.append({'records': n // s, 'size': s - 2})
    return found

def noise(tag, n):
    out = b''; k = 0
    while len(out) < n:
        out += hashlib.sha256(f'{tag}:{k}'.encode()).digest(); k += 1
    return out[:n]

def typed_record(temp, offset, comp, mask, level, ident, name, gains, big, ubig, grid, flags):
    """typed_cfg_struct of test/fixtures/typed.h, laid out by hand (ARM EABI natural alignment, 72 bytes)."""
    r = bytearray(72)
    struct.pack_into('<h', r, 0, temp)
    struct.pack_into('<4b', r, 2, *offset)
    struct.pack_into('<4h', r, 6, *comp)
    struct.pack_into('<H', r, 14, mask)
    struct.pack_into('<i', r, 16, level)
    struct.pack_into('<I', r, 20, ident)
    r[24:32] = name.ljust(8, b'\0')
    for k, (g, i) in enumerate(gains):
        struct.pack_into('<hB', r, 32 + 4 * k, g, i)  # byte 35/39 is the struct's tail padding
    struct.pack_into('<q', r, 40, big)
    struct.pack_into('<Q', r, 48, ubig)
    struct.pack_into('<6h', r, 56, *[v for row in grid for v in row])
    r[68] = flags  # 69..71 tail padding
    return bytes(r)

def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]; corrupt = '--corrupt' in sys.argv[2:]
    files = {}
    # Calibration: 4 records of 46 bytes of measured-looking data (one split only).
    files['CALIBRAT/ML1A_000'] = gen_a([noise('ml1a', 46 * 4)[46 * i:46 * (i + 1)] for i in range(4)])
    # Calibration never written since the factory: 10 zero records of 512 -> 10×512 and 5×1026 (and more) verify.
    files['CALIBRAT/ML2B_001'] = gen_a([bytes(512)] * 10)
    # SYS LID: records 2/3/4 hold BRANCH / FLAVOR / BUILD_TIME strings (§9), 64 bytes each, NUL padded.
    sys_recs = [b'\x01\x00\x00\x00'.ljust(64, b'\0'), b'MOLY.LR11.W1630.MD.MP'.ljust(64, b'\0'),
                b'MT6755_DEFAULT'.ljust(64, b'\0'), b'2016/07/28 12:00'.ljust(64, b'\0')]
    files['NVD_CORE/SYS1_000'] = gen_a(sys_recs)
    # Config LID with the typed struct of test/fixtures/typed.h, 2 records.
    t1 = typed_record(-8, [-1, 1, -2, 127], [-8, 300, -32768, 32767], 0x8001, -100000, 0xFFFFFFF0, b'CFG1',
                      [(-3, 7), (1000, 255)], -2, 0xFFFFFFFFFFFFFFFF, [[1, -1, 2], [-2, 3, -32768]], 0x05)
    t2 = typed_record(25, [0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 1, b'', [(0, 0), (0, 0)], 0, 0, [[0] * 3] * 2, 0)
    files['NVD_DATA/MT7A_000'] = gen_a([t1, t2])
    # A MULTIPLE LID on NAND keeps two identical copies.
    pair = gen_a([noise('mt7b', 20)[:20], noise('mt7b2', 20)[:20]])
    files['NVD_DATA/MT7BA000'] = pair
    files['NVD_DATA/MT7BB000'] = pair
    # IMEI, confidential with key A, filler FF FF (§9, §16): the checksums cover the ciphertext.
    imei = bytes.fromhex('00010121436587f0ffff')
    files['NVD_IMEI/LD0B_001'] = gen_a([imei] + [b'\xff' * 10] * 9, key=bytes.fromhex('12abcdef'))
    assert hashlib.sha256(files['NVD_IMEI/LD0B_001']).hexdigest() == \
        '17167dd4286880b92b48726fc49a589a2c3d746b9b136e5526cc40d3ec14bd57'
    if corrupt:
        bad = bytearray(gen_a([noise('ml1c', 30 * 3)[30 * i:30 * (i + 1)] for i in range(3)]))
        bad[32 + 5] ^= 0x10  # record 2, byte 5
        files['CALIBRAT/ML1C_000'] = bytes(bad)
    expected = {}
    for rel, data in sorted(files.items()):
        p = os.path.join(out, 'NVRAM', rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'wb') as f:
            f.write(data)
        expected[rel] = {'size': len(data), 'splits': splits(data)}
    # Not a LID file name: verify of the folder skips it.
    with open(os.path.join(out, 'NVRAM', 'NVD_DATA', 'README.txt'), 'w') as f:
        f.write('not a LID file\n')
    with open(os.path.join(out, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write('\n')

main()
