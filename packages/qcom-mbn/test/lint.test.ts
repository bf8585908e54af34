import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { sha256 } from '@nv/core/hash';
import { wrapCanonical } from '../src/elf.ts';
import { encodeMcfgSegment, type McfgSegmentParts } from '../src/encode.ts';
import { MBN_ERROR_CODES } from '../src/errors.ts';
import { lintMbn, lintMcfgXml, type LintOptions } from '../src/lint.ts';
import type { McfgItem } from '../src/model.ts';
import { parseMbn } from '../src/parse.ts';
import { sampleMcfgXml } from '../src/sample.ts';

const katMbn = new Uint8Array(readFileSync(new URL('./vectors/kat-4.5.mbn', import.meta.url)));
const kat = parseMbn(katMbn);
const { trailerPad: _pad, ...katParts } = kat;
const parts: McfgSegmentParts = { ...katParts, items: kat.items.map(({ offset: _o, ...i }) => i) };
const tlv = (id: number, value: readonly number[]): number[] => [id, value.length & 0xff, value.length >> 8, ...value];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
const baseTlvs = (extra: number[] = [], version = 0x0501050d): Uint8Array =>
  Uint8Array.from([...tlv(0, [0, 1]), ...tlv(1, le32(version)), ...tlv(4, [0, 1, ...le32(8901260)]), ...extra]);
const file = (over: Partial<McfgSegmentParts>): Uint8Array =>
  wrapCanonical(encodeMcfgSegment({ ...parts, trailerTlvs: baseTlvs(), ...over }));
const withItem = (item: Partial<McfgItem>): Uint8Array =>
  file({
    items: [
      ...parts.items,
      { kind: 'nv', type: 1, attrib: 0x09, spOps: 0, spare: 0, nvId: 10, data: Uint8Array.of(1), ...item },
    ],
  });
const patch = (b: Uint8Array, at: number, value: number, width: 1 | 2 | 4 = 4): Uint8Array => {
  const c = b.slice();
  for (let i = 0; i < width; i++) c[at + i] = (value >>> (8 * i)) & 0xff;
  return c;
};
const rehashed = (b: Uint8Array): Uint8Array => {
  const c = b.slice();
  c.set(sha256(c.subarray(0x2000)), 0x1000 + 0x28 + 64);
  return c;
};
/** A v3 hash segment that claims a signature (sig size word), as a fake-signed container. */
const signed = patch(katMbn, 0x1000 + 28, 256);

const BUILD: LintOptions = { profile: 'build' };

interface Row {
  code: string;
  severity: 'error' | 'warning' | 'info';
  bad: () => Uint8Array;
  options?: LintOptions;
}

