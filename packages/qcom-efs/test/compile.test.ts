import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { bytesToHex } from '@nv/core/bytes';
import { FUZZ_RUNS, hasTool, nvErrorCode as code } from '../../../scripts/test-tools.ts';
import { compileNvSource, layoutSize, nvInfoFromDefinition, parseNvDefinition } from '../src/compile.ts';
import { decodeQcn, encodeQcn } from '../src/qcn.ts';
import { parseXml, type XmlResolver } from '../src/xml.ts';
import { compileNvSourceFiles, nodeXmlResolver } from '../src/node-inputs.ts';
import { NODE_DEFLATE } from '../src/node-zlib.ts';

// Hand-written fixtures (docs/formats/qcn.md#test-vectors): definition with every member kind, master + 3 includes.
const DEF = `<?xml version="1.0"?>
<NvDefinition>
  <DataType name="uint8" typeid="1"><Member type="uint8" sizeOf="1"/></DataType>
  <DataType name="uint16"><Member type="uint16" sizeOf="1"/></DataType>
  <DataType name="rec40"><Member type="uint32" sizeOf="3"/><Member type="int16" sizeOf="1"/><Member type="uint32" sizeOf="3"/><Member type="int16" sizeOf="1"/><Member type="uint32" sizeOf="3"/></DataType>
  <DataType name="pair"><Member type="uint8" sizeOf="1"/><Member type="int16" sizeOf="1"/></DataType>
  <DataType name="triple"><Member type="pair" sizeOf="3"/></DataType>
  <DataType name="Variant_Marker" typeid="99"><Member type="uint16" sizeOf="1"/></DataType>
  <DataType name="DataType_Header" typeid="98"><Member type="uint16" sizeOf="1"/></DataType>
  <DataType name="i32x16" typeid="113"><Member type="int32" sizeOf="16"/></DataType>
  <NvItem id="10" name="NV_PREF_MODE_I" permission="rw" maxIndex="1"><Member type="uint8" sizeOf="1" name="nam"/><Member type="uint16" sizeOf="1" name="mode"/></NvItem>
  <NvItem id="20" name="S16" permission="rw"><Member type="int16" sizeOf="1"/></NvItem>
  <NvItem id="21" name="U8" permission="rw"><Member type="uint8" sizeOf="1"/></NvItem>
  <NvItem id="30" name="REC" permission="rw"><Member type="rec40" sizeOf="1"/></NvItem>
  <NvItem id="31" name="TRIPLE" permission="rw"><Member type="triple" sizeOf="1"/><Member type="int64" sizeOf="1"/><Member type="uint64" sizeOf="1"/><Member type="int8" sizeOf="1"/></NvItem>
  <NvItem id="24997" name="RF" permission="rw"><Member type="int8" sizeOf="8"/></NvItem>
  <NvItem id="24998" name="RFVAR" permission="rw" variableSize="true"><Member type="uint64" sizeOf="4"/></NvItem>
  <NvItem id="24999" name="RFZ" permission="rw" compressed="true"><Member type="uint16" sizeOf="20"/></NvItem>
  <NvItem id="25000" name="RFVARIANT" permission="rw" variantType="true"><Member type="uint8" sizeOf="1"/></NvItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" name="auto" permission="rw"><Member type="uint8" sizeOf="1"/></NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/ims/qos" name="qos" permission="rw"><Member type="uint8" sizeOf="1" name="qos"/><Member type="uint16" sizeOf="1" name="rtcp"/></NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/var" name="var" permission="rw" variableSize="true"><Member type="rec40" sizeOf="48"/></NvEfsItem>
</NvDefinition>`;

