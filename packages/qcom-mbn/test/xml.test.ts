import { describe, it, expect } from 'vitest';
import { NvError, bytesToHex } from '@nv/core';
import {
  buildItems,
  buildMbn,
  encodeMember,
  parseMbn,
  parseMcfgXml,
  toXml,
  type FileResolver,
  type McfgFinding,
} from '../src/index.ts';

const hex = (b: Uint8Array): string => bytesToHex(b);
const member = (type: string, value: string, sizeOf?: number, dialect: 1 | 2 = 1): string =>
  hex(encodeMember({ type, value, ...(sizeOf === undefined ? {} : { sizeOf }) }, dialect).bytes);
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (NvError.isInstance(error)) return error.code;
    throw error;
  }
  return 'no error';
};
const doc = (body: string, root = '<NvData>'): string =>
  `${root}<NvConfigurationData carrierIndex="0" version="0x0501050D" type="1"/>${body}<NvTrlRecord><Member sizeOf="5" type="uint8">0 2 0 0 1</Member></NvTrlRecord></NvData>`;
const D2 = '<NvData McfgXmlVersion="2.0">';
const items = (xml: string, resolver?: FileResolver, warnings: McfgFinding[] = []): string[][] =>
  buildItems(parseMcfgXml(xml), resolver, { onWarning: (f) => warnings.push(f) }).map((i) => [
    i.kind,
    String(i.type),
    i.attrib.toString(16),
    String(i.nvId ?? i.path),
    hex(i.data),
  ]);
const files = (
  map: Record<string, Uint8Array>,
  dirs: Record<string, { files: string[]; dirs: string[] }> = {},
): FileResolver => ({
  readFile: (p) => map[p],
  listDir: (p) => dirs[p],
});

describe('§2.2 value encodings', () => {
  it('integers: LE, masked two complement, widths > 4 B, zero padding, extra values', () => {
    expect(member('uint16', '0x1234')).toBe('3412');
    expect(member('int8', '180')).toBe('b4');
    expect(encodeMember({ type: 'int8', value: '180' }, 1).overflow).toBe(true);
    expect(member('int16', '-2')).toBe('feff');
    expect(member('int64', '-1')).toBe('ffffffff00000000');
    expect(member('uint64', '0x1122334455667788')).toBe('8877665544332211');
    expect(member('uint216', '0x01')).toBe(`01${'00'.repeat(26)}`);
    expect(member('uint8', '1 2', 4)).toBe('01020000');
    expect(member('uint8', '1 2 3', 2)).toBe('010203');
    expect(member('uint32', '', 1)).toBe('00000000');
  });
  it('strings (dialect 2 only), bad types and values', () => {
    expect(member('string', 'abc', 5, 2)).toBe('6162630000');
    expect(code(() => member('string', 'abcdef', 5, 2))).toBe('NV_MBN_XML_MEMBER_VALUE');
    expect(code(() => member('string', 'abc', 5, 1))).toBe('NV_MBN_XML_MEMBER_TYPE');
    expect(code(() => member('uint12', '1'))).toBe('NV_MBN_XML_MEMBER_TYPE');
    expect(code(() => member('uint8', '0X10'))).toBe('NV_MBN_XML_MEMBER_VALUE');
    expect(code(() => member('uint8', '1.5'))).toBe('NV_MBN_XML_MEMBER_VALUE');
  });
  it('attributes: mcfgAttributes is hex without 0x; decimal-only fields refuse 0x; version is LE', () => {
    expect(
      items(
        doc(
          '<NvItemData id="10" mcfgAttributes="19" mcfgVariant="1"><Member sizeOf="1" type="uint8">7</Member><Member sizeOf="1" type="uint8">1</Member></NvItemData>',
        ),
      ),
    ).toEqual([['nv', '1', '19', '10', '0701']]);
    expect(code(() => parseMcfgXml(doc('<NvItemData id="0x47" mcfgAttributes="1" mcfgVariant="1"/>')))).toBe(
      'NV_MBN_XML_ATTR',
    );
    expect(code(() => parseMcfgXml(doc('<NvItemData id="10" mcfgAttributes="zz"/>')))).toBe('NV_MBN_XML_ATTR');
    const f = parseMbn(buildMbn(parseMcfgXml(doc(''))));
    expect(f.version).toBe(0x0501050d);
  });
});

