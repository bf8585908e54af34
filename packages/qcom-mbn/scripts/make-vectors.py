#!/usr/bin/env python3
"""Known-answer vectors for @nv/qcom-mbn, assembled by hand from the spec tables (qcom-mbn.md §3, §4.5).

Independent of the TypeScript code under test: python3 stdlib only (struct, hashlib).
Writes test/vectors/kat-4.5.mbn, kat-4.5.xml, kat-4.5.segment.hex and prints the SHA-256 values.
Run: python3 packages/qcom-mbn/scripts/make-vectors.py
"""
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'vectors')

# §4.5 segment, byte for byte from the spec listing.
segment_hex = (
    '4d434647 0300 0100 04000000 0100 0000 8313 0400 0d050105'
    ' 19000000 01 09 0000 4700 0d00 544d4f00 00000000 00000000 00'
    ' 0f000000 01 29 0000 5003 0300 00 0000'
    ' 43000000 02 09 0000 0100 2500 ' + b'/nv/item_files/ims/qp_ims_dpl_config'.hex() + ' 00'
    ' 0200 0e00 0000 0000 00 01 0000 00000000 00 02'
    ' 60000000 0a000000 a100 5000 ' + b'MCFG_TRL'.hex() + ' 00 0200 0001 01 0400 0d050105 02 0400 3601 9a01'
    ' 03 0e00 ' + b'Commercial-TMO'.hex() + ' 04 1a00 00 06 208d8800 ae7a8800 a2d18700 28d28700 8cd28700 72d38700'
    ' 05 0400 0d050105 00 61000000'
)
segment = bytes.fromhex(segment_hex.replace(' ', ''))
n = len(segment)
assert n == 0xE4, n

# §3.2 ELF header, §3.3 program headers, §3.4 v3 hash segment.
A = (n & ~0xFFF) + 0x1000
elf = b'\x7fELF' + bytes([1, 1, 1, 0]) + bytes(8)
elf += struct.pack('<HHIIIIIHHHHHH', 2, 0, 1, 0, 0x34, 0, 5, 0x34, 0x20, 3, 0x28, 0, 0)
phdrs = [
    (0, 0, 0, 0, 0x94, 0, 0x07000000, 0),
    (0, 0x1000, A, A, 0x88, 0x1000, 0x02200000, 0x1000),
    (1, 0x2000, 0, 0, n, n, 6, 4),
]
for p in phdrs:
    elf += struct.pack('<8I', *p)
assert len(elf) == 0x94
hash_header = struct.pack('<10I', 0, 3, 0, A + 0x28, 0x60, 0x60, A + 0x88, 0, A + 0x88, 0)
hash_seg = hash_header + hashlib.sha256(elf).digest() + bytes(32) + hashlib.sha256(segment).digest()
assert len(hash_seg) == 0x88
mbn = elf + bytes(0x1000 - len(elf)) + hash_seg + bytes(0x1000 - len(hash_seg)) + segment
assert len(mbn) == 8420

# The same configuration as dialect-1 XML (the write-up's sample minus NvEfsFile), written by hand.
xml = '''<?xml version="1.0" encoding="utf-8"?>
<!-- KAT of qcom-mbn.md §4.5, hand-written from the spec listing -->
<NvData>
  <NvConfigurationData carrierIndex="1" version="0x0501050D" type="1"/>
  <NvItemData id="71" mcfgAttributes="0x09" mcfgVariant="1">
    <Member name="carrier" sizeOf="13" type="uint8">0x54 0x4d 0x4f</Member>
  </NvItemData>
  <NvItemData id="848" mcfgAttributes="29" mcfgVariant="1">
    <Member name="index" sizeOf="1" type="uint8">0</Member>
    <Member sizeOf="1" type="uint16">0</Member>
  </NvItemData>
  <NvEfsItemData fullpathname="/nv/item_files/ims/qp_ims_dpl_config" mcfgAttributes="0x09" mcfgVariant="2">
    <Member sizeOf="1" type="uint32">0</Member>
    <Member sizeOf="1" type="uint8">0</Member>
    <Member sizeOf="1" type="uint8">1</Member>
    <Member sizeOf="1" type="uint16">0</Member>
    <Member sizeOf="1" type="uint32">0</Member>
    <Member sizeOf="1" type="uint8">0</Member>
    <Member sizeOf="1" type="uint8">2</Member>
  </NvEfsItemData>
  <NvTrlRecord mcfgAttributes="0x00">
    <Member name="format" sizeOf="5" type="uint8">0 2 0 0 1</Member>
    <Member sizeOf="1" type="uint8">1</Member>
    <Member sizeOf="1" type="uint16">4</Member>
    <Member sizeOf="1" type="uint32">0x0501050D</Member>
    <Member sizeOf="1" type="uint8">2</Member>
    <Member sizeOf="1" type="uint16">4</Member>
    <Member sizeOf="2" type="uint16">310 410</Member>
    <Member sizeOf="1" type="uint8">3</Member>
    <Member sizeOf="1" type="uint16">14</Member>
    <Member sizeOf="14" type="uint8">67 111 109 109 101 114 99 105 97 108 45 84 77 79</Member>
    <Member sizeOf="1" type="uint8">4</Member>
    <Member sizeOf="1" type="uint16">26</Member>
    <Member sizeOf="2" type="uint8">0 6</Member>
    <Member sizeOf="6" type="uint32">8949024 8944302 8901026 8901160 8901260 8901490</Member>
    <Member sizeOf="1" type="uint8">5</Member>
    <Member sizeOf="1" type="uint16">4</Member>
    <Member sizeOf="1" type="int32">83952909</Member>
  </NvTrlRecord>
</NvData>
'''

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, 'kat-4.5.mbn'), 'wb') as f:
    f.write(mbn)
with open(os.path.join(OUT, 'kat-4.5.xml'), 'w') as f:
    f.write(xml)
print('headers sha256', hashlib.sha256(elf).hexdigest())
print('segment sha256', hashlib.sha256(segment).hexdigest())
print('file    sha256', hashlib.sha256(mbn).hexdigest())
