#!/usr/bin/env python3
"""Signed-style MCFG MBN for @nv/qcom-mbn tests, assembled from the spec's byte tables (qcom-mbn.md §3.2-§3.4).

Independent of the TypeScript code under test: python3 stdlib (struct, hashlib, subprocess) and, to sign for real,
the openssl command line. Layout as real signed files (a shipped v6 SW file): ELF header + 3 phdrs, hash segment at
0x1000, MCFG data at 0x3000; hash segment v6 = 12 header words, OEM metadata (120 bytes), SHA-384 table (one slot per
phdr, the hash segment's own slot zero), OEM signature (256 bytes), certificate chain (6144 bytes, the DER
certificate then zero fill). The signature is RSA-PSS SHA-256 (salt 32) over header + metadata + table, which is
what shipped v6 files verify with. With --version 3: a 10-word v3 header and SHA-256 table instead, signature after
the table (data still at 0x3000).

Usage: make-signed.py SEGMENT_MBN OUT [--version 6|3] [--key key.pem --cert cert.der]
  SEGMENT_MBN: any MBN or bare segment whose MCFG segment to wrap (its data at 0x2000 when it is ELF).
  Without --key the signature is 256 bytes of 0x5A and the chain holds no certificate (a dummy signature).
"""
import argparse
import hashlib
import struct
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument('segment')
ap.add_argument('out')
ap.add_argument('--version', type=int, default=6, choices=[3, 6])
ap.add_argument('--key')
ap.add_argument('--cert')
a = ap.parse_args()

src = open(a.segment, 'rb').read()
seg = src[0x2000:] if src[:4] == b'\x7fELF' else src
assert seg[:4] == b'MCFG', 'no MCFG segment'
n = len(seg)
DATA = 0x3000
HASH = 0x1000
SIG = 256
CHAIN = 6144
MD = 120 if a.version == 6 else 0
dig = hashlib.sha384 if a.version == 6 else hashlib.sha256
dsize = dig().digest_size
table_size = 3 * dsize
hdr_words = 12 if a.version == 6 else 10
hash_size = 4 * hdr_words + MD + table_size + SIG + CHAIN

# §3.2 ELF header, §3.3 program headers (signed layout: data at 0x3000).
A = 0xE000  # hash segment address as in shipped v6 files (any value; only offsets matter here)
elf = b'\x7fELF' + bytes([1, 1, 1, 0]) + bytes(8)
elf += struct.pack('<HHIIIIIHHHHHH', 2, 0, 1, 0, 0x34, 0, 5, 0x34, 0x20, 3, 0x28, 0, 0)
flags_hash = 0x02200000
for p in [
    (0, 0, 0, 0, 0x94, 0, 0x07000000, 0),
    (0, HASH, A, A, hash_size, 0x2000, flags_hash, 0x1000),
    (1, DATA, 0, 0, n, n, 6, 4),
]:
    elf += struct.pack('<8I', *p)
assert len(elf) == 0x94

# §3.4 hash header.
if a.version == 6:
    # id, ver, qcom sig, qcom chain, total, hash size, sig addr, sig size, chain addr, chain size, qcom md, oem md
    header = struct.pack('<12I', 0, 6, 0, 0, MD + table_size + SIG + CHAIN, table_size,
                         A + 48 + MD + table_size, SIG, A + 48 + MD + table_size + SIG, CHAIN, 0, MD)
else:
    # id, ver, flash addr, table addr, total, hash size, sig addr, sig size, chain addr, chain size
    header = struct.pack('<10I', 0, 3, 0, A + 40, table_size + SIG + CHAIN, table_size,
                         A + 40 + table_size, SIG, A + 40 + table_size + SIG, CHAIN)
metadata = bytes(range(MD))
table = dig(elf).digest() + bytes(dsize) + dig(seg).digest()
signed = header + metadata + table

cert = open(a.cert, 'rb').read() if a.cert else b''
if a.key:
    sig = subprocess.run(
        ['openssl', 'dgst', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32',
         '-sign', a.key],
        input=signed, capture_output=True, check=True).stdout
    assert len(sig) == SIG, len(sig)
else:
    sig = b'\x5a' * SIG
chain = cert + bytes(CHAIN - len(cert))
hash_seg = signed + sig + chain
assert len(hash_seg) == hash_size

out = elf + bytes(HASH - len(elf)) + hash_seg + bytes(DATA - HASH - len(hash_seg)) + seg
open(a.out, 'wb').write(out)
sys.stdout.write(f'{a.out}: {len(out)} bytes, hash v{a.version}, {"signed" if a.key else "dummy signature"}\n')
