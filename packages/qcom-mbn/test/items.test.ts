import { describe, it, expect } from 'vitest';
import { buildItems } from '../src/items.ts';
import { parseMcfgXml } from '../src/xml.ts';
import type { McfgFinding } from '../src/model.ts';
import { D2, code, doc, files, hex, items } from './_xml.ts';

describe('§2.3 dialect rows', () => {
  const nv = (
    attr: string,
    extra = '',
    members = '<Member type="uint8">7</Member><Member type="uint8">2</Member><Member type="uint16">0x1234</Member>',
  ): string => `<NvItemData id="10" mcfgAttributes="${attr}" mcfgVariant="1"${extra}>${members}</NvItemData>`;
  it('subs mask: d1 first Member, d2 subscription_mask attribute prepended', () => {
    expect(items(doc(nv('0x19')))).toEqual([['nv', '1', '19', '10', '07023412']]);
    expect(items(doc(nv('0x19', ' subscription_mask="0x03"'), D2))).toEqual([['nv', '1', '19', '10', '0307023412']]);
  });
  it('trimming: d1 on D set or C clear, d2 only on D set and C clear (C wins)', () => {
    expect(items(doc(nv('0x78')))).toEqual([['nv', '1', '78', '10', '0702']]);
    expect(items(doc(nv('0x1A')))).toEqual([['nv', '1', '1a', '10', '07']]);
    expect(items(doc(nv('0x41')))).toEqual([['nv', '1', '41', '10', '']]);
    expect(items(doc(nv('0x41'), D2))).toEqual([['nv', '1', '41', '10', '07023412']]);
    expect(items(doc(nv('0x50', ' subscription_mask="7"'), D2))).toEqual([['nv', '1', '50', '10', '07']]);
  });
  it('zero-size items are dropped unless trimmed', () => {
    const warnings: McfgFinding[] = [];
    expect(items(doc(nv('0x01', '', ''), undefined), undefined, warnings)).toEqual([]);
    expect(warnings.length).toBe(1);
  });
  it('duplicates: d1 drops the later one, d2 fails; allowed with 0x10/0x20 or variant 3/4', () => {
    const warnings: McfgFinding[] = [];
    expect(items(doc(nv('0x01') + nv('0x01', '', '<Member type="uint8">9</Member>')), undefined, warnings)).toEqual([
      ['nv', '1', '1', '10', '07023412'],
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['NV_MBN_DUPLICATE']);
    expect(code(() => items(doc(nv('0x01') + nv('0x01'), D2)))).toBe('NV_MBN_DUPLICATE');
    expect(items(doc(nv('0x19') + nv('0x19'))).length).toBe(2);
    expect(items(doc(nv('0x19', ' subscription_mask="1"') + nv('0x19', ' subscription_mask="2"'), D2)).length).toBe(2);
  });
  it('d2 attribute checks: attr ≠ 0, C clear needs D or M, mask & 7 ≠ 0; d1 has none', () => {
    expect(code(() => items(doc(nv('0'), D2)))).toBe('NV_MBN_ATTR_NO_ACTION');
    expect(code(() => items(doc(nv('0x08'), D2)))).toBe('NV_MBN_ATTR_NO_ACTION');
    expect(code(() => items(doc(nv('0x19', ' subscription_mask="0x08"'), D2)))).toBe('NV_MBN_SUBS_MASK');
    expect(code(() => items(doc(nv('0x19'), D2)))).toBe('NV_MBN_SUBS_MASK');
    expect(items(doc(nv('0x08'))).length).toBe(1);
  });
});

describe('§2.4 file elements', () => {
  it('NvEfsFile: metadata bytes ++ file; empty buildPath = last part of targetPath; limits', () => {
    const r = files({ 'conf.bin': Uint8Array.of(1, 2, 3), big: new Uint8Array(65536) });
    expect(
      items(
        doc(
          '<NvEfsFile targetPath="/nv/item_files/x/conf.bin" buildPath="" mcfgAttributes="0x19"><Member sizeOf="1" type="uint8">7</Member></NvEfsFile>',
        ),
        r,
      ),
    ).toEqual([['efs', '2', '19', '/nv/item_files/x/conf.bin', '07010203']]);
    expect(
      items(
        doc('<NvEfsFile targetPath="/a" buildPath="conf.bin" mcfgAttributes="0x19" subscription_mask="3"/>', D2),
        r,
      ),
    ).toEqual([['efs', '2', '19', '/a', '03010203']]);
    expect(code(() => items(doc('<NvEfsFile targetPath="/a" buildPath="big" mcfgAttributes="1"/>'), r))).toBe(
      'NV_MBN_EFS_TOO_LARGE',
    );
    expect(code(() => items(doc('<NvEfsFile targetPath="/a" buildPath="nope" mcfgAttributes="1"/>'), r))).toBe(
      'NV_MBN_XML_FILE_MISSING',
    );
    expect(code(() => items(doc('<NvEfsFile targetPath="/a" buildPath="conf.bin" mcfgAttributes="0x21"/>'), r))).toBe(
      'NV_MBN_XML_EFS_META',
    );
    expect(
      code(() =>
        items(
          doc(
            '<NvEfsFile targetPath="/a" buildPath="conf.bin" mcfgAttributes="0x01"><Member type="uint16">7</Member></NvEfsFile>',
          ),
          r,
        ),
      ),
    ).toBe('NV_MBN_XML_EFS_META');
    // D set: the file is not read at all.
    expect(items(doc('<NvEfsFile targetPath="/a" buildPath="nope" mcfgAttributes="0x40"/>'), r)).toEqual([
      ['efs', '2', '40', '/a', ''],
    ]);
  });
  it('NvEfsDir: files, then sub-folders breadth-first, byte order, targets normalised', () => {
    const r = files(
      { 'd/b': Uint8Array.of(2), 'd/A': Uint8Array.of(1), 'd/s p/x': Uint8Array.of(3), 'd/s p/z/y': Uint8Array.of(4) },
      {
        d: { files: ['b', 'A'], dirs: ['s p'] },
        'd/s p': { files: ['x'], dirs: ['z'] },
        'd/s p/z': { files: ['y'], dirs: [] },
      },
    );
    const warnings: McfgFinding[] = [];
    expect(
      items(doc('<NvEfsDir targetPath="nv/item_files/t" buildPath="d" mcfgAttributes="0x01"/>'), r, warnings).map(
        (i) => [i[3], i[4]],
      ),
    ).toEqual([
      ['/nv/item_files/t/A', '01'],
      ['/nv/item_files/t/b', '02'],
      ['/nv/item_files/t/s_p/x', '03'],
      ['/nv/item_files/t/s_p/z/y', '04'],
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['NV_MBN_XML_DIR_ORDER']);
    expect(code(() => items(doc('<NvEfsDir targetPath="/t" buildPath="d" mcfgAttributes="0x11"/>'), r))).toBe(
      'NV_MBN_XML_DIALECT',
    );
  });
  it('GroupFile inlines its items and checks the version; NvPrlFile builds NV 257', () => {
    const group = new TextEncoder().encode(
      '<NvData><NvConfigurationData type="1" version="0x0501050d"/><NvItemData id="11" mcfgAttributes="1" mcfgVariant="1"><Member type="uint8">9</Member></NvItemData></NvData>',
    );
    const prl = Uint8Array.of(0x00, 0x06, 0x12, 0x34, 0xaa, 0xbb);
    const r = files({ 'g.xml': group, 'p.prl': prl });
    expect(items(doc('<GroupFile buildPath="g.xml" version="0x0501050D"/>'), r)).toEqual([
      ['nv', '1', '1', '11', '09'],
    ]);
    expect(code(() => items(doc('<GroupFile buildPath="g.xml" version="0x0501050E"/>'), r))).toBe(
      'NV_MBN_XML_GROUP_VERSION',
    );
    expect(items(doc('<NvPrlFile buildPath="p.prl" mcfgAttributes="0x01"/>'), r)).toEqual([
      ['nv', '1', '1', '257', '003412300000000100061234aabb'],
    ]);
  });
});

describe('§2.2 leading whitespace (dialect 1)', () => {
  it('warns NV_MBN_XML_MEMBER_WS; --quirks=jo adds the extra leading 0 element the JO generator writes', () => {
    const xml = doc(
      '<NvItemData id="10" mcfgAttributes="1" mcfgVariant="1"><Member sizeOf="2" type="uint8">\n 5 6</Member></NvItemData>',
    );
    const warnings: McfgFinding[] = [];
    expect(
      buildItems(parseMcfgXml(xml), undefined, { onWarning: (f) => warnings.push(f) }).map((i) => hex(i.data)),
    ).toEqual(['0506']);
    expect(warnings.map((w) => w.code)).toEqual(['NV_MBN_XML_MEMBER_WS']);
    expect(buildItems(parseMcfgXml(xml), undefined, { quirks: 'jo' }).map((i) => hex(i.data))).toEqual(['000506']);
    expect(
      buildItems(parseMcfgXml(xml.replace('<NvData>', D2)), undefined, { quirks: 'jo' }).map((i) => hex(i.data)),
    ).toEqual(['0506']);
  });
});
