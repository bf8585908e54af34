import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { concatBytes, encodeLatin1, bytesToHex, hexToBytes } from '@nv/core/bytes';
import { sha256 } from '@nv/core/hash';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { parseEfsImageMeta } from '../src/meta.ts';
import { parseAttestationOus } from '../src/ou.ts';
import { DUMMY_ROOT_SHA256, KNOWN_ROOTS, findKnownRoot, rootHashC, rootHashes } from '../src/roots.ts';
import { checkBootImage, inspectSignedImage, verifySignedImage, type VerifyOptions } from '../src/verify.ts';
import { splitChain, OID, type ParsedCert } from '../src/x509.ts';

const dir = join(import.meta.dirname, 'vectors');
const vec = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));
const ROOT = readFileSync(join(dir, 'root-sha256.txt'), 'utf8').trim();
const HW = 0x009600e100000000n;
const BUILD: VerifyOptions = { rootHash: ROOT, hwId: HW, swId: 0n };
const fail = (bytes: Uint8Array, o: VerifyOptions = BUILD): string | undefined =>
  verifySignedImage(bytes, o).modemResult.code;

describe('verify the OpenSSL §6 vectors (made by scripts/make-vectors.sh)', () => {
  it('accepts the OpenSSL-signed .mbn and .img, checks in the modem order', () => {
    for (const f of ['fs.mbn', 'fs.mbn.img']) {
      const r = verifySignedImage(vec(f), BUILD);
      expect(r.ok).toBe(true);
      expect(r.checks.map((c) => c.step)).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
      expect(r.checks.map((c) => c.name)).toEqual([
        'img-sector',
        'header',
        'fuse',
        'dummy-root',
        'sizes',
        'chain-parse',
        'ou-options',
        'sw-type',
        'sw-version',
        'cert-hash',
        'cert-structure',
        'cert-signature',
        'root',
        'hw-id',
        'image-signature',
        'debug',
        'crash-dump',
        'size',
        'payload',
      ]);
      expect(r.rootHash).toBe(ROOT);
      expect(r.hash).toBe(readFileSync(join(dir, 'h3.txt'), 'utf8').trim());
      // The project's committed test keys are flagged like any public test key.
      expect(r.findings.map((x) => `${x.severity}:${x.code}`)).toContain('warning:NV_FSG_KNOWN_TEST_ROOT');
      expect(verifySignedImage(vec(f), { ...BUILD, strict: true }).ok).toBe(false);
    }
  });
  it('names every §6 mutation', () => {
    expect(fail(vec('lower.mbn'))).toBe('NV_FSG_OU_FORMAT');
    expect(fail(vec('e257.mbn'))).toBe('NV_FSG_BAD_EXPONENT');
    expect(fail(vec('pathlen0.mbn'))).toBe('NV_FSG_CERT_STRUCTURE');
    expect(fail(vec('zeropad.mbn'))).toBe('NV_FSG_CHAIN_PADDING');
    expect(fail(vec('digestinfo.mbn'))).toBe('NV_FSG_IMAGE_SIGNATURE');
    const good = vec('fs.mbn');
    const flipped = good.slice();
    flipped[100] = (flipped[100] as number) ^ 1;
    expect(fail(flipped)).toBe('NV_FSG_IMAGE_SIGNATURE');
    expect(fail(good, { ...BUILD, hwId: HW + 1n })).toBe('NV_FSG_HWID_MISMATCH');
    expect(fail(good, { ...BUILD, swId: 0x1bn })).toBe('NV_FSG_SWID_TYPE_MISMATCH');
    expect(fail(good, { ...BUILD, swId: 1n << 32n })).toBe('NV_FSG_SWID_ROLLBACK');
    expect(fail(good, { ...BUILD, rootHash: DUMMY_ROOT_SHA256 })).toBe('NV_FSG_DUMMY_ROOT');
    expect(fail(good, { ...BUILD, rootHash: DUMMY_ROOT_SHA256, allowDummyKey: true })).toBe('NV_FSG_UNTRUSTED_ROOT');
    expect(fail(good, { ...BUILD, rootHash: 'a16984e397f7a16a5649597cb07811e30aa2fb1ba951c38ca46053f4a574dd7f' })).toBe(
      'NV_FSG_UNTRUSTED_ROOT',
    );
    expect(fail(good, { ...BUILD, asPartition: true })).toBe('NV_FSG_IMG_SECTOR_MISSING');
    expect(fail(vec('fs.mbn.img'), { ...BUILD, asPartition: true })).toBeUndefined();
    const meta = parseEfsImageMeta(encodeLatin1('EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_SIZE,1064\r\n'));
    expect(fail(good, { ...BUILD, meta })).toBe('NV_FSG_TOO_LARGE'); // 40+512 < 1064−512 is false (strict)
    expect(
      fail(good, {
        ...BUILD,
        meta: parseEfsImageMeta(encodeLatin1('EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_SIZE,1065\r\n')),
      }),
    ).toBeUndefined();
  });
  it('fuse (step 2): a fused pass skips 3–16; a fused failure falls back to the software root', () => {
    const good = vec('fs.mbn');
    const pass = verifySignedImage(good, { ...BUILD, rootHash: DUMMY_ROOT_SHA256, fuseRootHash: ROOT, fuseHwId: HW });
    expect(pass.ok).toBe(true);
    expect(pass.checks.find((c) => c.name === 'dummy-root')?.skipped).toBe(true);
    const fallback = verifySignedImage(good, {
      ...BUILD,
      fuseRootHash: 'a16984e397f7a16a5649597cb07811e30aa2fb1ba951c38ca46053f4a574dd7f',
      fuseHwId: HW,
    });
    expect(fallback.ok).toBe(true);
    expect(fallback.checks.find((c) => c.name === 'fuse')).toMatchObject({ ok: false, code: 'NV_FSG_UNTRUSTED_ROOT' });
  });
  it('a cert signature byte flip → CERT_SIGNATURE', () => {
    const good = vec('fs.mbn');
    const r = inspectSignedImage(good);
    const att = r.certs[0];
    if (!att) throw new Error('no cert');
    const b = good.slice();
    const last = att.offset + att.size - 1;
    b[last] = (b[last] as number) ^ 1;
    expect(fail(b)).toBe('NV_FSG_CERT_SIGNATURE');
  });
  it('inspect shows header, certs, OUs, root and the C lines', () => {
    const r = inspectSignedImage(vec('fs.mbn.img'));
    expect(r.container).toBe('img');
    expect(r.header.codeSize).toBe(512);
    expect(r.certs.map((c) => c.subject)).toEqual([
      expect.stringContaining('CN=Ex FSG Attestation'),
      'O=Ex, CN=Ex FSG Attestation CA',
      'O=Ex, CN=Ex FSG Root CA',
    ]);
    expect(r.ou).toMatchObject({
      swId: '0x0000000000000000',
      hwId: '0x009600E100000000',
      debug: '0x0000000000000002',
      hash: 'sha256',
      swSize: 552,
    });
    expect(r.rootHash).toBe(ROOT);
    expect(r.cLines).toContain('#define FS_SIGNED_IMG_MSM_HW_ID 0x009600E100000000');
    expect(r.findings.map((f) => f.code)).toContain('NV_FSG_KNOWN_TEST_ROOT');
  });
  it('every single-byte flip in header, code, signature and chain is rejected (sampled)', () => {
    const good = vec('fs.mbn');
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const b = good.slice();
        b[i] = (b[i] as number) ^ x;
        try {
          const r = verifySignedImage(b, BUILD);
          expect(r.ok).toBe(false);
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: Math.min(FUZZ_RUNS, 150) },
    );
  });
  it('fuzz: chain parser on mutated chains returns or throws NvError', () => {
    const good = vec('fs.mbn');
    const chain = good.subarray(40 + 512 + 256);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(chain.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(chain.length),
        (flips, cut) => {
          const b = chain.slice(0, cut);
          for (const [i, v] of flips) if (i < b.length) b[i] = v;
          try {
            splitChain(b);
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('truncated files throw NvError', () => {
    const good = vec('fs.mbn.img');
    for (const n of [0, 30, 100, 520, 600, 3000, good.length - 1]) {
      expect(() => verifySignedImage(good.subarray(0, n), BUILD)).toThrow(NvError);
    }
  });
});

describe('known roots (§5) and root hash (§3.7)', () => {
  const SPEC = join(import.meta.dirname, '../../../../shared/specs/qcom-fsg-sign.md');
  it.skipIf(!existsSync(SPEC))(
    'holds every hash of §5 and Appendix A of the spec (needs the shared spec folder)',
    () => {
      const spec = readFileSync(SPEC, 'utf8');
      const section = spec.slice(spec.indexOf('## 5.'));
      const hashes = new Set([...section.matchAll(/\b[0-9a-f]{64}(?:[0-9a-f]{32})?\b/g)].map((m) => m[0]));
      hashes.delete('a16984e397f7a16a5649597cb07811e30aa2fb1ba951c38ca46053f4a574dd7f');
      expect(hashes.size).toBeGreaterThan(90);
      for (const h of hashes) expect(findKnownRoot(h), h).toBeDefined();
    },
  );
  it('flags the §5 roots by kind, not the real customer hash; known-roots.json = KNOWN_ROOTS', () => {
    expect(findKnownRoot(DUMMY_ROOT_SHA256)?.kind).toBe('dummy');
    expect(findKnownRoot('8ffc3d6475917adf5e86e2bed4ad902f4033f493391674e11f085becd24e052f')?.kind).toBe('test');
    expect(findKnownRoot('06513b56f7f06be9bd448445fa0909e6399bb2f4da395f10651a6225b89d9150')?.kind).toBe('test');
    expect(findKnownRoot('CC3153A80293939B90D02D3BF8B23E0292E452FEF662C74998421ADAD42A380F')?.kind).toBe('qualcomm');
    expect(findKnownRoot('7be49b72f9e4337223ccb84d6eccca4e61ce16e3602ac2008cb18b75babe6d09')?.kind).toBe('qualcomm');
    expect(findKnownRoot('2a4f471ee77a807d71568d5267f8f107c9d40f2ff2314015cd61f955924b2e93')?.kind).toBe('test'); // MRC 16-root aggregate
    expect(
      findKnownRoot('85cbd88892d7c3fae797d942a71e3897620e99236dceb2c66a617cbb086e8d25cf5c6c5584603f19352ded53ac89a9c9')
        ?.algorithm,
    ).toBe('sha384');
    expect(findKnownRoot('2e1ec2d3135c81cefe5a9a883db71480f56af879d5afd924c4729a7e9230f663')?.kind).toBe('test'); // last of Appendix A
    expect(findKnownRoot('a16984e397f7a16a5649597cb07811e30aa2fb1ba951c38ca46053f4a574dd7f')).toBeUndefined();
    expect(KNOWN_ROOTS).toHaveLength(103);
    const json = JSON.parse(readFileSync(join(import.meta.dirname, '../known-roots.json'), 'utf8')) as unknown[];
    expect(json).toEqual(KNOWN_ROOTS.map((r) => ({ ...r })));
    expect(findKnownRoot(ROOT)?.kind).toBe('test');
  });
  it('root hash of one DER and of several (MRC concatenation), C fragment', () => {
    const a = encodeLatin1('A');
    const b = encodeLatin1('B');
    expect(rootHashes([a]).rootHash).toBe(bytesToHex(sha256(a)));
    expect(rootHashes([a, b])).toEqual({
      roots: [bytesToHex(sha256(a)), bytesToHex(sha256(b))],
      rootHash: bytesToHex(sha256(concatBytes(a, b))),
    });
    const c = rootHashC(ROOT, HW, 0x1bn);
    const lines = c.trimEnd().split('\n');
    expect(lines[0]).toBe('#define FS_SIGNED_IMG_ROOT_HASH \\');
    expect(lines[1]).toBe(
      `  {${ROOT.slice(0, 16)
        .match(/../g)
        ?.map((x) => `0x${x}`)
        .join(', ')}, \\`,
    );
    expect(lines[4]).toMatch(/}$/);
    expect(lines[5]).toBe('#define FS_SIGNED_IMG_MSM_HW_ID 0x009600E100000000');
    expect(lines[6]).toBe('#define FS_SIGNED_IMG_SOFTWARE_ID 0x000000000000001B');
    const bytes = [...c.matchAll(/0x([0-9a-f]{2})\b(?![0-9A-F])/g)]
      .slice(0, 32)
      .map((m) => m[1])
      .join('');
    expect(bytes).toBe(bytesToHex(hexToBytes(ROOT)));
  });
});

describe('assertVerified', () => {
  it('throws the failing check code, or NV_FSG_VERIFY for the strict policy', async () => {
    const { assertVerified } = await import('../src/index.ts');
    const good = vec('fs.mbn');
    expect(() => assertVerified(verifySignedImage(good, BUILD))).not.toThrow();
    expect(() => assertVerified(verifySignedImage(good, { ...BUILD, hwId: HW + 1n }))).toThrow(
      expect.objectContaining({ code: 'NV_FSG_HWID_MISMATCH' }),
    );
    expect(() => assertVerified(verifySignedImage(good, { ...BUILD, strict: true }))).toThrow(
      expect.objectContaining({ code: 'NV_FSG_VERIFY' }),
    );
  });
});

describe('single-byte flips, region by region, name the right check (stride 3 over the whole .mbn)', () => {
  it('header, code, signature, each certificate and the padding', () => {
    const good = vec('fs.mbn');
    const info = inspectSignedImage(good);
    const [att, ca, root] = info.certs;
    if (!att || !ca || !root) throw new Error('3 certs expected');
    const padStart = root.offset + root.size;
    const outcome = (i: number): string => {
      const b = good.slice();
      b[i] = (b[i] as number) ^ 0x01;
      try {
        const r = verifySignedImage(b, BUILD);
        return r.ok ? 'ok' : (r.modemResult.code ?? 'strict');
      } catch (e) {
        if (!NvError.isInstance(e)) throw e;
        return `throw:${e.code}`;
      }
    };
    const certCodes = [
      'NV_FSG_SWID_TYPE_MISMATCH',
      'NV_FSG_SWID_ROLLBACK',
      'NV_FSG_OU_UNSUPPORTED',
      'NV_FSG_CRASH_DUMP_OU',
      'NV_FSG_CERT_SIGNATURE',
      'NV_FSG_CHAIN_PARSE',
      'NV_FSG_CERT_ALGO',
      'NV_FSG_CERT_STRUCTURE',
      'NV_FSG_OU_FORMAT',
      'NV_FSG_OU_MISSING',
      'NV_FSG_HWID_MISMATCH',
      'NV_FSG_IMAGE_SIGNATURE',
      'NV_FSG_BAD_EXPONENT',
      'NV_FSG_SIG_SIZE',
      'NV_FSG_UNTRUSTED_ROOT',
      'NV_FSG_DEBUG_OU',
      'NV_FSG_CHAIN_PADDING',
    ];
    const seen = new Map<string, Set<string>>();
    for (let i = 0; i < good.length; i += 3) {
      const o = outcome(i);
      const region =
        i < 4
          ? 'imageId'
          : i < 40
            ? 'header'
            : i < 552
              ? 'code'
              : i < 808
                ? 'signature'
                : i < ca.offset
                  ? 'att'
                  : i < root.offset
                    ? 'ca'
                    : i < padStart
                      ? 'root'
                      : 'padding';
      if (!seen.has(region)) seen.set(region, new Set());
      seen.get(region)?.add(o);
      expect(o, `byte ${i} (${region})`).not.toBe('ok');
      if (region === 'imageId' || region === 'code' || region === 'signature')
        expect(o, `byte ${i}`).toBe('NV_FSG_IMAGE_SIGNATURE');
      else if (region === 'padding') expect(o, `byte ${i}`).toBe('NV_FSG_CHAIN_PADDING');
      else if (region === 'root')
        expect(
          [
            'NV_FSG_UNTRUSTED_ROOT',
            'NV_FSG_CHAIN_PARSE',
            'NV_FSG_CERT_SIGNATURE',
            'NV_FSG_CERT_ALGO',
            'NV_FSG_CERT_STRUCTURE',
            'NV_FSG_CHAIN_PADDING',
            'NV_FSG_BAD_EXPONENT',
          ],
          `byte ${i}`,
        ).toContain(o);
      else if (region === 'header')
        expect(
          o.startsWith('throw:') ||
            o.startsWith('NV_FSG_HEADER') ||
            o === 'NV_FSG_IMAGE_SIGNATURE' ||
            o === 'NV_FSG_SIG_SIZE' ||
            o === 'NV_FSG_CHAIN_SIZE',
          `byte ${i}: ${o}`,
        ).toBe(true);
      else expect(certCodes, `byte ${i} (${region})`).toContain(o);
    }
    // Most flips inside a certificate body break its signature (secboot 10).
    expect(seen.get('att')?.has('NV_FSG_CERT_SIGNATURE')).toBe(true);
    expect(seen.get('ca')?.has('NV_FSG_CERT_SIGNATURE')).toBe(true);
    expect(seen.get('root')?.has('NV_FSG_UNTRUSTED_ROOT')).toBe(true);
  });
});

describe('hostile OUs (hardening pass)', () => {
  it('regression: an OU named like an Object.prototype member is "not used", not a width check against a function (hand-made)', () => {
    // OU_WIDTH[name] found Object.prototype.constructor: the finding printed "needs exactly function Object() … digits".
    for (const name of ['constructor', 'toString', '__proto__']) {
      const cert = { subject: [[{ oid: OID.ou, tag: 0x0c, value: `01 0000 ${name}` }]] } as unknown as ParsedCert;
      const r = parseAttestationOus(cert);
      expect(r.findings).toEqual([
        { severity: 'info', code: 'NV_FSG_CERT_INFO', message: `OU "01 0000 ${name}" is not used by the modem` },
      ]);
    }
  });
});

describe('checkBootImage (steps 3, 17, 18 for the device simulator, issue 20.1)', () => {
  const code = vec('fs.mbn').subarray(40, 40 + new DataView(vec('fs.mbn').buffer).getUint32(20, true));
  const stepsOf = (o: VerifyOptions) =>
    verifySignedImage(vec('fs.mbn'), o).checks.filter((c) => [3, 17, 18].includes(c.step));
  it('gives the very checks verifySignedImage runs, with and without the dummy root and a RAM size', () => {
    const ramSize = 40 + code.length + 512 + 1;
    for (const [rootHash, allowDummyKey, ram] of [
      [ROOT, false, undefined],
      [DUMMY_ROOT_SHA256, false, ramSize],
      [DUMMY_ROOT_SHA256, true, ramSize - 1],
    ] as const) {
      const meta =
        ram === undefined
          ? undefined
          : parseEfsImageMeta(encodeLatin1(`EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_SIZE,${ram}\r\n`));
      const b = checkBootImage(code, { rootHash, allowDummyKey, ...(ram !== undefined ? { ramSize: ram } : {}) });
      expect([b.dummyRoot, b.size, b.payload]).toEqual(
        stepsOf({ ...BUILD, rootHash, allowDummyKey, ...(meta ? { meta } : {}) }),
      );
      expect(b.payloadKind).toBe('gzip');
    }
    expect(checkBootImage(code, { rootHash: DUMMY_ROOT_SHA256.toUpperCase() }).dummyRoot.code).toBe(
      'NV_FSG_DUMMY_ROOT',
    );
    expect(checkBootImage(code, { ramSize: 40 + code.length + 512 }).size.code).toBe('NV_FSG_TOO_LARGE');
    expect(checkBootImage(code, { ramSize: 40 + code.length + 513 }).size.ok).toBe(true);
  });
  it('step 18 names tar, gzip, or neither', () => {
    const tar = new Uint8Array(1024);
    tar.set(encodeLatin1('a.txt'));
    let sum = 256;
    for (const b of tar.subarray(0, 512)) sum += b;
    tar.set(encodeLatin1(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    expect(checkBootImage(tar).payloadKind).toBe('tar');
    const junk = checkBootImage(new Uint8Array(600).fill(0x41));
    expect(junk.payloadKind).toBeUndefined();
    expect(junk.payload).toMatchObject({ step: 18, ok: false, code: 'NV_FSG_PAYLOAD_FORMAT' });
  });
});
