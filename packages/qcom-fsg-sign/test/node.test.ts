import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { bytesToHex } from '@nv/core/bytes';
import { hasTool, nvErrorCodeAsync as codeOf } from '../../../scripts/test-tools.ts';
import { unwrapSignedImage } from '../src/container.ts';
import { parseEfsImageMeta } from '../src/meta.ts';
import { inspectSignedImage, verifySignedImage } from '../src/verify.ts';
import { buildFsgImg } from '../src/img.ts';
import {
  certificatesFrom,
  createCommandSigner,
  createKeySigner,
  readFsgKeyFolder,
  readRootCertificates,
  signFsgFile,
  signFsgImage,
  writeFsgKeys,
  type FsgKeys,
} from '../src/node.ts';

const vdir = join(import.meta.dirname, 'vectors');
const vec = (n: string): Uint8Array => new Uint8Array(readFileSync(join(vdir, n)));
const HW = 0x009600e100000000n;
const TGZ = vec('fs_image.tar.gz');
const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');

let tmp: string;
let keys: FsgKeys;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'nv-fsg-'));
  keys = await writeFsgKeys(join(tmp, 'keys'), {
    org: 'Acme',
    hwId: HW,
    swId: 0n,
    notBefore: NOT_BEFORE,
    serialSeed: 'seed',
  });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('keygen (§3.8)', () => {
  it('writes the keys folder with 0600 private keys and the C fragment', async () => {
    const dir = join(tmp, 'keys');
    expect((await stat(join(dir, 'root.key.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'ca.key.pem'))).mode & 0o777).toBe(0o600);
    const json = JSON.parse(await readFile(join(dir, 'fsg-keys.json'), 'utf8')) as Record<string, unknown>;
    expect(json).toEqual({
      version: 1,
      swId: '0x0000000000000000',
      hwId: '0x009600E100000000',
      oemId: '0x0000',
      modelId: '0x0000',
      keyBits: 2048,
      exponent: 65537,
      rootSha256: keys.rootHash,
    });
    expect(await readFile(join(dir, 'fs_signed_img_param.inc'), 'utf8')).toContain(
      '#define FS_SIGNED_IMG_MSM_HW_ID 0x009600E100000000',
    );
    expect(await codeOf(writeFsgKeys(dir, {}))).toBe('NV_EXISTS');
    const roots = await readRootCertificates([dir]);
    expect(bytesToHex(roots[0] as Uint8Array)).toBe(bytesToHex(keys.rootCertDer));
  });
  it.skipIf(!hasTool('openssl'))('the root and CA follow the §3.6 profile (openssl x509 -text)', () => {
    const text = execFileSync('openssl', ['x509', '-noout', '-text', '-in', join(tmp, 'keys', 'ca.crt.pem')], {
      encoding: 'utf8',
    });
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toContain('Authority Key Identifier');
    expect(text).toContain('Exponent: 65537');
    const root = execFileSync('openssl', ['x509', '-noout', '-text', '-in', join(tmp, 'keys', 'root.crt.pem')], {
      encoding: 'utf8',
    });
    expect(root).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(root).toMatch(/Subject: O ?= ?Acme, CN ?= ?Acme FSG Root CA/);
  });
});

describe('sign (§3.8) and img', () => {
  it('signs, verifies, and the result has the §2.1 header and a 6144-byte FF-padded chain', async () => {
    const folder = await readFsgKeyFolder(join(tmp, 'keys'));
    const r = await signFsgImage(TGZ, { ...folder, hwId: HW, swId: 0n, notBefore: NOT_BEFORE });
    expect(r.size).toBe(40 + TGZ.length + 256 + 6144);
    expect(r.rootHash).toBe(keys.rootHash);
    const v = verifySignedImage(r.mbn, { rootHash: keys.rootHash, hwId: HW, swId: 0n });
    expect(v.ok).toBe(true);
    expect(v.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(v.hash).toBe(r.hash);
    const i = inspectSignedImage(r.mbn);
    expect(i.ou).toMatchObject({
      swId: '0x0000000000000000',
      hwId: '0x009600E100000000',
      debug: '0x0000000000000002',
      oemId: '0x0000',
      modelId: '0x0000',
      swSize: 40 + TGZ.length,
      hash: 'sha256',
    });
    expect(i.ou['texts']).toEqual([
      '01 0000000000000000 SW_ID',
      '02 009600E100000000 HW_ID',
      '03 0000000000000002 DEBUG',
      '04 0000 OEM_ID',
      `05 ${(40 + TGZ.length).toString(16).toUpperCase().padStart(8, '0')} SW_SIZE`,
      '06 0000 MODEL_ID',
      '07 0001 SHA256',
    ]);
    expect(unwrapSignedImage(r.mbn).code).toEqual(TGZ);
  });
  it('byte-stable with a fixed attestation key, not-before and serial seed', async () => {
    const folder = await readFsgKeyFolder(join(tmp, 'keys'));
    const attestKey = createPrivateKey(readFileSync(join(vdir, 'test-att.key.pem'), 'utf8'));
    const a = await signFsgImage(TGZ, {
      ...folder,
      hwId: HW,
      swId: 0x1bn,
      attestKey,
      notBefore: NOT_BEFORE,
      serialSeed: 's',
    });
    const b = await signFsgImage(TGZ, {
      ...folder,
      hwId: HW,
      swId: 0x1bn,
      attestKey,
      notBefore: NOT_BEFORE,
      serialSeed: 's',
    });
    expect(bytesToHex(a.mbn)).toBe(bytesToHex(b.mbn));
  });
  it('TS sign with the OpenSSL vector attestation cert/key reproduces fs.mbn byte for byte (test keys need allowTestRoot)', async () => {
    const pemDer = (n: string): Uint8Array => certificatesFrom(vec(n))[0] as Uint8Array;
    const opts = {
      caCertDer: pemDer('test-ca.crt.pem'),
      rootCertDer: pemDer('test-root.crt.pem'),
      attestCertDer: pemDer('test-att.crt.pem'),
      attestKey: createPrivateKey(readFileSync(join(vdir, 'test-att.key.pem'), 'utf8')),
      hwId: HW,
      swId: 0n,
    };
    expect(await codeOf(signFsgImage(TGZ, opts))).toBe('NV_FSG_KNOWN_TEST_ROOT');
    const r = await signFsgImage(TGZ, { ...opts, allowTestRoot: true });
    expect(bytesToHex(r.mbn)).toBe(bytesToHex(vec('fs.mbn')));
  });
  it.skipIf(!hasTool('openssl'))(
    '--signer-cmd: an external openssl pkeyutl signs the digest (needs Debian openssl)',
    async () => {
      const pemDer = (n: string): Uint8Array => certificatesFrom(vec(n))[0] as Uint8Array;
      const signer = createCommandSigner(
        `openssl pkeyutl -sign -inkey '${join(vdir, 'test-att.key.pem')}' -pkeyopt rsa_padding_mode:pkcs1`,
      );
      const r = await signFsgImage(TGZ, {
        caCertDer: pemDer('test-ca.crt.pem'),
        rootCertDer: pemDer('test-root.crt.pem'),
        attestCertDer: pemDer('test-att.crt.pem'),
        signer,
        hwId: HW,
        swId: 0n,
        allowTestRoot: true,
      });
      expect(bytesToHex(r.mbn)).toBe(bytesToHex(vec('fs.mbn')));
      expect(await codeOf(createCommandSigner('exit 3')(new Uint8Array(32)))).toBe('NV_FSG_SIGNER');
    },
  );
  it('refuses bad payloads, mismatched keys, wrong IDs for a fixed cert (self-check)', async () => {
    const folder = await readFsgKeyFolder(join(tmp, 'keys'));
    expect(await codeOf(signFsgImage(new Uint8Array(100), { ...folder, hwId: HW, swId: 0n }))).toBe(
      'NV_FSG_PAYLOAD_FORMAT',
    );
    const small = parseEfsImageMeta(new TextEncoder().encode('EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_SIZE,1064\r\n'));
    expect(await codeOf(signFsgImage(TGZ, { ...folder, hwId: HW, swId: 0n, meta: small }))).toBe('NV_FSG_TOO_LARGE');
    const other = createPrivateKey(readFileSync(join(vdir, 'test-ca.key.pem'), 'utf8'));
    expect(await codeOf(signFsgImage(TGZ, { ...folder, caKey: other, hwId: HW, swId: 0n }))).toBe(
      'NV_FSG_KEY_MISMATCH',
    );
    const pemDer = (n: string): Uint8Array => certificatesFrom(vec(n))[0] as Uint8Array;
    expect(
      await codeOf(signFsgImage(TGZ, { ...folder, rootCertDer: pemDer('test-root.crt.pem'), hwId: HW, swId: 0n })),
    ).toBe('NV_FSG_CERT_SIGNATURE');
    const attestKey = createPrivateKey(readFileSync(join(vdir, 'test-att.key.pem'), 'utf8'));
    const base = {
      caCertDer: pemDer('test-ca.crt.pem'),
      rootCertDer: pemDer('test-root.crt.pem'),
      attestCertDer: pemDer('test-att.crt.pem'),
      attestKey,
      swId: 0n,
      allowTestRoot: true,
    };
    expect(await codeOf(signFsgImage(TGZ, { ...base, hwId: HW + 1n }))).toBe('NV_FSG_SELF_CHECK');
    expect(await codeOf(createKeySigner(attestKey)(new Uint8Array(300)))).toBe('NV_FSG_SIGNER');
  });
  it('signFsgFile: input errors before key errors, a signed input named, no output file on failure (issue 17)', async () => {
    const folder = await readFsgKeyFolder(join(tmp, 'keys'));
    const pemDer = (n: string): Uint8Array => certificatesFrom(vec(n))[0] as Uint8Array;
    // The committed test root is refused (KNOWN_TEST_ROOT) while the file is still being read: the payload error
    // wins, and the early rejection is no unhandled rejection.
    const testKeys = {
      caCertDer: pemDer('test-ca.crt.pem'),
      rootCertDer: pemDer('test-root.crt.pem'),
      caKey: createPrivateKey(readFileSync(join(vdir, 'test-ca.key.pem'), 'utf8')),
      hwId: HW,
      swId: 0n,
    };
    await writeFile(join(tmp, 'junk.bin'), 'not a tarball at all');
    expect(await codeOf(signFsgFile(join(tmp, 'junk.bin'), join(tmp, 'junk.mbn'), testKeys))).toBe(
      'NV_FSG_PAYLOAD_FORMAT',
    );
    await writeFile(join(tmp, 'tgz'), TGZ);
    expect(await codeOf(signFsgFile(join(tmp, 'tgz'), join(tmp, 'junk.mbn'), testKeys))).toBe('NV_FSG_KNOWN_TEST_ROOT');
    const signed = await signFsgFile(join(tmp, 'tgz'), join(tmp, 'ok.mbn'), { ...folder, hwId: HW, swId: 0n });
    expect(new Uint8Array(await readFile(join(tmp, 'ok.mbn')))).toEqual(signed.mbn);
    let message = '';
    try {
      await signFsgFile(join(tmp, 'ok.mbn'), join(tmp, 'again.mbn'), { ...folder, hwId: HW, swId: 0n, path: 'ok.mbn' });
    } catch (e) {
      expect((e as NvError).code).toBe('NV_FSG_SIGNED_INPUT');
      message = (e as Error).message;
    }
    expect(message).toContain('nv qcom fsg unwrap ok.mbn');
    expect(await codeOf(signFsgFile(join(tmp, 'tgz'), join(tmp, 'ok.mbn'), { ...folder, hwId: HW, swId: 0n }))).toBe(
      'NV_EXISTS',
    );
    expect(await codeOf(signFsgFile(join(tmp, 'nope'), join(tmp, 'x.mbn'), { ...folder, hwId: HW, swId: 0n }))).toBe(
      'NV_NOT_FOUND',
    );
    expect((await readdir(tmp)).filter((f) => /junk\.mbn|again\.mbn|x\.mbn|\.tmp/.test(f))).toEqual([]);
  });
  it('img: wraps with dest from the meta file; refuses an .img input', async () => {
    const meta = parseEfsImageMeta(vec('efs_image_meta.bin'));
    const r = buildFsgImg(vec('fs.mbn'), { meta });
    expect(r.dest).toBe(0x8a000200);
    expect(r.size).toBe(vec('fs.mbn').length + 512);
    const plain = buildFsgImg(vec('fs.mbn'));
    expect(bytesToHex(plain.img)).toBe(bytesToHex(vec('fs.mbn.img'))); // same bytes as the bash recipe
    expect(() => buildFsgImg(vec('fs.mbn.img'))).toThrow(NvError);
    const v = verifySignedImage(r.img, {
      rootHash: readFileSync(join(vdir, 'root-sha256.txt'), 'utf8').trim(),
      hwId: HW,
      swId: 0n,
      meta,
      asPartition: true,
    });
    expect(v.modemResult).toEqual({ ok: true });
  });
  it('img --meta refuses an image verify would refuse: one size rule at the boundary (issue 14.8)', () => {
    const mbn = vec('fs.mbn');
    const codeSize = new DataView(mbn.buffer, mbn.byteOffset).getUint32(0x14, true);
    const meta = (size: number) =>
      parseEfsImageMeta(new TextEncoder().encode(`EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_SIZE,${size}\r\n`));
    const edge = 40 + codeSize + 512; // 40 + code < size − 512 is false: the modem refuses it
    let thrown: unknown;
    try {
      buildFsgImg(mbn, { meta: meta(edge) });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as NvError).code).toBe('NV_FSG_TOO_LARGE');
    const ok = buildFsgImg(mbn, { meta: meta(edge + 1) });
    const opts = { rootHash: readFileSync(join(vdir, 'root-sha256.txt'), 'utf8').trim(), hwId: HW, swId: 0n };
    expect(verifySignedImage(ok.img, { ...opts, meta: meta(edge + 1), asPartition: true }).modemResult).toEqual({
      ok: true,
    });
    // verify, fed the image img wrote with the larger buffer, refuses it at the size that img refuses.
    const v = verifySignedImage(ok.img, { ...opts, meta: meta(edge), asPartition: true });
    expect(v.checks.find((c) => c.step === 17)?.code).toBe('NV_FSG_TOO_LARGE');
    // FS1 takes MODEM_RAM_SIZE.
    const fs1 = parseEfsImageMeta(new TextEncoder().encode(`EFS_IMAGE_KEYS,VALUES\r\nMODEM_RAM_SIZE,${edge}\r\n`));
    expect(() => buildFsgImg(mbn, { meta: fs1, partition: 'FS1' })).toThrow(/MODEM_RAM_SIZE/);
  });
});

describe.skipIf(!hasTool('openssl'))(
  'OpenSSL differential (needs Debian openssl): the §6 verify recipe accepts our image',
  () => {
    it('splits the chain, checks root hash and FF padding, raw-verifies H3, verifies the chain', async () => {
      const folder = await readFsgKeyFolder(join(tmp, 'keys'));
      const r = await signFsgImage(TGZ, { ...folder, hwId: HW, swId: 0x1bn, notBefore: NOT_BEFORE });
      const img = buildFsgImg(r.mbn).img;
      const d = join(tmp, 'diff');
      execFileSync('mkdir', ['-p', d]);
      await writeFile(join(d, 'fs.img'), img);
      const script = `set -e; cd '${d}'; f=fs.img R=${r.rootHash}; SW=000000000000001B HW=009600E100000000; E='-pkeyopt rsa_padding_mode:pkcs1'
off=0; [ "$(tail -c +41 $f|head -c 20|tr -d '\\0')" = "IMGEFS- SIGNED_IMAGE" ] && off=512
u(){ od -An -tu4 -j $((off+$1)) -N4 $f|tr -d ' '; }; d=$(u 12) c=$(u 20) sp=$(u 24) ss=$(u 28) cp=$(u 32) cs=$(u 36)
tail -c +$((off+1)) $f|head -c $((40+c)) > signed; tail -c +$((off+41+sp-d)) $f|head -c $ss > sig; tail -c +$((off+41+cp-d)) $f|head -c $cs > rest
i=0; while [ "$(head -c1 rest|od -An -tx1|tr -d ' ')" = 30 ]; do openssl x509 -inform DER -in rest -outform DER -out c$i.der; tail -c +$(($(stat -c %s c$i.der)+1)) rest > r; mv r rest; i=$((i+1)); done
[ -z "$(tr -d '\\377' < rest|head -c1)" ]; [ "$(openssl dgst -sha256 -r c2.der|cut -c1-64)" = $R ]
hex2bin(){ printf "$(echo $1|sed 's/../\\\\x&/g')"; }
hex2bin $(printf %016X $((0x$SW ^ 0x3636363636363636))) > si; hex2bin $(printf %016X $((0x$HW ^ 0x5C5C5C5C5C5C5C5C))) > so
openssl dgst -sha256 -binary signed > h1; cat si h1|openssl dgst -sha256 -binary > h2; cat so h2|openssl dgst -sha256 -binary > h3
openssl x509 -inform DER -in c0.der -pubkey -noout > att.pub; openssl pkeyutl -verify -pubin -inkey att.pub $E -sigfile sig -in h3
for j in 0 1 2; do openssl x509 -inform DER -in c$j.der -out c$j.pem; done; openssl verify -no_check_time -x509_strict -CAfile c2.pem -untrusted c1.pem c0.pem
xxd -p h3 | tr -d '\\n'`;
      const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' });
      expect(out).toContain('Signature Verified Successfully');
      expect(out).toContain('c0.pem: OK');
      expect(out.trim().endsWith(r.hash)).toBe(true);
    });
  },
);