const S = 0x2000; // segment start in the canonical layout
const rows: Row[] = [
  { code: 'NV_MBN_NOT_ELF', severity: 'error', bad: () => Uint8Array.of(1, 2, 3, 4, 5) },
  { code: 'NV_MBN_ELF_CLASS', severity: 'error', bad: () => patch(katMbn, 4, 2, 1) },
  { code: 'NV_MBN_PHDR_BOUNDS', severity: 'error', bad: () => patch(katMbn, 0x34 + 0x40 + 16, 0x10000) },
  { code: 'NV_MBN_NO_HASH_SEGMENT', severity: 'error', bad: () => patch(katMbn, 0x34 + 0x20 + 24, 0) },
  { code: 'NV_MBN_NO_DATA_SEGMENT', severity: 'error', bad: () => patch(katMbn, 0x34 + 0x40, 0) },
  { code: 'NV_MBN_HASH_VERSION', severity: 'error', bad: () => patch(katMbn, 0x1004, 4) },
  { code: 'NV_MBN_HASH_MISMATCH', severity: 'error', bad: () => patch(katMbn, 0x1000 + 0x28 + 64, 0) },
  { code: 'NV_MBN_HEADER_HASH_MISMATCH', severity: 'warning', bad: () => patch(katMbn, 0x1000 + 0x28, 0) },
  { code: 'NV_MBN_SIGNATURE_STALE', severity: 'warning', bad: () => patch(signed, 0x1000 + 0x28 + 64, 0) },
  { code: 'NV_MBN_NONCANONICAL_CONTAINER', severity: 'info', bad: () => signed },
  { code: 'NV_MBN_TRAILING_BYTES', severity: 'warning', bad: () => Uint8Array.from([...katMbn, 0, 0, 0, 0]) },
  { code: 'NV_MBN_BAD_MAGIC', severity: 'error', bad: () => rehashed(patch(katMbn, S, 0x4746434e)) },
  { code: 'NV_MBN_FORMAT', severity: 'error', bad: () => file({ format: 5 }) },
  { code: 'NV_MBN_FORMAT', severity: 'error', bad: () => file({ format: 4 }), options: { target: 'jo' } },
  { code: 'NV_MBN_CONFIG_TYPE', severity: 'error', bad: () => file({ configType: 2 }) },
  { code: 'NV_MBN_SPARE_NONZERO', severity: 'warning', bad: () => file({ spareCrc: 1 }) },
  { code: 'NV_MBN_VERSION_RECORD', severity: 'error', bad: () => rehashed(patch(katMbn, S + 16, 4996, 2)) },
  { code: 'NV_MBN_ITEM_COUNT', severity: 'error', bad: () => rehashed(patch(katMbn, S + 8, 3)) },
  { code: 'NV_MBN_ITEM_TRUNCATED', severity: 'error', bad: () => rehashed(patch(katMbn, S + 24, 4)) },
  {
    code: 'NV_MBN_ITEM_LENGTH',
    severity: 'error',
    bad: () => withItem({ kind: 'opaque', type: 1, data: Uint8Array.of(10, 0, 9, 0, 1) }),
  },
  {
    code: 'NV_MBN_ITEM_TYPE_UNKNOWN',
    severity: 'warning',
    bad: () => withItem({ kind: 'opaque', type: 12, attrib: 0xff, data: Uint8Array.of(0, 1, 0, 3) }),
  },
  {
    code: 'NV_MBN_ITEM_TYPE_UNKNOWN',
    severity: 'error',
    bad: () => withItem({ kind: 'opaque', type: 13, attrib: 0xff, data: Uint8Array.of(0) }),
    options: { target: 'jo' },
  },
  { code: 'NV_MBN_ATTR_NO_ACTION', severity: 'error', bad: () => withItem({ attrib: 0x08 }) },
  { code: 'NV_MBN_ATTR_CONFLICT', severity: 'warning', bad: () => withItem({ attrib: 0x41 }) },
  { code: 'NV_MBN_SUBS_MASK', severity: 'error', bad: () => withItem({ attrib: 0x19, data: Uint8Array.of(0x10, 1) }) },
  { code: 'NV_MBN_INDEX_MISSING', severity: 'error', bad: () => withItem({ attrib: 0x39, data: Uint8Array.of(7) }) },
  { code: 'NV_MBN_NV_ID_RANGE', severity: 'error', bad: () => withItem({ nvId: 7233 }), options: BUILD },
  { code: 'NV_MBN_NV_ID_RANGE', severity: 'info', bad: () => withItem({ nvId: 7233 }) },
  { code: 'NV_MBN_FORBIDDEN_ITEM', severity: 'error', bad: () => withItem({ nvId: 453 }), options: BUILD },
  { code: 'NV_MBN_FORBIDDEN_ITEM', severity: 'info', bad: () => withItem({ nvId: 453 }) },
  {
    code: 'NV_MBN_FORBIDDEN_ITEM',
    severity: 'error',
    bad: () => withItem({ kind: 'efs', type: 2, nvId: undefined, path: '/nv/item_files/rfnv/00020000' }),
    options: BUILD,
  },
  { code: 'NV_MBN_DUPLICATE', severity: 'warning', bad: () => withItem({ nvId: 71 }), options: BUILD },
  { code: 'NV_MBN_DUPLICATE', severity: 'info', bad: () => withItem({ nvId: 71 }) },
  {
    code: 'NV_MBN_DUPLICATE',
    severity: 'error',
    bad: () => file({ format: 4, items: [...parts.items, parts.items[0]!] }),
    options: BUILD,
  },
  {
    code: 'NV_MBN_EFS_TAGS',
    severity: 'error',
    bad: () => withItem({ kind: 'opaque', type: 2, data: Uint8Array.of(3, 0, 2, 0, 0x2f, 0, 2, 0, 0, 0) }),
  },
  {
    code: 'NV_MBN_EFS_PATH',
    severity: 'error',
    bad: () => withItem({ kind: 'efs', type: 2, nvId: undefined, path: 'nv/relative' }),
  },
  {
    code: 'NV_MBN_EFS_PATH',
    severity: 'warning',
    bad: () => withItem({ kind: 'efs', type: 4, nvId: undefined, path: `/nv/item_files/${'x'.repeat(100)}` }),
  },
  { code: 'NV_MBN_DELETE_DATA', severity: 'warning', bad: () => withItem({ attrib: 0x40, data: Uint8Array.of(1, 2) }) },
  {
    code: 'NV_MBN_PRL',
    severity: 'error',
    bad: () => withItem({ nvId: 257, data: Uint8Array.of(0, 1, 0, 0x40, 0, 0, 0, 1, 0, 9, 1, 2, 3, 4, 5, 6, 7) }),
  },
  { code: 'NV_MBN_TRAILER_OFFSET', severity: 'error', bad: () => rehashed(patch(katMbn, katMbn.length - 4, 0x1000)) },
  { code: 'NV_MBN_TRAILER_MARKER', severity: 'error', bad: () => rehashed(patch(katMbn, S + 24 + 107 + 4, 0x0b, 1)) },
  { code: 'NV_MBN_TRAILER_MAGIC', severity: 'error', bad: () => rehashed(patch(katMbn, S + 24 + 107 + 12, 0x4e, 1)) },
  { code: 'NV_MBN_TRAILER_LENGTH', severity: 'error', bad: () => rehashed(patch(katMbn, S + 24 + 107 + 10, 0x51, 2)) },
  { code: 'NV_MBN_TRAILER_PAD', severity: 'warning', bad: () => file({ trailerPad: Uint8Array.of(0, 0, 0, 0, 0) }) },
  {
    code: 'NV_MBN_TRAILER_PAYLOAD_BYTE',
    severity: 'warning',
    bad: () => file({ trailerTlvs: baseTlvs(tlv(9, new Array(250).fill(0x41))) }),
    options: { target: 'jo' },
  },
  { code: 'NV_MBN_TLV_TRUNCATED', severity: 'error', bad: () => file({ trailerTlvs: baseTlvs([3, 9, 0, 0x41]) }) },
  { code: 'NV_MBN_TLV_FORMAT', severity: 'error', bad: () => file({ trailerTlvs: baseTlvs().slice(5) }) },
  {
    code: 'NV_MBN_TLV_FORMAT',
    severity: 'error',
    bad: () => file({ trailerTlvs: Uint8Array.from([...tlv(0, [0, 2]), ...baseTlvs().slice(5)]) }),
  },
  {
    code: 'NV_MBN_TLV_VERSION_MISSING',
    severity: 'error',
    bad: () => file({ trailerTlvs: Uint8Array.from([...tlv(0, [0, 1]), ...tlv(4, [0, 1, ...le32(8901260)])]) }),
  },
  {
    code: 'NV_MBN_COMPAT',
    severity: 'error',
    bad: () => file({ version: 0x0a01050d, trailerTlvs: baseTlvs([], 0x0a01050d) }),
    options: { target: 'jo' },
  },
  {
    code: 'NV_MBN_COMPAT',
    severity: 'error',
    bad: () => file({ trailerTlvs: baseTlvs([], 0x0801050d) }),
    options: { family: 5 },
  },
  { code: 'NV_MBN_VERSION_MISMATCH', severity: 'warning', bad: () => file({ trailerTlvs: baseTlvs([], 0x0501050e) }) },
  {
    code: 'NV_MBN_IIN_LIST',
    severity: 'error',
    bad: () => file({ trailerTlvs: Uint8Array.from([...baseTlvs().slice(0, 12), ...tlv(4, [0, 2, 1, 2, 3, 4])]) }),
  },
  {
    code: 'NV_MBN_PLMN_LIST',
    severity: 'error',
    bad: () => file({ trailerTlvs: baseTlvs(tlv(6, [0, 1, ...[0xe8, 0x03, 1, 0]])) }),
  },
  { code: 'NV_MBN_NAME', severity: 'error', bad: () => file({ trailerTlvs: baseTlvs(tlv(3, [0x41, 0, 0x42])) }) },
  {
    code: 'NV_MBN_IIN_STRING',
    severity: 'error',
    bad: () =>
      file({
        trailerTlvs: baseTlvs(
          tlv(
            10,
            [...'8986;0D'].map((c) => c.charCodeAt(0)),
          ),
        ),
      }),
  },
  {
    code: 'NV_MBN_TLV_DUPLICATE',
    severity: 'warning',
    bad: () => file({ trailerTlvs: baseTlvs(tlv(1, le32(0x0501050d))) }),
  },
  { code: 'NV_MBN_TLV_UNKNOWN', severity: 'info', bad: () => file({ trailerTlvs: baseTlvs(tlv(42, [1])) }) },
  { code: 'NV_MBN_NO_SELECTOR', severity: 'warning', bad: () => file({ trailerTlvs: baseTlvs().slice(0, 12) }) },
];