const MASTER = `\uFEFF<NvSource xmlns:xi="http://www.w3.org/2001/XInclude">
  <!-- bands -->
  <xi:include href="Bands/BAND_A.xml#xpointer(/NvSource/*)"/>
  <xi:include href="common.XML#xpointer(/NvSource/*)"/>
  <NvItem id="10" encoding="dec" index="0">0,31,</NvItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" mapping="direct" encoding="dec" useProvisioningStore ="true">7</NvEfsItem>
</NvSource>`;
const BAND_A = `<NvSource>
  <NvItem id="10" encoding="dec">0,1</NvItem>
  <NvItem id="20" encoding="dec">-740</NvItem>
  <NvItem id="21" encoding="dec">-1</NvItem>
  <NvItem id="24997" encoding="hex">0x1 2 0x3 ff</NvItem>
  <xi:include href="nested.xml#xpointer(/NvSource/*)"/>
</NvSource>`;
const NESTED = `<NvSource>
  <NvItem id="24998" encoding="dec">1,2</NvItem>
  <NvItem id="24999" encoding="dec">5</NvItem>
  <NvItem id="30" encoding="dec">1,2,3,-4,5,6,7,-8,9,10,11</NvItem>
  <NvItem id="31" encoding="hex">1 2 3 4 5 6 -1 ffffffffffffffff 7f</NvItem>
  <NvItem id="25000" encoding="dec">0 1 113 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16</NvItem>
  <NvItem id="22" encoding="dec">5</NvItem>
  <NvItem id="23" encoding="dec">5 6</NvItem>
  <NvItem id="6" mapping="byteStream" encoding="hex">de ad 0xbe EF -1</NvItem>
  <NvItem id="10" subscriptionid="1" encoding="dec">0,2</NvItem>
</NvSource>`;
const COMMON = `<NvSource>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" encoding="dec">9</NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/ims/qos" encoding="hex"><rtcp>0x102</rtcp><qos>0x1</qos></NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/var" encoding="dec">${Array.from({ length: 22 }, (_, i) => i + 1).join(',')}</NvEfsItem>
</NvSource>`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nv-efs-xml-'));
  mkdirSync(join(dir, 'bands'));
  writeFileSync(join(dir, 'def.xml'), DEF);
  writeFileSync(join(dir, 'master.xml'), MASTER);
  writeFileSync(join(dir, 'bands/band_a.xml'), BAND_A); // href says Bands/BAND_A.xml: case-insensitive match
  writeFileSync(join(dir, 'bands/nested.xml'), NESTED);
  writeFileSync(join(dir, 'common.xml'), COMMON);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const memResolver = (files: Record<string, string>): XmlResolver => ({
  read: (p) => files[p],
  list: (d) => {
    const pre = d === '.' ? '' : `${d.replace(/^\.\//, '')}/`;
    return [
      ...new Set(
        Object.keys(files)
          .filter((f) => f.startsWith(pre))
          .map((f) => f.slice(pre.length).split('/')[0] as string),
      ),
    ];
  },
});

