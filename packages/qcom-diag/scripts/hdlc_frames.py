#!/usr/bin/env python3
"""Independent DIAG HDLC framer written straight from qcom-diag.md section 2 (bitwise CRC-16/X.25, reflected poly
0x8408, init 0xFFFF, xorout 0xFFFF; escape 7E -> 7D 5E, 7D -> 7D 5D; trailer 7E). Reads hex payloads one per line
on stdin, prints the hex frame of each. Used by test/framing.test.ts as a differential reference."""
import sys


def crc16_x25(data: bytes) -> int:
    crc = 0xFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


def frame(payload: bytes) -> bytes:
    crc = crc16_x25(payload)
    body = payload + bytes([crc & 0xFF, crc >> 8])
    out = bytearray()
    for b in body:
        if b in (0x7E, 0x7D):
            out += bytes([0x7D, b ^ 0x20])
        else:
            out.append(b)
    out.append(0x7E)
    return bytes(out)


for line in sys.stdin:
    line = line.strip()
    print(frame(bytes.fromhex(line)).hex() if line != "-" else frame(b"").hex())