describe('lint: every §5 rule has a failing fixture (and the clean file passes)', () => {
  it('the §4.5 vector and the sample are clean for target jo', () => {
    expect(lintMbn(katMbn, { target: 'jo' })).toEqual({ ok: true, findings: [] });
    expect(lintMbn(file({}), { target: 'jo' })).toEqual({ ok: true, findings: [] });
    expect(lintMcfgXml(sampleMcfgXml(), undefined, { target: 'jo' })).toEqual({ ok: true, findings: [] });
    expect(lintMcfgXml(sampleMcfgXml({ format: 4, version: 0x0a01050d }), undefined, { target: 'v4' })).toEqual({
      ok: true,
      findings: [],
    });
  });
  for (const row of rows) {
    it(`${row.code} (${row.severity}${row.options ? `, ${JSON.stringify(row.options)}` : ''})`, () => {
      expect(Object.hasOwn(MBN_ERROR_CODES, row.code), row.code).toBe(true);
      const result = lintMbn(row.bad(), row.options);
      const hit = result.findings.find((f) => f.code === row.code);
      expect(hit, JSON.stringify(result.findings)).toBeDefined();
      expect(hit!.severity).toBe(row.severity);
      if (row.severity === 'error') expect(result.ok).toBe(false);
    });
  }
});

