/**
 * Issue 14.10: editing a signed MBN. Fixtures are made by scripts/make-signed.py (python3 stdlib from the spec's
 * byte tables; openssl for a real RSA-PSS signature), never by our writer.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasTool } from '../../../scripts/test-tools.ts';
import {
  buildMbn,
  lintMbn,
  lintMcfgXml,
  parseMbn,
  parseMcfgXml,
  summarizeMcfg,
  toXml,
  type McfgFinding,
} from '../src/index.ts';
import { NODE_HASH_OPTIONS } from '../src/node.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const dummy = new Uint8Array(readFileSync(here('./vectors/signed-v3-dummy.mbn')));
const u32 = (b: Uint8Array, o: number): number => new DataView(b.buffer, b.byteOffset).getUint32(o, true);

/** to-xml, an optional edit of the XML, build with the sidecars; returns bytes and build warnings. */
function roundTrip(
  bytes: Uint8Array,
  edit: (xml: string) => string = (x) => x,
  strip = false,
): { out: Uint8Array; warnings: McfgFinding[] } {
  const r = toXml(parseMbn(bytes), { name: 'm' });
  const warnings: McfgFinding[] = [];
  const out = buildMbn(
    parseMcfgXml(edit(r.xml)),
    { readFile: (p) => r.files[p] },
    {
      onWarning: (f) => warnings.push(f),
      ...(strip ? { stripSignature: true } : {}),
    },
  );
  return { out, warnings };
}
const bumpVersion = (xml: string): string => xml.replace('version="0x0501050D"', 'version="0x0501050E"');

describe('signed containers (dummy signature, v3)', () => {
  it('the unchanged round trip is byte-identical and silent', () => {
    expect(parseMbn(dummy).container).toMatchObject({ signed: true, hashVersion: 3, dataOffset: 0x3000 });
    const { out, warnings } = roundTrip(dummy);
    expect(Buffer.compare(out, dummy)).toBe(0);
    expect(warnings).toEqual([]);
  });
  it('build of an edited XML warns NV_MBN_SIGNATURE_STALE; XML lint reports it too', () => {
    const { out, warnings } = roundTrip(dummy, bumpVersion);
    expect(warnings.map((w) => w.code)).toEqual(['NV_MBN_SIGNATURE_STALE']);
    expect(parseMbn(out).findings.map((f) => f.code)).not.toContain('NV_MBN_HASH_MISMATCH');
    const r = toXml(parseMbn(dummy), { name: 'm' });
    const lint = lintMcfgXml(bumpVersion(r.xml), { readFile: (p) => r.files[p] });
    expect(lint.findings.map((f) => f.code)).toContain('NV_MBN_SIGNATURE_STALE');
  });
  it('--strip-signature: sizes 0, signature and chain zeroed, hashes valid, not signed any more', () => {
    const { out, warnings } = roundTrip(dummy, bumpVersion, true);
    expect(warnings).toEqual([]);
    const f = parseMbn(out);
    expect(f.container.signed).toBe(false);
    expect(f.findings.filter((x) => x.severity !== 'info')).toEqual([]);
    expect(u32(out, 0x1000 + 28)).toBe(0); // sig size
    expect(u32(out, 0x1000 + 36)).toBe(0); // chain size
    expect(out.subarray(0x1000 + 40 + 96, 0x1000 + 40 + 96 + 256 + 6144).every((b) => b === 0)).toBe(true);
    expect(out.length).toBe(dummy.length);
  });
  it('without a certificate the signature cannot be checked: unverified, not invalid', () => {
    expect(summarizeMcfg(parseMbn(dummy, NODE_HASH_OPTIONS)).container.signature).toBe('unverified');
  });
});

const canSign = hasTool('python3') && hasTool('openssl');
describe.skipIf(!canSign)('signed containers (RSA-PSS v6, python3 + openssl)', () => {
  let dir: string;
  let signed: Uint8Array;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nv-mbn-signed-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=Example OEM Attestation',
        '-keyout',
        join(dir, 'k.pem'),
        '-outform',
        'DER',
        '-out',
        join(dir, 'c.der'),
        '-days',
        '2',
      ],
      { stdio: 'ignore' },
    );
    execFileSync('python3', [
      here('../scripts/make-signed.py'),
      here('./vectors/kat-4.5.mbn'),
      join(dir, 's.mbn'),
      '--key',
      join(dir, 'k.pem'),
      '--cert',
      join(dir, 'c.der'),
    ]);
    signed = new Uint8Array(readFileSync(join(dir, 's.mbn')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the untouched file verifies (valid), and its round trip stays valid', () => {
    const s = summarizeMcfg(parseMbn(signed, NODE_HASH_OPTIONS));
    expect(s.container).toMatchObject({ hashVersion: 6, signed: true, signature: 'valid' });
    const { out } = roundTrip(signed);
    expect(Buffer.compare(out, signed)).toBe(0);
  });
  it('an edited build: inspect says the signature no longer matches, lint warns', () => {
    const { out, warnings } = roundTrip(signed, bumpVersion);
    expect(warnings.map((w) => w.code)).toEqual(['NV_MBN_SIGNATURE_STALE']);
    const s = summarizeMcfg(parseMbn(out, NODE_HASH_OPTIONS));
    expect(s.container.signature).toBe('invalid');
    expect(s.container.signatures?.[0]).toMatchObject({ signer: 'oem', status: 'invalid' });
    const lint = lintMbn(out, NODE_HASH_OPTIONS);
    expect(lint.findings.filter((f) => f.code === 'NV_MBN_SIGNATURE_STALE')).toHaveLength(1);
    expect(lint.ok).toBe(true); // a warning: fatal only if modem auth is fused
  });
  it.skipIf(!hasTool('readelf'))(
    'readelf sees the layout the parser uses (hash segment at 0x1000, data at 0x3000)',
    () => {
      const text = execFileSync('readelf', ['-l', '-W', join(dir, 's.mbn')], { encoding: 'utf8' });
      expect(text).toMatch(/NULL\s+0x001000 0x0000e000 0x0000e000 0x01a38 0x02000/);
      expect(text).toMatch(/LOAD\s+0x003000 0x00000000 0x00000000 0x000e4 0x000e4 RW/);
      expect(parseMbn(signed).container.dataOffset).toBe(0x3000);
    },
  );
});
