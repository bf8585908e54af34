#!/usr/bin/env python3
"""A QPST-style QCN backup, laid out the way vendor tools write it, packed by an independent CFB writer.

Written straight from the byte tables of shared/specs/qcom-efs.md (never from the TypeScript writer):
  §2.2 tree: File_Version; <MODEL>/default/{Mobile_Property_Info, Feature_Mask,
       NV_NUMBERED_ITEMS/NV_ITEM_ARRAY[_SIM_<n>], NV_Items, Provisioning_Item_Files, EFS_Backup}
  §2.3 Mobile_Property_Info with a QPST producer string; §2.4 136-byte records; §2.5 store Dir/Data pairs.
The folder tree is built with the python3 stdlib (struct) and packed by Debian libgsf-bin's `gsf createole`
(an MS-CFB writer independent of ours). EFS_Backup <K> names are numbered in the order a device listing
gives (not bytewise path order), as QPST does.

    python3 scripts/make-qpst-qcn.py OUT.qcn [--layout vendor|legacy|misplaced] [--unknown]

--layout legacy     numbered items at <MODEL>/NV_NUMBERED_ITEMS (what @nv/qcom-efs wrote before issue 14)
--layout misplaced  numbered items at the root (NV_NUMBERED_ITEMS/NV_ITEM_ARRAY): a reader must not call it clean
--unknown           adds a stream no spec table describes: <MODEL>/default/QPST_Future_Stream
"""
import os, struct, subprocess, sys, tempfile

MODEL = 4094

# Identity / factory items (ids per spec §5 #12 and public NV lists) and ordinary items: (id, index, payload).
RECORDS = [
    (10, 0, bytes([0, 0x1F, 0])),                      # §2.4 known answer: NV 10 = 0,31
    (0, 0, bytes([0x78, 0x56, 0x34, 0x12])),           # ESN (u32)
    (550, 0, bytes([0x08, 0x3A, 0x59, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01])),  # IMEI, 9-byte BCD
    (447, 0, bytes([0x11, 0x22, 0x33, 0x44, 0x55, 0x66])),                    # Bluetooth address
    (1943, 0, bytes([0xA1, 0x00, 0x00, 0x01, 0x23, 0x45, 0x67, 0x00])),       # MEID (u64, 56 bits)
    (4678, 0, bytes([0x00, 0x0A, 0xF5, 0x12, 0x34, 0x56])),                   # WLAN MAC address
    (10, 1, bytes([1, 0x02, 0])),                      # indexed record, index 1
    (855, 0, bytes([1])),                              # an ordinary item
    (6828, 0, bytes([0x11, 0x22])),                    # an ordinary item
]
SIM1_RECORDS = [
    (550, 0, bytes([0x08, 0x3A, 0x59, 0x01, 0x23, 0x45, 0x67, 0x89, 0x02])),  # IMEI of subscription 1
    (10, 0, bytes([0, 9, 0])),
]
# EFS_Backup files in device listing order (K = position in this list, %08X), not bytewise path order.
BACKUP = [
    ('/nvm/num/550', bytes([0x08, 0x3A, 0x59, 0x01, 0x23, 0x45, 0x67, 0x89, 0x01])),
    ('/policyman/device_config.xml', b'<policy/>'),
    ('/nv/item_files/modem/mmode/sms_only', b'\x00'),
    ('/policyman/ue_mode', b'\x01'),
    ('/nvm/context1/550', bytes([0x08, 0x3A, 0x59, 0x01, 0x23, 0x45, 0x67, 0x89, 0x02])),
    ('/nv/item_files/rfnv/00024997', bytes(range(8))),
    ('/CGPS_ME/config', b'cfg'),
    ('pdp_profiles/Subs1/profile1', b'pdp'),           # relative paths occur (§2.5)
]
NV_ITEMS = [('/nv/item_files/rfnv/00024997', bytes(range(8))), ('/nv/item_files/modem/mmode/sms_only', b'\x00')]
PROVISIONING = [('/nv/item_files/mcfg/mcfg_autoselect_by_uim', b'\x07')]
EFS_BACKUP_HEADER = bytes([1, 0, 1, 1, 0, 0, 0, 0])


def record(nv, index, payload):
    """§2.4: u16 0x0088, u16 0x0001, u16 id, u16 index, 128-byte zero-padded payload."""
    return struct.pack('<HHHH', 0x88, 1, nv, index) + payload.ljust(128, b'\0')


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def store(root, name, files, dir_bytes):
    # QPST <K>: position in the device listing, %08X.
    for k, (path, data) in enumerate(files):
        key = '%08X' % k
        write(os.path.join(root, name, 'EFS_Dir', key), dir_bytes(path.encode('ascii')))
        write(os.path.join(root, name, 'EFS_Data', key), data)


def build(folder, layout='vendor', unknown=False):
    m = '%08d' % MODEL
    write(os.path.join(folder, 'File_Version'), struct.pack('<HHH', 2, 0, 0))
    d = os.path.join(folder, m, 'default')
    sw, prod = b'M9615A-CEFWMAZM-3.0.1190', b'QPST Software Download 2.7.0.378'
    write(os.path.join(d, 'Mobile_Property_Info'),
          struct.pack('<IHBB', 0x00000005, MODEL, 7, 3) + struct.pack('<H', len(sw)) + sw + struct.pack('<H', len(prod)) + prod)
    write(os.path.join(d, 'Feature_Mask'), bytes((i * 37) & 0xFF for i in range(77)))
    numbered = {'vendor': os.path.join(d, 'NV_NUMBERED_ITEMS'),
                'legacy': os.path.join(folder, m, 'NV_NUMBERED_ITEMS'),
                'misplaced': os.path.join(folder, 'NV_NUMBERED_ITEMS')}[layout]
    write(os.path.join(numbered, 'NV_ITEM_ARRAY'), b''.join(record(*r) for r in RECORDS))
    write(os.path.join(numbered, 'NV_ITEM_ARRAY_SIM_1'), b''.join(record(*r) for r in SIM1_RECORDS))
    store(d, 'NV_Items', NV_ITEMS, lambda p: p)
    store(d, 'Provisioning_Item_Files', PROVISIONING, lambda p: p + b'\0')
    store(d, 'EFS_Backup', BACKUP, lambda p: EFS_BACKUP_HEADER + p)
    if unknown:
        write(os.path.join(d, 'QPST_Future_Stream'), b'\x01\x02\x03\x04')
    return sorted(os.listdir(folder))


def main(argv):
    out = os.path.abspath(argv[0])
    layout = argv[argv.index('--layout') + 1] if '--layout' in argv else 'vendor'
    with tempfile.TemporaryDirectory() as tmp:
        top = build(tmp, layout, '--unknown' in argv)
        subprocess.run(['gsf', 'createole', out] + top, cwd=tmp, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


if __name__ == '__main__':
    main(sys.argv[1:])