describe('NvSource compile (§3.1–§3.4 known answers)', () => {
  const run = () => compileNvSourceFiles(join(dir, 'master.xml'), join(dir, 'def.xml'));
  it('places every item and packs the §3.3 table values', () => {
    const { qcn, items, efsItems, warnings } = run();
    const rec = (id: number, sub = 0) =>
      bytesToHex(qcn.items.find((i) => i.id === id && i.subscription === sub)?.payload ?? new Uint8Array());
    const efs = (p: string) => qcn.efs.find((f) => f.path === p);
    expect(rec(10)).toBe('001f00'); // master overrides BAND_A (last wins)
    expect(rec(10, 1)).toBe('000200');
    expect(rec(20)).toBe('1cfd'); // -740 int16
    expect(rec(21)).toBe('ff'); // -1 uint8
    expect(rec(30).length).toBe(80); // 40-B struct
    expect(rec(30)).toBe('010000000200000003000000fcff050000000600000007000000f8ff090000000a0000000b000000');
    expect(rec(31)).toBe(`010200030400050600${'ff'.repeat(16)}7f`);
    expect(rec(22)).toBe('05');
    expect(rec(6)).toBe('deadbeefff');
    expect(qcn.items.some((i) => i.id === 23)).toBe(false);
    expect(bytesToHex(efs('/nv/item_files/rfnv/00024997')?.data ?? new Uint8Array())).toBe('010203ff00000000');
    expect(bytesToHex(efs('/nv/item_files/rfnv/00024998')?.data ?? new Uint8Array())).toBe(
      '01000000000000000200000000000000',
    ); // variableSize NvItem: written slots only
    const z = efs('/nv/item_files/rfnv/00024999')?.data ?? new Uint8Array();
    expect(bytesToHex(z.subarray(0, 2))).toBe('789c');
    expect(efs('/nv/item_files/rfnv/00025000')?.data.length).toBe(70); // variant: 00 00 01 00 71 00 + 16 × int32
    expect(bytesToHex(efs('/nv/item_files/rfnv/00025000')?.data.subarray(0, 10) ?? new Uint8Array())).toBe(
      '00000100710001000000',
    );
    const auto = efs('/nv/item_files/mcfg/mcfg_autoselect_by_uim');
    expect(auto?.store).toBe('Provisioning_Item_Files'); // master's duplicate wins, including its store
    expect(bytesToHex(auto?.data ?? new Uint8Array())).toBe('07');
    expect(bytesToHex(efs('/nv/item_files/ims/qos')?.data ?? new Uint8Array())).toBe('010201');
    expect(efs('/nv/item_files/var')?.data.length).toBe(1920); // 48 × 40, padded
    expect(items).toBe(8);
    expect(efsItems).toBe(7);
    const codes = warnings.map((w) => w.code).sort();
    expect(codes).toContain('NV_EFS_XML_DUPLICATE');
    expect(codes.filter((c) => c === 'NV_EFS_XML_NO_DEFINITION').length).toBe(2); // 22 (1 byte) and 23 (dropped); byteStream needs none
    expect(codes).toContain('NV_EFS_XML_SUBSCRIPTION');
    expect(
      warnings.find((w) => w.code === 'NV_EFS_XML_DUPLICATE' && /mcfg_autoselect/.test(w.message))?.message,
    ).toMatch(/store NV_Items → Provisioning_Item_Files/);
  });
  it('the compiled QCN reads back; strict turns W/E into errors', () => {
    const { qcn } = run();
    const back = decodeQcn(encodeQcn(qcn)).qcn;
    expect(back.items.length).toBe(qcn.items.length);
    expect(back.efs.length).toBe(qcn.efs.length);
    expect(code(() => compileNvSourceFiles(join(dir, 'master.xml'), join(dir, 'def.xml'), { strict: true }))).toBe(
      'NV_EFS_XML_NO_DEFINITION',
    );
  });
  it('layout sizes: {uint8 nam; uint16} = 3, rec40 = 40, nested sizeOf=3', () => {
    const def = parseNvDefinition(parseXml(DEF, 'def.xml'));
    expect(layoutSize(def, def.items.get(10)!)).toBe(3);
    expect(layoutSize(def, def.items.get(30)!)).toBe(40);
    expect(layoutSize(def, def.items.get(31)!)).toBe(9 + 8 + 8 + 1);
    // docs/formats/qcn.md#nv-info (3) heuristic: indexed via maxIndex → size = layout − 1; RFNV ids are not legacy items.
    const info = nvInfoFromDefinition(def);
    expect(info.find((e) => e.id === 10)).toEqual({ id: 10, size: 2, arraySize: 2 });
    expect(info.find((e) => e.id === 30)).toEqual({ id: 30, size: 40, arraySize: 0 });
    expect(info.some((e) => e.id >= 20000)).toBe(false);
  });
});

