import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { diffMbn, diffRows } from '../src/diff.ts';
import { wrapCanonical } from '../src/elf.ts';
import { encodeMcfgSegment, type McfgSegmentParts } from '../src/encode.ts';
import { parseMbn } from '../src/parse.ts';
import { encodeTrailer } from '../src/trailer.ts';

const katMbn = new Uint8Array(readFileSync(new URL('./vectors/kat-4.5.mbn', import.meta.url)));
const kat = parseMbn(katMbn);
const { trailerPad: _pad, ...katParts } = kat;
const parts: McfgSegmentParts = { ...katParts, items: kat.items.map(({ offset: _o, ...i }) => i) };

describe('diff', () => {
  it('reports added, removed and changed items with decoded values and header/trailer fields', () => {
    const b = parseMbn(
      wrapCanonical(
        encodeMcfgSegment({
          ...parts,
          version: 0x0501050e,
          items: [
            { ...parts.items[0]!, data: Uint8Array.of(0x41, 0x54, 0x54, 0) },
            parts.items[1]!,
            { kind: 'nv', type: 1, attrib: 0x09, spOps: 0, spare: 0, nvId: 6873, data: Uint8Array.of(1) },
          ],
          trailerTlvs: encodeTrailer({
            version: 0x0501050e,
            name: 'Commercial-ATT',
            plmns: { list: [{ mcc: 310, mnc: 410 }] },
          }),
        }),
      ),
    );
    const d = diffMbn(kat, b);
    expect(d.added).toEqual([{ key: 'nv:6873', type: 1, attributes: 9, size: 1, hex: '01', int: 1 }]);
    expect(d.removed.map((r) => r.key)).toEqual(['efs:/nv/item_files/ims/qp_ims_dpl_config']);
    expect(d.changed).toContainEqual({ key: 'header:version', from: '0x0501050D', to: '0x0501050E' });
    expect(d.changed).toContainEqual({ key: 'trailer:name', from: 'Commercial-TMO', to: 'Commercial-ATT' });
    const nv71 = d.changed.find((c) => c.key === 'nv:71');
    expect(nv71).toMatchObject({ from: { text: 'TMO' }, to: { text: 'ATT', int: 0x545441 } });
    expect(d.changed.some((c) => c.key.startsWith('nv:848'))).toBe(false);
    expect(diffMbn(kat, kat)).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('diffRows: the text view `nv qcom mbn diff` prints', () => {
  it('one row per entry: + added, - removed, ~ changed, with attributes, mask and value', () => {
    const b = parseMbn(
      wrapCanonical(
        encodeMcfgSegment({
          ...parts,
          items: [
            parts.items[0]!,
            { kind: 'nv', type: 1, attrib: 0x19, spOps: 0, spare: 0, nvId: 6873, data: Uint8Array.of(7, 1) },
          ],
        }),
      ),
    );
    expect(diffRows(diffMbn(kat, b))).toEqual([
      ['+', 'nv:6873', 'attr 0x19 mask 0x07  1 (01)'],
      ['-', 'nv:848#0', expect.stringMatching(/^attr 0x29 {2}/)],
      ['-', 'efs:/nv/item_files/ims/qp_ims_dpl_config', expect.stringMatching(/^attr 0x09 {2}/)],
    ]);
    expect(diffRows(diffMbn(kat, kat))).toEqual([]);
  });
});