describe('lint profiles (issue 14.12): the default judges a file as the modem does', () => {
  // Shipped vendor files (a Motorola format-4 SW file of family 7 carries NV 8001 … as NV items; vendors write
  // mcfg_autoselect_by_uim and delete a path they wrote earlier) are fine for the modem.
  const autoselect: Partial<McfgItem> = {
    kind: 'efs',
    type: 2,
    nvId: undefined,
    path: '/nv/item_files/mcfg/mcfg_autoselect_by_uim',
    attrib: 0x09,
    data: Uint8Array.of(0x80),
  };
  const efs = (attrib: number, data: Uint8Array): McfgItem => ({
    kind: 'efs',
    type: 2,
    attrib,
    spOps: 0,
    spare: 0,
    path: '/nv/item_files/ims/qp_ims_dpl_config',
    data,
  });
  it('mcfg_autoselect_by_uim and NV ids over 7232 are not errors by default, errors with --profile build', () => {
    for (const bad of [withItem(autoselect), withItem({ nvId: 8001 })]) {
      expect(lintMbn(bad).ok, JSON.stringify(lintMbn(bad).findings)).toBe(true);
      expect(lintMbn(bad, BUILD).ok).toBe(false);
    }
  });
  it('a write followed by a delete of the same path is a sequence, not a duplicate', () => {
    const seq = file({ format: 4, items: [...parts.items, efs(0x40, new Uint8Array(0))] });
    const r = lintMbn(seq);
    expect(r.findings.filter((f) => f.code === 'NV_MBN_DUPLICATE')).toEqual([]);
    expect(r.ok).toBe(true);
    // Two writes of the same path: the modem applies both (info); the generator refuses (error).
    const two = file({ format: 4, items: [...parts.items, efs(0x09, new Uint8Array(14))] });
    expect(lintMbn(two).findings.find((f) => f.code === 'NV_MBN_DUPLICATE')?.severity).toBe('info');
    expect(lintMbn(two, BUILD).findings.find((f) => f.code === 'NV_MBN_DUPLICATE')?.severity).toBe('error');
  });
  it('XML lint uses the build profile unless told otherwise', () => {
    const xml = sampleMcfgXml().replace(
      '<NvTrlRecord>',
      '<NvItemData id="453" mcfgAttributes="0x09" mcfgVariant="1"><Member sizeOf="1" type="uint8">1</Member></NvItemData><NvTrlRecord>',
    );
    expect(lintMcfgXml(xml).ok).toBe(false);
  });
});

