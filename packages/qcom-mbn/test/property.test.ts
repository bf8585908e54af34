import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { NvError } from '@nv/core';
import { bytesToHex } from '@nv/core/bytes';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import {
  buildMbn,
  diffMbn,
  lintMbn,
  parseMbn,
  parseMcfgXml,
  rehashMbn,
  sampleMcfgXml,
  toXml,
  writeMcfgXml,
} from '../src/index.ts';
import type { FileResolver, McfgItem, McfgXmlDocument, McfgXmlElement } from '../src/index.ts';
import { wrapCanonical } from '../src/elf.ts';
import { encodeMcfgSegment } from '../src/encode.ts';
import { buildItems } from '../src/items.ts';
import { isForbiddenNvId } from '../src/rules.ts';

const hex = (b: Uint8Array): string => bytesToHex(b);
const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const pathArb = fc.stringMatching(/^\/nv\/item_files\/[a-z0-9_]{1,12}(\/[a-z0-9_.]{1,12}){0,2}$/);

const itemArb: fc.Arbitrary<McfgItem> = fc.oneof(
  fc.record({
    kind: fc.constant('nv' as const),
    type: fc.constantFrom(0, 1, 3),
    attrib: fc.integer({ min: 0, max: 255 }),
    spOps: fc.constantFrom(0, 0, 0, 1),
    spare: fc.constant(0),
    nvId: fc.integer({ min: 0, max: 0xffff }),
    data: bytes(40),
  }),
  fc.record({
    kind: fc.constant('efs' as const),
    type: fc.constantFrom(2, 4, 5, 6),
    attrib: fc.integer({ min: 0, max: 255 }),
    spOps: fc.constant(0),
    spare: fc.constantFrom(0, 0, 0, 7),
    path: pathArb,
    data: bytes(700),
  }),
  fc.record({
    kind: fc.constant('opaque' as const),
    type: fc.constantFrom(7, 8, 9, 11, 12, 13, 16, 23, 27, 200),
    attrib: fc.integer({ min: 0, max: 255 }),
    spOps: fc.constant(0),
    spare: fc.constant(0),
    data: bytes(30),
  }),
);

const tlvArb = fc
  .array(fc.record({ id: fc.integer({ min: 0, max: 20 }), value: bytes(40) }), { maxLength: 8 })
  .map((tlvs) => Uint8Array.from(tlvs.flatMap((t) => [t.id, t.value.length, 0, ...t.value])));

const fileArb = fc.record({
  format: fc.constantFrom(3, 4, 3, 4, 5),
  configType: fc.constantFrom(0, 1),
  carrierIndex: fc.integer({ min: 0, max: 0xffff }),
  spareCrc: fc.constantFrom(0, 0, 0, 0x1234),
  version: fc.integer({ min: 0, max: 0xffffffff }),
  items: fc.array(itemArb, { maxLength: 12 }),
  trailerTlvs: tlvArb,
  container: fc.constantFrom('canonical', 'bare'),
});

type FileModel = typeof fileArb extends fc.Arbitrary<infer T> ? T : never;
function makeFile(m: FileModel): Uint8Array {
  const seg = encodeMcfgSegment(m);
  return m.container === 'bare' ? seg : wrapCanonical(seg);
}

function resolverOf(files: Readonly<Record<string, Uint8Array>>): FileResolver {
  return { readFile: (p) => files[p] };
}

