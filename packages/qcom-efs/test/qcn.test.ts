import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import CFB from 'cfb';
import { NvError } from '@nv/core';
import { bytesToHex, encodeLatin1 } from '@nv/core/bytes';
import { FUZZ_RUNS, nvErrorCode as code } from '../../../scripts/test-tools.ts';
import { decodeCfb, encodeCfb } from '../src/cfb.ts';
import { efsTreeToQcn, nvInfoFromTree, parseNvInfo, qcnToEfsTree } from '../src/qcn-efs.ts';
import { decodeQcn, encodeQcn, type Qcn } from '../src/qcn.ts';
import { decodeXqcn, encodeXqcn } from '../src/xqcn.ts';

const vec = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./vectors/${name}`, import.meta.url)));
/** The model without stream keys and the foreign model-storage name (round trips keep content, not names, docs/formats/qcn.md#read-write). */
const canon = (q: Qcn): unknown =>
  JSON.parse(
    JSON.stringify(
      {
        ...q,
        modelName: undefined,
        items: [...q.items].sort((a, b) => a.subscription - b.subscription || a.id - b.id || a.index - b.index),
        efs: [...q.efs]
          .map((f) => ({ ...f, key: undefined }))
          .sort((a, b) => (a.store + a.path < b.store + b.path ? -1 : 1)),
        extra: q.extra.map((e) => ({ ...e, path: e.path.split('/').slice(1).join('/') })),
      },
      (_k, v: unknown) => (v instanceof Uint8Array ? bytesToHex(v) : v),
    ),
  );

const nv10 = Uint8Array.from([0, 0x1f, 0, ...new Array<number>(125).fill(0)]);
const own: Qcn = {
  model: 0,
  items: [
    { id: 10, index: 0, subscription: 0, payload: nv10 },
    { id: 5, index: 0, subscription: 0, payload: Uint8Array.of(0x34, 0x12) },
  ],
  efs: [
    { store: 'NV_Items', path: '/nv/item_files/rfnv/00024997', data: Uint8Array.of(1, 2, 3) },
    { store: 'Provisioning_Item_Files', path: '/nv/item_files/mcfg/mcfg_autoselect_by_uim', data: Uint8Array.of(7) },
  ],
  extra: [],
};

describe('QCN known answers (§2.4, §3.5, §6)', () => {
  const bytes = encodeQcn(own);
  const cfb = CFB.read(Buffer.from(bytes), { type: 'buffer' });
  const stream = (p: string): string => {
    const f = CFB.find(cfb, `Root Entry/${p}`);
    if (f === null) throw new Error(`missing ${p}`);
    return Buffer.from(f.content as Uint8Array).toString('hex');
  };
  it('an independent CFB reader (npm cfb) sees the §2.2 tree with our bytes', () => {
    expect(stream('File_Version')).toBe('020000000000');
    // NV 10 = 0,31 → 88 00 01 00 0A 00 00 00 | 00 1F 00 | 125 × 00; records sorted by id.
    // docs/formats/qcn.md#container (issue 14.1): the arrays live under default, beside Mobile_Property_Info, as in QPST/QRCT/QMSL files.
    const arr = stream('00000000/default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY');
    expect(cfb.FullPaths.some((p) => /^Root Entry\/00000000\/NV_NUMBERED_ITEMS/.test(p))).toBe(false);
    expect(arr.length).toBe(2 * 272);
    expect(arr.slice(0, 16)).toBe('8800010005000000');
    expect(arr.slice(272, 272 + 22)).toBe(`880001000a000000001f00`);
    expect(arr.slice(272 + 22)).toBe('00'.repeat(125));
    expect(stream('00000000/default/NV_Items/EFS_Dir/00000000')).toBe(
      bytesToHex(encodeLatin1('/nv/item_files/rfnv/00024997')),
    );
    expect(stream('00000000/default/Provisioning_Item_Files/EFS_Dir/00000000')).toBe(
      `${bytesToHex(encodeLatin1('/nv/item_files/mcfg/mcfg_autoselect_by_uim'))}00`,
    );
    expect(stream('00000000/default/Provisioning_Item_Files/EFS_Data/00000000')).toBe('07');
    const paths = cfb.FullPaths.join('\n');
    expect(paths).toMatch(/EFS_Backup\/EFS_Dir\//);
    expect(paths).toMatch(/EFS_Backup\/EFS_Data\//);
    const info = stream('00000000/default/Mobile_Property_Info');
    expect(info.slice(0, 16)).toBe('0000000000000000');
    expect(Buffer.from(info.slice(20), 'hex').toString('latin1')).toBe('\f\0@nv/qcom-efs');
  });
  it('is deterministic and reads back to the same model', () => {
    expect(bytesToHex(encodeQcn(own))).toBe(bytesToHex(bytes));
    const back = decodeQcn(bytes).qcn;
    expect(back.items.map((i) => i.id)).toEqual([5, 10]);
    expect(bytesToHex(back.items[1]?.payload ?? new Uint8Array())).toBe(bytesToHex(nv10));
    expect(back.efs.map((f) => f.store)).toEqual(['NV_Items', 'Provisioning_Item_Files']);
  });
  it('writes big streams (≥ 4096 B) in regular sectors that npm cfb reads', () => {
    const data = Uint8Array.from({ length: 70000 }, (_, i) => (i * 7) % 256);
    const b = encodeCfb([
      { path: 'a/b', type: 'stream', data },
      { path: 'c', type: 'stream', data: Uint8Array.of(1) },
    ]);
    const f = CFB.find(CFB.read(Buffer.from(b), { type: 'buffer' }), 'Root Entry/a/b');
    expect(Buffer.from(f?.content as Uint8Array).equals(Buffer.from(data))).toBe(true);
    expect(bytesToHex(decodeCfb(b).find((e) => e.path === 'a/b')?.data ?? new Uint8Array())).toBe(bytesToHex(data));
  });
});

describe('foreign QCN (hand-assembled CFB, §6)', () => {
  const { qcn, warnings } = decodeQcn(vec('foreign.qcn'));
  it('reads model, property info, records incl. SIM_1, stores paired by <K> string, Feature_Mask kept', () => {
    expect(qcn.model).toBe(4094);
    expect(qcn.propertyInfo).toEqual({
      unknown: 0xdeadd00d,
      modelNumber: 4094,
      nvMajor: 1,
      nvMinor: 2,
      softwareVersion: '1.0',
      producer: 'QMSL 6.0.11',
    });
    expect(qcn.items.map((i) => `${i.subscription}:${i.id}_${i.index}`)).toEqual([
      '0:10_0',
      '0:10_1',
      '0:5_0',
      '1:10_0',
    ]);
    expect(qcn.efs.find((f) => f.key === '5')?.path).toBe('/nv/item_files/rfnv/00024997');
    expect(bytesToHex(qcn.efs.find((f) => f.key === '5')?.data ?? new Uint8Array())).toBe('010203');
    expect(qcn.efs.find((f) => f.path === '/big')?.data.length).toBe(5000);
    expect(qcn.extra.map((e) => e.path)).toEqual(['00004094/default/Feature_Mask']);
    expect(warnings.map((w) => w.code).sort()).toEqual(['NV_EFS_BAD_QCN_BACKUP_HEADER', 'NV_EFS_QCN_RECORD_FLAG']);
  });
  it('read → write → read gives the same model (Feature_Mask and the odd header kept)', () => {
    const again = decodeQcn(encodeQcn(qcn)).qcn;
    expect(canon(again)).toEqual(canon(qcn));
  });
  it('negatives: 135-B array, length 0x87, unpaired Dir, truncated file, not a CFB', () => {
    expect(code(() => decodeQcn(vec('foreign-135.qcn')))).toBe('NV_EFS_BAD_QCN_RECORD');
    expect(code(() => decodeQcn(vec('foreign-len87.qcn')))).toBe('NV_EFS_BAD_QCN_RECORD');
    expect(code(() => decodeQcn(vec('foreign-unpaired.qcn')))).toBe('NV_EFS_QCN_UNPAIRED');
    expect(code(() => decodeQcn(vec('foreign.qcn').subarray(0, 3000)))).toMatch(/NV_EFS_QCN_CORRUPT|NV_TRUNCATED/);
    expect(code(() => decodeQcn(new Uint8Array(1024)))).toBe('NV_EFS_BAD_QCN_SIGNATURE');
    expect(code(() => decodeQcn(encodeCfb([{ path: 'File_Version', type: 'stream', data: new Uint8Array(6) }])))).toBe(
      'NV_EFS_QCN_NO_MODEL',
    );
  });
  it('a FAT chain loop is NV_EFS_QCN_CORRUPT', () => {
    const b = encodeCfb([{ path: 'x/default/big', type: 'stream', data: new Uint8Array(9000) }]);
    const v = new DataView(b.buffer);
    // FAT is sector 0 (file offset 512); point the big stream's 2nd sector back to its 1st.
    const dir = new DataView(b.buffer, 512 * (1 + v.getUint32(0x30, true)));
    let start = -1;
    for (let i = 0; i < 4; i++) if (dir.getUint8(128 * i + 0x42) === 2) start = dir.getUint32(128 * i + 0x74, true);
    v.setUint32(512 + 4 * (start + 1), start, true);
    expect(code(() => decodeCfb(b))).toBe('NV_EFS_QCN_CORRUPT');
  });
});

describe('QCN → EFS tree (§3.6, §3.7) and back (§3.8)', () => {
  const { qcn } = decodeQcn(vec('foreign.qcn'));
  const nvInfo = parseNvInfo({ '10': { size: 2, arraySize: 2 }, '5': 2 });
  it('an unknown internal size is an error with advice, or a warning with skipUnknown', () => {
    expect(code(() => qcnToEfsTree(qcn))).toBe('NV_EFS_NV_INFO_MISSING');
    const { tree, warnings } = qcnToEfsTree(qcn, { skipUnknown: true });
    expect(tree.entries.some((e) => e.path.startsWith('/nvm/num/'))).toBe(false);
    expect(warnings.filter((w) => w.code === 'NV_EFS_NV_INFO_MISSING').length).toBe(4);
  });
  it('writes /nvm/num/<id>[_k] with the exact size, context1 for SIM_1, store precedence, skips', () => {
    const { tree, warnings } = qcnToEfsTree(qcn, { nvInfo });
    const get = (p: string) => tree.entries.find((e) => e.path === p);
    expect(bytesToHex(get('/nvm/num/10')?.data ?? new Uint8Array())).toBe('1f00');
    expect(bytesToHex(get('/nvm/num/10_1')?.data ?? new Uint8Array())).toBe('0200');
    expect(bytesToHex(get('/nvm/num/5')?.data ?? new Uint8Array())).toBe('3412');
    expect(bytesToHex(get('/nvm/context1/10')?.data ?? new Uint8Array())).toBe('0900');
    expect(get('/nvm/num/10')?.mode).toBe(0o160777);
    expect(get('/nvm/num')?.mode).toBe(0o40777);
    // Provisioning wins over NV_Items for the same path (different bytes → warning).
    expect(bytesToHex(get('/nv/item_files/modem/mmode/x')?.data ?? new Uint8Array())).toBe('08');
    expect(warnings.some((w) => w.code === 'NV_EFS_PATH_CONFLICT')).toBe(true);
    expect(get('/big')?.type).toBe('file');
    expect(get('/empty')).toBeUndefined();
    expect(warnings.filter((w) => w.code === 'NV_EFS_QCN_SKIPPED_ENTRY').length).toBe(2);
    expect(
      qcnToEfsTree(qcn, { nvInfo, relativeRoot: '/' }).tree.entries.some(
        (e) => e.path === '/pdp_profiles/Subs1/profile1',
      ),
    ).toBe(true);
  });
  it('index ≥ arraySize is NV_EFS_NV_INDEX_RANGE; bad info tables are NV_EFS_BAD_NV_INFO', () => {
    expect(
      code(() =>
        qcnToEfsTree(qcn, {
          nvInfo: parseNvInfo([
            { id: 10, size: 2, arraySize: 1 },
            { id: 5, size: 2 },
          ]),
        }),
      ),
    ).toBe('NV_EFS_NV_INDEX_RANGE');
    expect(code(() => parseNvInfo({ '10': { size: 200 } }))).toBe('NV_EFS_BAD_NV_INFO');
    expect(code(() => parseNvInfo('x'))).toBe('NV_EFS_BAD_NV_INFO');
  });
  it('EFS tree → QCN → EFS tree keeps every file', () => {
    const { tree } = qcnToEfsTree(qcn, { nvInfo });
    const { qcn: q2 } = efsTreeToQcn(tree);
    const rec10 = q2.items.find((i) => i.id === 10 && i.index === 1 && i.subscription === 0);
    expect(bytesToHex(rec10?.payload.subarray(0, 4) ?? new Uint8Array())).toBe('01020000');
    expect(q2.efs.find((f) => f.path === '/nv/item_files/rfnv/00024997')?.store).toBe('NV_Items');
    const back = qcnToEfsTree(decodeQcn(encodeQcn(q2)).qcn, { nvInfo: nvInfoFromTree(tree) }).tree;
    const hex = (t: typeof tree) =>
      t.entries.map((e) => `${e.path} ${e.type} ${bytesToHex(e.data ?? new Uint8Array())}`).sort();
    expect(hex(back)).toEqual(hex(tree));
  });
  it('conf-listed paths go to Provisioning_Item_Files, .bl folders to EFS_Backup', () => {
    const f = (path: string, data: string) => ({
      path,
      type: 'file' as const,
      mode: 0o100777,
      uid: 0,
      gid: 0,
      mtime: 0,
      data: encodeLatin1(data),
    });
    const { qcn: q, warnings } = efsTreeToQcn({
      entries: [
        f('/nv/item_files/conf/mcfg.conf', '/nv/item_files/mcfg/a\n'),
        f('/nv/item_files/mcfg/a', '\x01'),
        f('/nv/item_store/rfnv/rfc.bl', '/rfc/'),
        f('/rfc/x', 'x'),
        f('/other', 'o'),
      ],
    });
    expect(q.efs.map((e) => `${e.store} ${e.path}`).sort()).toEqual([
      'EFS_Backup /other',
      'EFS_Backup /rfc/x',
      'Provisioning_Item_Files /nv/item_files/mcfg/a',
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['NV_EFS_STORE_GUESSED']);
  });
});

describe('QCN reader fuzz: only NvError, no hang', () => {
  const base = vec('foreign.qcn');
  it('bit flips, truncation and inflated lengths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 12 }),
        fc.nat(base.length),
        (flips, cut) => {
          const b = base.slice(0, Math.max(cut, 1));
          for (const [i, x] of flips) if (i < b.length) b[i] = (b[i] as number) ^ x;
          try {
            decodeQcn(b);
          } catch (e) {
            if (!NvError.isInstance(e)) throw e;
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('random models round-trip through encodeQcn/decodeQcn', () => {
    const item = fc.record({
      id: fc.integer({ min: 0, max: 65535 }),
      index: fc.integer({ min: 0, max: 255 }),
      subscription: fc.integer({ min: 0, max: 2 }),
      payload: fc.uint8Array({ minLength: 128, maxLength: 128 }),
    });
    const file = fc.record({
      store: fc.constantFrom('NV_Items' as const, 'Provisioning_Item_Files' as const, 'EFS_Backup' as const),
      path: fc.stringMatching(/^\/[a-z0-9_/]{1,40}$/),
      data: fc.uint8Array({ maxLength: 5000 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(item, { selector: (i) => `${i.subscription}/${i.id}/${i.index}`, maxLength: 20 }),
        fc.uniqueArray(file, { selector: (f) => `${f.store}${f.path}`, maxLength: 10 }),
        (items, efs) => {
          const q: Qcn = { model: 7, items, efs, extra: [] };
          const back = decodeQcn(encodeQcn(q)).qcn;
          expect(canon({ ...back, propertyInfo: undefined, fileVersion: undefined } as unknown as Qcn)).toEqual(
            canon({ ...q } as Qcn),
          );
        },
      ),
      { numRuns: Math.min(FUZZ_RUNS, 60) },
    );
  });
});

describe('XQCN (§2.5)', () => {
  const rec = `88 00 01 00 0A 00 00 00 00 1F 00 ${'00 '.repeat(125)}`;
  const text = `<?xml version='1.0'?>