describe.skipIf(!hasTool('python3'))(
  'compressed RFNV inflates (python3 zlib) to the packed layout (needs python3)',
  () => {
    it('zlib.decompress', () => {
      const { qcn } = compileNvSourceFiles(join(dir, 'master.xml'), join(dir, 'def.xml'));
      const z = qcn.efs.find((f) => f.path === '/nv/item_files/rfnv/00024999')?.data ?? new Uint8Array();
      const out = execFileSync(
        'python3',
        ['-c', 'import sys,zlib;sys.stdout.write(zlib.decompress(sys.stdin.buffer.read()).hex())'],
        { input: z, encoding: 'utf8' },
      );
      expect(out).toBe(`0500${'0000'.repeat(19)}`);
    });
  },
);

describe('errors name the file, item and token (§4)', () => {
  const def = parseNvDefinition(parseXml(DEF, 'def.xml'));
  const src = (body: string) => parseXml(`<NvSource>${body}</NvSource>`, 'm.xml');
  const c = (body: string) => code(() => compileNvSource(src(body), def, { deflate: NODE_DEFLATE }));
  it.each([
    ['<NvItem encoding="dec">1</NvItem>', 'NV_EFS_XML_MISSING_ATTR'],
    ['<NvEfsItem>1</NvEfsItem>', 'NV_EFS_XML_MISSING_ATTR'],
    ['<NvItem id="70000">1</NvItem>', 'NV_EFS_BAD_XML_ATTR'],
    ['<NvItem id="20" mapping="bits">1</NvItem>', 'NV_EFS_BAD_XML_ATTR'],
    ['<NvItem id="20" encoding="oct">1</NvItem>', 'NV_EFS_BAD_XML_ATTR'],
    ['<NvItem id="20" encoding="dec">0x1g</NvItem>', 'NV_EFS_BAD_XML_TOKEN'],
    ['<NvItem id="20" encoding="dec">1a</NvItem>', 'NV_EFS_BAD_XML_TOKEN'],
    ['<NvItem id="20" encoding="hex">zz</NvItem>', 'NV_EFS_BAD_XML_TOKEN'],
    ['<NvItem id="21" encoding="dec">256</NvItem>', 'NV_EFS_XML_VALUE_RANGE'],
    ['<NvItem id="21" encoding="dec">-129</NvItem>', 'NV_EFS_XML_VALUE_RANGE'],
    ['<NvItem id="21" encoding="dec">1 2</NvItem>', 'NV_EFS_XML_TOO_MANY_VALUES'],
    ['<NvItem id="25000" encoding="dec">0 1 77 1</NvItem>', 'NV_EFS_XML_VARIANT_TYPEID'],
    ['<NvEfsItem fullpathname="/nv/item_files/ims/qos"><bogus>1</bogus></NvEfsItem>', 'NV_EFS_XML_UNKNOWN_MEMBER'],
    ['<NvEfsItem fullpathname="/nv/item_files/ims/qos"><qos>1 2</qos></NvEfsItem>', 'NV_EFS_XML_UNKNOWN_MEMBER'],
    ['<NvItem id="7" mapping="byteStream" encoding="dec">' + '1 '.repeat(129) + '</NvItem>', 'NV_EFS_ITEM_TOO_LARGE'],
  ])('%s → %s', (body, expected) => {
    expect(c(body)).toBe(expected);
  });
  it('messages carry the file, item and token', () => {
    try {
      compileNvSource(src('<NvItem id="20" encoding="dec">12x</NvItem>'), def);
    } catch (e) {
      expect((e as Error).message).toMatch(/m\.xml: NvItem 20.*"12x"/);
    }
    expect.assertions(1);
  });
  it('unknown elements warn (error when strict); roots are checked', () => {
    const r = compileNvSource(src('<Foo/>'), def);
    expect(r.warnings[0]?.code).toBe('NV_EFS_XML_UNKNOWN_ELEMENT');
    expect(code(() => compileNvSource(src('<Foo/>'), def, { strict: true }))).toBe('NV_EFS_XML_UNKNOWN_ELEMENT');
    expect(code(() => compileNvSource(parseXml('<NvData/>', 'x.xml'), def))).toBe('NV_EFS_XML_MCFG_DIALECT');
    expect(code(() => compileNvSource(parseXml('<Other/>', 'x.xml'), def))).toBe('NV_EFS_XML_BAD_ROOT');
    expect(code(() => parseNvDefinition(parseXml('<NvSource/>', 'x.xml')))).toBe('NV_EFS_XML_BAD_ROOT');
    expect(code(() => parseXml('<NvSource><a></NvSource>', 'x.xml'))).toBe('NV_EFS_XML_MALFORMED');
  });
  it('definition negatives: duplicate typeid, unknown type, cycle, sizeOf="0"', () => {
    // Duplicates are errors only in strict mode (issue 14.3; the lenient default is tested below).
    const d = (body: string) =>
      code(() => parseNvDefinition(parseXml(`<NvDefinition>${body}</NvDefinition>`, 'd.xml'), { strict: true }));
    expect(
      d(
        '<DataType name="a" typeid="5"><Member type="uint8"/></DataType><DataType name="b" typeid="5"><Member type="uint8"/></DataType>',
      ),
    ).toBe('NV_EFS_DEF_DUPLICATE');
    expect(d('<NvItem id="1" name="x"><Member type="nope" sizeOf="1"/></NvItem>')).toBe('NV_EFS_DEF_UNKNOWN_TYPE');
    expect(d('<DataType name="a"><Member type="b"/></DataType><DataType name="b"><Member type="a"/></DataType>')).toBe(
      'NV_EFS_DEF_TYPE_CYCLE',
    );
    expect(d('<DataType name="a"><Member type="uint8" sizeOf="0"/></DataType>')).toBe('NV_EFS_BAD_DEF_SIZEOF');
    expect(
      d(
        '<NvItem id="1" name="x"><Member type="uint8"/></NvItem><NvItem id="1" name="y"><Member type="uint8"/></NvItem>',
      ),
    ).toBe('NV_EFS_DEF_DUPLICATE');
  });
  it('vendor NvDefinition files repeat entries: NV_EFS_DEF_DUPLICATE warns, the later wins; strict errors (issue 14.3)', () => {
    // As in a real vendor NvDefinition: NV 855 defined as uint8 and later as uint16, a name used twice, a DataType
    // and an NvEfsItem repeated, a typeid reused.
    const text = `<NvDefinition>
      <DataType name="t" typeid="113"><Member type="uint8"/></DataType>
      <NvItem id="855" name="NV_DUP_I"><Member type="uint8"/></NvItem>
      <NvItem id="856" name="NV_SAME_NAME_I"><Member type="uint8"/></NvItem>
      <NvItem id="857" name="NV_SAME_NAME_I"><Member type="uint8"/></NvItem>
      <NvEfsItem fullpathname="/nv/item_files/x" name="x"><Member type="uint8"/></NvEfsItem>
      <NvEfsItem fullpathname="/nv/item_files/x" name="x"><Member type="uint32"/></NvEfsItem>
      <DataType name="t" typeid="114"><Member type="uint16" sizeOf="2"/></DataType>
      <DataType name="u" typeid="114"><Member type="uint8"/></DataType>
      <NvItem id="855" name="NV_DUP_I"><Member type="uint16"/></NvItem>
    </NvDefinition>`;
    const def = parseNvDefinition(parseXml(text, 'NvDefinition.xml'));
    expect(def.warnings?.map((w) => w.code)).toEqual(new Array(5).fill('NV_EFS_DEF_DUPLICATE'));
    expect(def.warnings?.map((w) => w.message).join('\n')).toMatch(/NvItem 855 is defined twice; the later/);
    expect(layoutSize(def, def.items.get(855)!)).toBe(2); // uint16, the later definition
    expect(layoutSize(def, def.efsItems.get('/nv/item_files/x')!)).toBe(4);
    expect(def.dataTypes.get('t')?.members[0]).toMatchObject({ type: 'uint16', sizeOf: 2 });
    expect(def.dataTypes.get('t')?.typeid).toBeUndefined(); // typeid 114 went to u, the later
    expect(def.dataTypes.get('u')?.typeid).toBe(114);
    const r = compileNvSource(
      parseXml('<NvSource><NvItem id="855" encoding="dec">513</NvItem></NvSource>', 'm.xml'),
      def,
    );
    expect(bytesToHex(r.qcn.items[0]?.payload.subarray(0, 2) ?? new Uint8Array())).toBe('0102');
    expect(r.warnings.filter((w) => w.code === 'NV_EFS_DEF_DUPLICATE').length).toBe(5);
    expect(code(() => parseNvDefinition(parseXml(text, 'NvDefinition.xml'), { strict: true }))).toBe(
      'NV_EFS_DEF_DUPLICATE',
    );
  });
  it('legacy-NV definition files mark arrays with array_index (seen in a public device-dump NvDefinition)', () => {
    const def = parseNvDefinition(
      parseXml(
        `<NvDefinition>
          <NvItem id="10" name="NV_PREF_MODE_I" permission="readwrite" array_index="2">
            <Member type="uint8" sizeOf="1" name="" /><Member type="uint16" sizeOf="1" name="" /></NvItem>
          <NvItem id="5" name="NV_SLOT_CYCLE_INDEX_I" permission="readwrite" array_index="0">
            <Member type="int8" sizeOf="1" name="" /></NvItem>
        </NvDefinition>`,
        'd.xml',
      ),
    );
    expect(nvInfoFromDefinition(def)).toEqual([
      { id: 5, size: 1, arraySize: 0 },
      { id: 10, size: 2, arraySize: 2 },
    ]);
    const r = compileNvSource(
      parseXml('<NvSource><NvItem id="10" encoding="dec">1,31</NvItem></NvSource>', 'm.xml'),
      def,
    );
    expect(r.qcn.items[0]).toMatchObject({ id: 10, index: 1 });
  });
  it('0x tokens under encoding="dec" are hex, as QRCT compiles real master files (§3.3 1, issue 14.4)', () => {
    const def = parseNvDefinition(
      parseXml(
        '<NvDefinition><NvItem id="4000" name="a"><Member type="uint8" sizeOf="4"/><Member type="int16"/></NvItem></NvDefinition>',
        'd.xml',
      ),
    );
    const one = (body: string): string =>
      bytesToHex(
        compileNvSource(parseXml(`<NvSource>${body}</NvSource>`, 'm.xml'), def).qcn.items[0]?.payload.subarray(0, 6) ??
          new Uint8Array(),
      );
    expect(one('<NvItem id="4000" encoding="dec">0x00,0x1F,0xff, 10, -0x2</NvItem>')).toBe('001fff0afeff');
    expect(one('<NvItem id="4000" mapping="byteStream" encoding="dec">0x00,0x10,7</NvItem>')).toBe('001007');
    expect(code(() => one('<NvItem id="4000" encoding="dec">0x100</NvItem>'))).toBe('NV_EFS_XML_VALUE_RANGE');
  });
  it('include errors: missing, ambiguous, cycle, xpointer — naming the file', () => {
    const inc = (href: string) =>
      `<NvSource><xi:include href="${href}" xmlns:xi="http://www.w3.org/2001/XInclude"/></NvSource>`;
    const defText = '<NvDefinition/>';
    const go = (files: Record<string, string>) =>
      code(() => compileNvSource(loadVia(files), parseNvDefinition(parseXml(defText, 'd.xml'))));
    const loadVia = (files: Record<string, string>) => {
      const r = memResolver(files);
      return nodeLoad(r);
    };
    expect(go({ 'm.xml': inc('missing.xml#xpointer(/NvSource/*)') })).toBe('NV_EFS_XML_INCLUDE_NOT_FOUND');
    expect(go({ 'm.xml': inc('a.xml#xpointer(/NvSource/*)'), 'A.XML': '<NvSource/>', 'A.xml': '<NvSource/>' })).toBe(
      'NV_EFS_XML_INCLUDE_AMBIGUOUS',
    );
    expect(go({ 'm.xml': inc('b.xml#xpointer(/NvSource/*)'), 'b.xml': inc('m.xml#xpointer(/NvSource/*)') })).toBe(
      'NV_EFS_XML_INCLUDE_CYCLE',
    );
    expect(go({ 'm.xml': inc('b.xml'), 'b.xml': '<NvSource/>' })).toBe('NV_EFS_XML_XPOINTER_UNSUPPORTED');
    expect(go({ 'm.xml': inc('b.xml#xpointer(/x)'), 'b.xml': '<NvSource/>' })).toBe('NV_EFS_XML_XPOINTER_UNSUPPORTED');
    try {
      nodeLoad(
        memResolver({ 'm.xml': inc('b.xml#xpointer(/NvSource/*)'), 'b.xml': inc('m.xml#xpointer(/NvSource/*)') }),
      );
    } catch (e) {
      expect((e as Error).message).toMatch(/m\.xml → b\.xml → m\.xml/);
    }
  });
  it('include without xmlns:xi declaration is still an include', () => {
    const r = memResolver({
      'm.xml': '<NvSource><xi:include href="b.xml#xpointer(/NvSource/*)"/></NvSource>',
      'b.xml': '<NvSource><NvItem id="21">3</NvItem></NvSource>',
    });
    expect(bytesToHex(compileNvSource(nodeLoad(r), def).qcn.items[0]?.payload ?? new Uint8Array())).toBe('03');
  });
});