describe('§2.1 document structure', () => {
  it('errors: syntax, root, config, unknown element, trailer count, dialect mix', () => {
    expect(code(() => parseMcfgXml('<NvData><a></NvData>'))).toBe('NV_MBN_XML_SYNTAX');
    expect(code(() => parseMcfgXml('<Nv/>'))).toBe('NV_MBN_XML_ROOT');
    expect(code(() => parseMcfgXml('<NvData><NvTrlRecord/></NvData>'))).toBe('NV_MBN_XML_CONFIG');
    expect(code(() => parseMcfgXml(doc('<NvConfigurationData type="1" version="1"/>')))).toBe('NV_MBN_XML_CONFIG');
    expect(
      code(() =>
        parseMcfgXml(
          doc('<NvConfigurationData type="0x1" version="1"/>'.slice(0, 0) + '<NvEfsData fullpathname="/a"/>'),
        ),
      ),
    ).toBe('NV_MBN_XML_UNKNOWN_ELEMENT');
    expect(code(() => parseMcfgXml(doc('<NvTrlRecord/>')))).toBe('NV_MBN_XML_TRAILER_COUNT');
    expect(code(() => parseMcfgXml('<NvData><NvConfigurationData type="1" version="1"/></NvData>'))).toBe(
      'NV_MBN_XML_TRAILER_COUNT',
    );
    expect(code(() => parseMcfgXml(doc('<NvItemData id="1" mcfgAttributes="0x19" subscription_mask="7"/>')))).toBe(
      'NV_MBN_XML_DIALECT',
    );
  });
  it('comments and whitespace are ignored; the trailer is last whatever its position; NvConfigurationData anywhere', () => {
    const a =
      '<NvData>\n<!-- c -->\n<NvTrlRecord><Member sizeOf="5" type="uint8">0 2 0 0 1</Member></NvTrlRecord><NvItemData id="10" mcfgAttributes="1" mcfgVariant="1"><Member type="uint8">5</Member></NvItemData><NvConfigurationData version="0501050D" type="1"/></NvData>';
    const b = doc(
      '<NvItemData id="10" mcfgAttributes="0x01" mcfgVariant="1"><Member sizeOf="1" type="uint8">5</Member></NvItemData>',
    );
    expect(hex(buildMbn(parseMcfgXml(a)))).toBe(hex(buildMbn(parseMcfgXml(b))));
  });
  it('absent mcfgVariant: NV type 0 (as the vendor), EFS type 2', () => {
    expect(
      items(
        doc(
          '<NvItemData id="10" mcfgAttributes="1"><Member type="uint8">5</Member></NvItemData><NvEfsItemData fullpathname="/a" mcfgAttributes="1" mcfgVariant="0"><Member type="uint8">5</Member></NvEfsItemData>',
        ),
      ),
    ).toEqual([
      ['nv', '0', '1', '10', '05'],
      ['efs', '2', '1', '/a', '05'],
    ]);
  });
  it('forbidden items and NV id range', () => {
    expect(
      code(() =>
        items(
          doc('<NvItemData id="69" mcfgAttributes="1" mcfgVariant="1"><Member type="uint8">5</Member></NvItemData>'),
        ),
      ),
    ).toBe('NV_MBN_FORBIDDEN_ITEM');
    expect(
      code(() =>
        items(
          doc('<NvItemData id="7233" mcfgAttributes="1" mcfgVariant="1"><Member type="uint8">5</Member></NvItemData>'),
        ),
      ),
    ).toBe('NV_MBN_NV_ID_RANGE');
    expect(
      code(() =>
        items(
          doc(
            '<NvEfsItemData fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" mcfgAttributes="1"><Member type="uint8">5</Member></NvEfsItemData>',
          ),
        ),
      ),
    ).toBe('NV_MBN_FORBIDDEN_ITEM');
  });
});

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

describe('to-xml sidecars and raw items', () => {
  it('EFS data over 512 B goes to <name>.files/<targetPath>; odd items become nv:RawItem; both rebuild identically', () => {
    const big = Array.from({ length: 600 }, (_, i) => i & 0xff).join(' ');
    const xml = doc(
      `<NvEfsItemData fullpathname="/nv/item_files/big" mcfgAttributes="0x19"><Member type="uint8">7</Member><Member sizeOf="600" type="uint8">${big}</Member></NvEfsItemData>`,
    );
    const x = buildMbn(parseMcfgXml(xml));
    const t = toXml(parseMbn(x), { name: 'carrier' });
    expect(Object.keys(t.files)).toEqual(['carrier.files/nv/item_files/big']);
    expect(t.xml).toContain(
      '<NvEfsFile targetPath="/nv/item_files/big" buildPath="carrier.files/nv/item_files/big" mcfgAttributes="0x19">',
    );
    expect(hex(buildMbn(parseMcfgXml(t.xml), files(t.files)))).toBe(hex(x));
    // A delete that carries data cannot come from XML (the builder trims it): kept raw.
    const f = parseMbn(x);
    const odd = { ...f, items: [{ ...f.items[0]!, attrib: 0x40 }] };
    const t2 = toXml(odd);
    expect(t2.rawItems).toBe(1);
    expect(t2.xml).toContain('<nv:RawItem type="2" attrib="0x40" spOps="0" spare="0">');
    expect(t2.xml).toContain('xmlns:nv="urn:nv:mcfg:1"');
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

describe('hostile XML', () => {
  it('deep nesting and huge counts are NvErrors, not crashes', () => {
    expect(code(() => parseMcfgXml(`<NvData>${'<a>'.repeat(200000)}${'</a>'.repeat(200000)}</NvData>`))).toMatch(
      /^NV_MBN_XML_(SYNTAX|UNKNOWN_ELEMENT)$/,
    );
    expect(
      code(() =>
        buildItems(
          parseMcfgXml(
            doc(
              '<NvItemData id="10" mcfgAttributes="1" mcfgVariant="1"><Member sizeOf="999999999" type="uint8">1</Member></NvItemData>',
            ),
          ),
        ),
      ),
    ).toBe('NV_MBN_XML_ATTR');
    expect(
      code(() =>
        buildItems(
          parseMcfgXml(
            doc(
              '<NvItemData id="10" mcfgAttributes="1" mcfgVariant="1"><Member sizeOf="100000" type="uint4096">1</Member></NvItemData>',
            ),
          ),
        ),
      ),
    ).toBe('NV_LIMIT');
  });
});
