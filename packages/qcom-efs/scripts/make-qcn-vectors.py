#!/usr/bin/env python3
"""Foreign-style QCN vectors, hand-assembled as MS-CFB v3 with the python3 stdlib only (struct), independent of
the TypeScript writer: sibling lists chained through right pointers in insertion order (not sorted, all black),
decimal and unsorted <K> names, NV_ITEM_ARRAY_SIM_1, Feature_Mask, an odd EFS_Backup header, zero-length data, a
relative path, one path in two stores, a 5000-B stream in regular sectors. Run from the package folder:
    python3 scripts/make-qcn-vectors.py
"""
import os, struct

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'vectors')
FREE, END, FATS, NOS = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF

def cfb(tree):
    """tree: list of (name, bytes | list) ; returns CFB v3 bytes."""
    nodes = []  # [name, type, data, children ids]
    def add(name, value):
        i = len(nodes)
        nodes.append([name, 1 if isinstance(value, list) else 2, value if not isinstance(value, list) else b'', []])
        if isinstance(value, list):
            nodes[i][3] = [add(n, v) for n, v in value]
        return i
    nodes.append(['Root Entry', 5, b'', []])
    nodes[0][3] = [add(n, v) for n, v in tree]
    mini, minifat, starts = bytearray(), [], {}
    big = []
    for i, n in enumerate(nodes):
        if n[1] == 2 and 0 < len(n[2]) < 4096:
            starts[i] = len(mini) // 64
            cnt = (len(n[2]) + 63) // 64
            minifat += [starts[i] + j + 1 for j in range(cnt - 1)] + [END]
            mini += n[2] + b'\0' * (cnt * 64 - len(n[2]))
        elif n[1] == 2 and len(n[2]) >= 4096:
            big.append(i)
    sectors = []  # list of 512-B sectors after the FAT (FAT is sector 0: one FAT sector is enough here)
    fat = [FATS]
    def chain(data):
        start = 1 + len(sectors)
        cnt = (len(data) + 511) // 512
        for j in range(cnt):
            sectors.append(data[j * 512:(j + 1) * 512].ljust(512, b'\0'))
            fat.append(start + j + 1 if j < cnt - 1 else END)
        return start if cnt else END
    dirbytes = bytearray()
    # directory written last in the layout is fine; compute stream sectors first
    minifat_start = chain(b''.join(struct.pack('<I', x) for x in minifat))
    mini_start = chain(bytes(mini))
    for i in big: starts[i] = chain(nodes[i][2])
    for i, n in enumerate(nodes):
        name = n[0].encode('utf-16-le')
        e = bytearray(128)
        e[0:len(name)] = name
        struct.pack_into('<HBB', e, 0x40, len(name) + 2, n[1], 1)
        kids = n[3]
        # children: first child, then each sibling chained through 'right'
        struct.pack_into('<III', e, 0x44, NOS, NOS, kids[0] if kids else NOS)
        start, size = END, 0
        if n[1] == 5: start, size = (mini_start if mini else END), len(mini)
        elif n[1] == 2: start, size = starts.get(i, END), len(n[2])
        elif n[1] == 1: start = 0
        struct.pack_into('<II', e, 0x74, start, size)
        dirbytes += e
    for i, n in enumerate(nodes):
        for a, b in zip(n[3], n[3][1:]): struct.pack_into('<I', dirbytes, 128 * a + 0x48, b)
    while len(dirbytes) % 512: 
        e = bytearray(128); struct.pack_into('<III', e, 0x44, NOS, NOS, NOS); dirbytes += e
    dir_start = chain(bytes(dirbytes))
    assert len(fat) <= 128
    fat += [FREE] * (128 - len(fat))
    h = bytearray(512)
    h[0:8] = bytes.fromhex('D0CF11E0A1B11AE1')
    struct.pack_into('<HHHHH', h, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into('<IIII', h, 0x2C, 1, dir_start, 0, 4096)
    struct.pack_into('<IIII', h, 0x3C, minifat_start if minifat else END, (len(minifat) * 4 + 511) // 512, END, 0)
    for j in range(109): struct.pack_into('<I', h, 0x4C + 4 * j, 0 if j == 0 else FREE)
    return bytes(h) + b''.join(struct.pack('<I', x) for x in fat) + b''.join(sectors)

def record(nv, index, payload, length=0x88, flag=1):
    return struct.pack('<HHHH', length, flag, nv, index) + payload.ljust(128, b'\0')

def qcn(array=None, dirs_extra=()):
    arr = array if array is not None else record(10, 0, bytes([0, 0x1F, 0])) + record(10, 1, bytes([1, 2, 0])) + record(5, 0, bytes([0x34, 0x12]), flag=2)
    nv_dir = [('5', b'/nv/item_files/rfnv/00024997'), ('3', b'/nv/item_files/modem/mmode/x')] + list(dirs_extra)
    nv_data = [('5', bytes([1, 2, 3])), ('3', b'\x07')]
    return cfb([
        ('File_Version', struct.pack('<HHH', 2, 0, 0)),
        ('00004094', [
            ('default', [
                ('Mobile_Property_Info', struct.pack('<IHBBH', 0xDEADD00D, 4094, 1, 2, 3) + b'1.0' + struct.pack('<H', 11) + b'QMSL 6.0.11'),
                ('Feature_Mask', bytes(range(56))),
                ('NV_Items', [('EFS_Dir', nv_dir), ('EFS_Data', nv_data)]),
                ('Provisioning_Item_Files', [('EFS_Dir', [('0', b'/nv/item_files/modem/mmode/x\0')]), ('EFS_Data', [('0', b'\x08')])]),
                ('EFS_Backup', [
                    ('EFS_Dir', [('00000001', bytes.fromhex('0100010100000000') + b'/big'),
                                 ('00000000', bytes.fromhex('0200010100000000') + b'pdp_profiles/Subs1/profile1'),
                                 ('00000002', bytes.fromhex('0100010100000000') + b'/empty')]),
                    ('EFS_Data', [('00000001', bytes(i % 251 for i in range(5000))), ('00000000', b'pdp'), ('00000002', b'')]),
                ]),
                # §2.2: the arrays live under default, beside Mobile_Property_Info (real QPST/QRCT/QMSL files).
                ('NV_NUMBERED_ITEMS', [('NV_ITEM_ARRAY', arr), ('NV_ITEM_ARRAY_SIM_1', record(10, 0, bytes([0, 9, 0])))]),
            ]),
        ]),
    ])

def write(name, data):
    with open(os.path.join(OUT, name), 'wb') as f: f.write(data)

write('foreign.qcn', qcn())
write('foreign-135.qcn', qcn(array=record(10, 0, b'\0')[:135]))
write('foreign-len87.qcn', qcn(array=record(10, 0, b'\0', length=0x87)))
write('foreign-unpaired.qcn', qcn(dirs_extra=[('9', b'/nv/item_files/unpaired')]))