<QCN>
  <Stream Value='02 00 00 00 0000' Name="File_Version"/>
  <Storage Name='00000000'>
    <Storage Name="default">
      <Stream Name="Mobile_Property_Info" Length="16" Value="00000000 0000 0000 0000 0000"/>
      <Storage Name="NV_Items">
        <Storage Name="EFS_Dir"><Stream Name="00000000" Value="${Array.from(new TextEncoder().encode('/nv/item_files/rfnv/00024997'), (b) => b.toString(16)).join(' ')}"/></Storage>
        <Storage Name="EFS_Data"><Stream Name="00000000" Length="5" Value="010203"/></Storage>
      </Storage>
      <Storage Name="NV_NUMBERED_ITEMS"><Stream Name="NV_ITEM_ARRAY" Length="136" Value="${rec}"/></Storage>
    </Storage>
  </Storage>
</QCN>`;
  it('reads real-file quirks: quotes, attribute order, missing Length, unseparated bytes; Length mismatch warns', () => {
    const { qcn, warnings } = decodeXqcn(text, 'x.xqcn');
    expect(qcn.fileVersion).toEqual([2, 0, 0]);
    expect(bytesToHex(qcn.items[0]?.payload.subarray(0, 3) ?? new Uint8Array())).toBe('001f00');
    expect(bytesToHex(qcn.efs[0]?.data ?? new Uint8Array())).toBe('010203');
    expect(warnings.map((w) => w.code)).toEqual(['NV_EFS_BAD_XQCN_VALUE', 'NV_EFS_BAD_XQCN_VALUE']);
  });
  it('QCN → XQCN → model equals QCN → model; bad Value is an error', () => {
    const { qcn } = decodeQcn(vec('foreign.qcn'));
    const viaX = decodeXqcn(encodeXqcn(qcn)).qcn;
    expect(canon(viaX)).toEqual(canon(decodeQcn(encodeQcn(qcn)).qcn));
    expect(code(() => decodeXqcn('<QCN><Stream Name="a" Value="123"/></QCN>'))).toBe('NV_EFS_BAD_XQCN_VALUE');
    expect(code(() => decodeXqcn('<QCN><Stream Name="a" Value="zz"/></QCN>'))).toBe('NV_EFS_BAD_XQCN_VALUE');
  });
});
