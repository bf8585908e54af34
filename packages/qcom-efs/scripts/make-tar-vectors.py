#!/usr/bin/env python3
"""Device tar / tar.gz vectors assembled by hand from qcom-efs.md §2.7/§2.8 with the python3 stdlib only
(struct, gzip, zlib): independent of the TypeScript code under test. Run from the package folder:
    python3 scripts/make-tar-vectors.py
"""
import gzip, os

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'vectors')

def header(name, mode, size, typeflag, mtime=315964800, link=b''):
    h = bytearray(512)
    n = name.encode('ascii'); assert len(n) <= 99
    h[0:len(n)] = n
    h[100:108] = b'%07o\0' % mode
    h[108:116] = b'%07o\0' % 0
    h[116:124] = b'%07o\0' % 0
    h[124:136] = b'%011o\0' % size
    h[136:148] = b'%011o\0' % mtime
    h[156:157] = typeflag
    h[157:157 + len(link)] = link
    h[148:156] = b' ' * 8
    h[148:156] = b'%06o\0 ' % sum(h)
    return bytes(h)

def entry(name, mode, data=b'', typeflag=b'0', link=b''):
    out = header(name, mode, len(data), typeflag, link=link) + data
    if len(data) % 512: out += b'\0' * (512 - len(data) % 512)
    return out

def write(name, data):
    with open(os.path.join(OUT, name), 'wb') as f: f.write(data)

END = b'\0' * 1024
write('root-only.tar', entry('/', 0o40777, typeflag=b'5') + END)
# Device order (§3.10): '/', root children bytewise, then /nv, /nvm, ... breadth-first.
small = b''.join([
    entry('/', 0o40777, typeflag=b'5'),
    entry('/.efs_private', 0o40777, typeflag=b'5'),
    entry('/CGPS_ME', 0o100666, b'cgps'),
    entry('/apn_throttle', 0o160777, b'\x01'),
    entry('/link', 0o120777, typeflag=b'2', link=b'/nvm/num/10'),
    entry('/nvm', 0o40777, typeflag=b'5'),
    entry('/nvm/num', 0o40777, typeflag=b'5'),
    entry('/nvm/num/10', 0o160777, b'\x1f\x00'),
    entry('/nvm/num/big', 0o100777, bytes(range(256)) * 3),
]) + END
write('small.tar', small)
# gzip header per §3.11: 1F 8B 08 00 00000000 00 FF; python's gzip writes OS=255, XFL 0 at level 6.
gz = bytearray(gzip.compress(small, compresslevel=6, mtime=0))
gz[9] = 0xFF  # OS unknown, as the packer writes (python writes 3 on Unix)
write('small.tar.gz', bytes(gz))