describe('random binary models (fast-check)', () => {
  it('parse(encode(model)) gives the model back', () => {
    fc.assert(
      fc.property(fileArb, (m) => {
        const f = parseMbn(makeFile(m));
        expect(f.items.map((i) => ({ ...i, offset: undefined, data: hex(i.data) }))).toEqual(
          m.items.map((i) => ({ offset: undefined, ...i, data: hex(i.data) })),
        );
        expect([
          f.format,
          f.configType,
          f.carrierIndex,
          f.spareCrc,
          f.version,
          hex(f.trailerTlvs),
          f.itemCount,
        ]).toEqual([
          m.format,
          m.configType,
          m.carrierIndex,
          m.spareCrc,
          m.version,
          hex(m.trailerTlvs),
          m.items.length + 1,
        ]);
        expect(f.segmentSize % 4).toBe(0);
        expect(f.trailerPad.length).toBeGreaterThanOrEqual(1);
        expect(f.trailerPad.length).toBeLessThanOrEqual(4);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('build(toXml(parse(x))) === x, byte for byte, and rehash is the identity', () => {
    fc.assert(
      fc.property(fileArb, (m) => {
        const x = makeFile(m);
        const t = toXml(parseMbn(x));
        expect(hex(buildMbn(parseMcfgXml(t.xml), resolverOf(t.files)))).toBe(hex(x));
        expect(hex(rehashMbn(x))).toBe(hex(x));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

const memberArb = fc.oneof(
  fc.record({
    type: fc.constantFrom('uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'uint64', 'uint216'),
    sizeOf: fc.integer({ min: 0, max: 6 }),
    value: fc
      .array(
        fc.oneof(
          fc.integer({ min: -200, max: 70000 }).map(String),
          fc.integer({ min: 0, max: 0xffffffff }).map((v) => `0x${v.toString(16)}`),
        ),
        { maxLength: 6 },
      )
      .map((v) => v.join(' ')),
  }),
);
const attrArb = fc.integer({ min: 0, max: 255 });
const okId = fc.integer({ min: 0, max: 7232 }).filter((id) => !isForbiddenNvId(id));
const elementArb = (dialect: 1 | 2): fc.Arbitrary<McfgXmlElement> =>
  fc
    .oneof(
      fc.record({
        kind: fc.constant('NvItemData' as const),
        id: okId,
        attributes: attrArb,
        variant: fc.constantFrom(1, 3),
        members: fc.array(memberArb, { maxLength: 3 }),
      }),
      fc.record({
        kind: fc.constant('NvEfsItemData' as const),
        path: pathArb,
        attributes: attrArb,
        variant: fc.constantFrom(2, 4, 5),
        members: fc.array(memberArb, { maxLength: 3 }),
      }),
    )
    .map((e) => (dialect === 2 && e.attributes & 0x10 ? { ...e, subscriptionMask: 7 } : e));

describe('random XML documents (fast-check)', () => {
  for (const dialect of [1, 2] as const) {
    it(`dialect ${dialect}: parseMcfgXml(writeMcfgXml(doc)) = doc, and parse(build(doc)) has buildItems(doc)`, () => {
      fc.assert(
        fc.property(
          fc.record({
            carrierIndex: fc.integer({ min: 0, max: 0xffff }),
            version: fc.integer({ min: 0, max: 0xffffffff }),
            type: fc.constantFrom(0, 1),
          }),
          fc.array(elementArb(dialect), { maxLength: 8 }),
          (config, elements) => {
            const doc: McfgXmlDocument = {
              dialect,
              ...(dialect === 2 ? { xmlVersion: '2.0' } : {}),
              config,
              elements,
              trailer: [{ type: 'uint8', sizeOf: 5, value: '0 2 0 0 1' }],
            };
            expect(parseMcfgXml(writeMcfgXml(doc))).toEqual(doc);
            let items: McfgItem[];
            try {
              items = buildItems(doc);
            } catch (error) {
              // Dialect 2 refuses some attribute mixes and duplicates; those are errors, not crashes.
              expect(NvError.isInstance(error)).toBe(true);
              return;
            }
            const f = parseMbn(buildMbn(doc));
            expect(f.items.map((i) => [i.kind, i.type, i.attrib, i.nvId, i.path, hex(i.data)])).toEqual(
              items.map((i) => [i.kind, i.type, i.attrib, i.nvId, i.path, hex(i.data)]),
            );
            expect(f.format).toBe(dialect === 1 ? 3 : 4);
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
    });
  }
});

describe('mutation fuzz of the parser: only NvError, never a hang', () => {
  const seeds = [
    new Uint8Array(readFileSync(new URL('./vectors/kat-4.5.mbn', import.meta.url))),
    buildMbn(parseMcfgXml(sampleMcfgXml({ format: 4 }))),
    buildMbn(parseMcfgXml(sampleMcfgXml())).slice(0x2000),
  ];
  const mutation = fc.record({
    seed: fc.integer({ min: 0, max: seeds.length - 1 }),
    flips: fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { maxLength: 4 }),
    words: fc.array(
      fc.record({ at: fc.nat(), value: fc.constantFrom(0, 1, 7, 0xff, 0xffff, 0x7fffffff, 0xffffffff) }),
      { maxLength: 2 },
    ),
    cut: fc.option(fc.nat(), { nil: undefined }),
    focus: fc.boolean(),
  });
  it('parseMbn, lintMbn, toXml and diff survive bit flips, inflated lengths and truncation', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const seed = seeds[m.seed]!;
        const b = seed.slice();
        // Half of the mutations target the MCFG segment, where the parser has the most to check.
        const base = m.focus && b.length > 0x2000 ? 0x2000 : 0;
        const span = b.length - base;
        for (const f of m.flips) b[base + (f.at % span)]! ^= 1 << f.bit;
        for (const w of m.words) {
          const at = base + (w.at % Math.max(1, span - 4));
          new DataView(b.buffer).setUint32(at, w.value, true);
        }
        const input = m.cut === undefined ? b : b.subarray(0, m.cut % (b.length + 1));
        try {
          const f = parseMbn(input);
          const t = toXml(f);
          expect(hex(buildMbn(parseMcfgXml(t.xml), resolverOf(t.files)))).toBe(hex(rehashMbn(f)));
          diffMbn(f, parseMbn(seed));
        } catch (error) {
          if (!NvError.isInstance(error)) throw error;
        }
        expect(typeof lintMbn(input).ok).toBe('boolean');
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('XML parser fuzz: only NvError', () => {
  const base = sampleMcfgXml({ format: 4 });
  it('random edits of a valid document parse, build and lint or throw NvError', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 12 }), (at, del, insert) => {
        const i = at % base.length;
        const text = base.slice(0, i) + insert + base.slice(i + del);
        try {
          buildMbn(parseMcfgXml(text));
        } catch (error) {
          if (!NvError.isInstance(error)) throw error;
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
