import { describe, it, expect } from 'vitest';
import { buildMbn } from '../src/build.ts';
import { parseMbn } from '../src/parse.ts';
import { toXml } from '../src/to-xml.ts';
import { parseMcfgXml } from '../src/xml.ts';
import { doc, files, hex } from './_xml.ts';

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
