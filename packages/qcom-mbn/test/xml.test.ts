import { describe, it, expect } from 'vitest';
import { buildItems } from '../src/items.ts';
import { buildMbn } from '../src/build.ts';
import { parseMcfgXml } from '../src/xml.ts';
import { code, doc, hex, items } from './_xml.ts';

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