describe('lint of MCFG XML', () => {
  it('reports parse and build errors and builder warnings as findings', () => {
    expect(lintMcfgXml('<NvData><oops></NvData>').findings[0]!.code).toBe('NV_MBN_XML_SYNTAX');
    expect(lintMcfgXml('<Foo/>').findings[0]!.code).toBe('NV_MBN_XML_ROOT');
    const dup = sampleMcfgXml().replace(
      '<NvTrlRecord>',
      '<NvItemData id="71" mcfgAttributes="0x09" mcfgVariant="1"><Member sizeOf="1" type="uint8">1</Member></NvItemData><NvTrlRecord>',
    );
    expect(lintMcfgXml(dup).findings.map((f) => [f.code, f.severity])).toContainEqual(['NV_MBN_DUPLICATE', 'warning']);
    expect(
      lintMcfgXml(sampleMcfgXml().replace('<NvData>', '<NvData xmlns:nv="urn:nv:mcfg:1" nv:spareCrc="0">')).findings[0],
    ).toMatchObject({ code: 'NV_MBN_XML_EXTENSION', severity: 'info' });
    expect(lintMcfgXml(sampleMcfgXml().replace('0x54 0x4d', '0x54 0x1ff')).findings.map((f) => f.code)).toContain(
      'NV_MBN_XML_MEMBER_OVERFLOW',
    );
  });
});

describe('hostile XML (hardening pass)', () => {
  it('regression: lintMcfgXml of 150 000 EFS items with a finding each builds and lints, not a RangeError (hand-made)', () => {
    // encodeMcfgSegment joined the items with concatBytes(header, ...items, …) and lintMcfgXml merged the findings
    // with out.push(...findings): both spread 10⁵ arguments and overflowed the stack.
    const n = 150_000;
    const items = Array.from(
      { length: n },
      (_, i) =>
        `<NvEfsItemData fullpathname="/nv/item_files/x/${i}" mcfgAttributes="0x00" mcfgVariant="2"><Member sizeOf="1" type="uint8">1</Member></NvEfsItemData>`,
    ).join('\n');
    const xml = `<NvData><NvConfigurationData carrierIndex="1" version="0x0501050D" type="1"/>${items}<NvTrlRecord mcfgAttributes="0x00"><Member name="format" sizeOf="5" type="uint8">0 2 0 0 1</Member></NvTrlRecord></NvData>`;
    const { ok, findings } = lintMcfgXml(xml);
    expect(ok).toBe(false);
    const noAction = findings.filter((f) => f.code === 'NV_MBN_ATTR_NO_ACTION');
    expect(noAction).toHaveLength(n);
    expect(noAction[n - 1]?.path).toBe(`efs:/nv/item_files/x/${n - 1}`);
  });
});