import { loadXml } from '../src/xml.ts';
function nodeLoad(r: XmlResolver) {
  return loadXml('m.xml', r);
}

describe('compiler fuzz: arbitrary text and values only throw NvError', () => {
  const def = parseNvDefinition(parseXml(DEF, 'def.xml'));
  it('random XML-ish input', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('10', '20', '30', '24999', '25000', '6'),
        fc.constantFrom('dec', 'hex'),
        (text, id, enc) => {
          for (const body of [
            text,
            `<NvSource><NvItem id="${id}" encoding="${enc}">${text.replace(/[<&]/g, '')}</NvItem></NvSource>`,
          ]) {
            try {
              compileNvSource(parseXml(body, 'f.xml'), def, { deflate: NODE_DEFLATE });
            } catch (e) {
              if (!NvError.isInstance(e)) throw e;
            }
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('nodeXmlResolver reads real files case-insensitively', () => {
    expect(nodeXmlResolver().read(join(dir, 'def.xml'))).toContain('NvDefinition');
  });
});

describe('hostile definitions (hardening pass)', () => {
  it('regression: Object.prototype names as member types are unknown types, not a RangeError (hand-made)', () => {
    // `type in PRIMITIVES` / PRIMITIVES[type] found Object.prototype.constructor & co.: NaN slot sizes, then BigInt(NaN).
    for (const ty of ['constructor', 'toString', '__proto__']) {
      const def = `<NvDefinition><NvItem id="5" name="x"><Member type="${ty}" sizeOf="1"/></NvItem></NvDefinition>`;
      let err: unknown;
      try {
        const d = parseNvDefinition(parseXml(def, 'd.xml'));
        compileNvSource(parseXml('<NvSource><NvItem id="5" encoding="dec">1</NvItem></NvSource>', 'm.xml'), d);
      } catch (e) {
        err = e;
      }
      expect(NvError.isInstance(err) && err.code).toBe('NV_EFS_DEF_UNKNOWN_TYPE');
    }
    // A DataType may still be named like one (it is a Map key).
    const d = parseNvDefinition(
      parseXml(
        '<NvDefinition><DataType name="constructor" typeid="1"><Member type="uint16" sizeOf="1"/></DataType><NvItem id="5" name="x"><Member type="constructor" sizeOf="2"/></NvItem></NvDefinition>',
        'd.xml',
      ),
    );
    expect(layoutSize(d, d.items.get(5)!)).toBe(4);
  });
});
