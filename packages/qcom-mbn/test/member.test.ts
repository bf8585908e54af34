import { describe, it, expect } from 'vitest';
import { encodeMember } from '../src/member.ts';
import { buildMbn } from '../src/build.ts';
import { parseMbn } from '../src/parse.ts';
import { parseMcfgXml } from '../src/xml.ts';
import { code, doc, items, member } from './_xml.ts';

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
