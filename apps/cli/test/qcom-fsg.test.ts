import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, readFile, readdir, writeFile, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNv } from './_spawn.ts';
import { hasTool } from '../../../scripts/test-tools.ts';

const VEC = fileURLToPath(new URL('../../../packages/qcom-fsg-sign/test/vectors/', import.meta.url));
const HW = '0x009600E100000000';
let dir: string;
let rootHash: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-fsg-cli-'));
  await copyFile(join(VEC, 'fs_image.tar.gz'), join(dir, 'fs_image.tar.gz'));
  await copyFile(join(VEC, 'efs_image_meta.bin'), join(dir, 'efs_image_meta.bin'));
  const r = await runNv(
    ['qcom', 'fsg', 'keygen', '-o', 'keys', '--org', 'Acme', '--hw-id', HW, '--sw-id', '0x0', '--json'],
    { cwd: dir },
  );
  expect(r.code, r.stderr).toBe(0);
  rootHash = (JSON.parse(r.stdout) as { rootHash: string }).rootHash;
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nv qcom fsg', () => {
  it('keygen → root-hash → sign → img → verify → inspect as one flow (JSON shapes of cli.md)', async () => {
    expect(rootHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await readdir(join(dir, 'keys'))).sort()).toEqual([
      'ca.crt.pem',
      'ca.key.pem',
      'fs_signed_img_param.inc',
      'fsg-keys.json',
      'root.crt.pem',
      'root.key.pem',
    ]);
    const rh = await runNv(['qcom', 'fsg', 'root-hash', 'keys', '--c', '--hw-id', HW, '--sw-id', '0', '--json'], {
      cwd: dir,
    });
    expect(rh.code).toBe(0);
    const rhj = JSON.parse(rh.stdout) as { rootHash: string; roots: string[]; c: string };
    expect(rhj.rootHash).toBe(rootHash);
    expect(rhj.c).toContain('#define FS_SIGNED_IMG_ROOT_HASH \\');
    const s = await runNv(
      [
        'qcom',
        'fsg',
        'sign',
        'fs_image.tar.gz',
        '--keys',
        'keys',
        '--hw-id',
        HW,
        '--sw-id',
        '0x0',
        '-o',
        'fs.mbn',
        '--json',
      ],
      { cwd: dir },
    );
    expect(s.code, s.stderr).toBe(0);
    const sj = JSON.parse(s.stdout) as { rootHash: string; hash: string; size: number };
    expect(sj).toMatchObject({ rootHash, size: 40 + 512 + 256 + 6144 });
    expect(sj.hash).toMatch(/^[0-9a-f]{64}$/);
    const i = await runNv(['qcom', 'fsg', 'img', 'fs.mbn', '--meta', 'efs_image_meta.bin', '-o', 'fs.img', '--json'], {
      cwd: dir,
    });
    expect(i.code, i.stderr).toBe(0);
    expect(JSON.parse(i.stdout)).toMatchObject({ size: sj.size + 512, dest: 0x8a000200 });
    const v = await runNv(
      [
        'qcom',
        'fsg',
        'verify',
        'fs.img',
        '--root',
        'keys',
        '--hw-id',
        HW,
        '--sw-id',
        '0',
        '--meta',
        'efs_image_meta.bin',
        '--as-partition',
        '--json',
      ],
      { cwd: dir },
    );
    expect(v.code, v.stdout).toBe(0);
    const vj = JSON.parse(v.stdout) as {
      ok: boolean;
      checks: { name: string; ok: boolean; detail: string }[];
      modemResult: { ok: boolean };
    };
    expect(vj.ok).toBe(true);
    expect(vj.checks).toHaveLength(19);
    expect(vj.checks.every((c) => c.ok && typeof c.detail === 'string')).toBe(true);
    const ins = await runNv(['qcom', 'fsg', 'inspect', 'fs.img', '--json'], { cwd: dir });
    expect(ins.code).toBe(0);
    const ij = JSON.parse(ins.stdout) as {
      container: string;
      header: Record<string, number>;
      certs: { subject: string; sha256: string }[];
      ou: Record<string, unknown>;
      rootHash: string;
    };
    expect(ij.container).toBe('img');
    expect(Object.keys(ij.header)).toEqual([
      'imageId',
      'version',
      'imageSrc',
      'imageDest',
      'imageSize',
      'codeSize',
      'signaturePtr',
      'signatureSize',
      'certChainPtr',
      'certChainSize',
    ]);
    expect(ij.certs).toHaveLength(3);
    expect(ij.ou).toMatchObject({ swId: '0x0000000000000000', hwId: HW });
    expect(ij.rootHash).toBe(rootHash);
  }, 60_000);

  it('verify names the modem failure and exits 1; wrong ID / bad root hash / bare .mbn as partition', async () => {
    await runNv(
      ['qcom', 'fsg', 'sign', 'fs_image.tar.gz', '--keys', 'keys', '--hw-id', HW, '--sw-id', '0x0', '-o', 'v.mbn'],
      { cwd: dir },
    );
    const v = await runNv(
      ['qcom', 'fsg', 'verify', 'v.mbn', '--root-hash', rootHash, '--hw-id', '0x009600E100000001', '--json'],
      { cwd: dir },
    );
    expect(v.code).toBe(1);
    expect(JSON.parse(v.stdout)).toMatchObject({
      ok: false,
      modemResult: { code: 'NV_FSG_HWID_MISMATCH', secboot: 15 },
    });
    const bare = await runNv(['qcom', 'fsg', 'verify', 'v.mbn', '--root-hash', rootHash, '--as-partition', '--json'], {
      cwd: dir,
    });
    expect(JSON.parse(bare.stdout).modemResult.code).toBe('NV_FSG_IMG_SECTOR_MISSING');
    const dummy = await runNv(
      [
        'qcom',
        'fsg',
        'verify',
        'v.mbn',
        '--root-hash',
        'd58522cd602a501c3a798d201533ae31f924272b0b76f159fe81753b5fcfce60',
        '--json',
      ],
      { cwd: dir },
    );
    expect(JSON.parse(dummy.stdout).modemResult.code).toBe('NV_FSG_DUMMY_ROOT');
    const badHash = await runNv(['qcom', 'fsg', 'verify', 'v.mbn', '--root-hash', 'xyz', '--json'], { cwd: dir });
    expect(badHash.code).toBe(1);
    expect(JSON.parse(badHash.stdout).error.code).toBe('NV_FSG_ROOT_INPUT');
    const both = await runNv(['qcom', 'fsg', 'verify', 'v.mbn', '--json'], { cwd: dir });
    expect(both.code).toBe(2);
  }, 60_000);

  it('the OpenSSL vector verifies, its test root is flagged, --strict refuses it', async () => {
    const root = (await readFile(join(VEC, 'root-sha256.txt'), 'utf8')).trim();
    const v = await runNv(
      ['qcom', 'fsg', 'verify', join(VEC, 'fs.mbn.img'), '--root-hash', root, '--hw-id', HW, '--sw-id', '0', '--json'],
      { cwd: dir },
    );
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).findings.map((f: { code: string }) => f.code)).toContain('NV_FSG_KNOWN_TEST_ROOT');
    const strict = await runNv(
      ['qcom', 'fsg', 'verify', join(VEC, 'fs.mbn.img'), '--root-hash', root, '--strict', '--json'],
      { cwd: dir },
    );
    expect(strict.code).toBe(1);
  }, 60_000);

  it('sign refuses test keys, non-payloads and existing outputs without leaving files', async () => {
    const t = await runNv(
      [
        'qcom',
        'fsg',
        'sign',
        'fs_image.tar.gz',
        '--ca-cert',
        join(VEC, 'test-ca.crt.pem'),
        '--root-cert',
        join(VEC, 'test-root.crt.pem'),
        '--attest-cert',
        join(VEC, 'test-att.crt.pem'),
        '--attest-key',
        join(VEC, 'test-att.key.pem'),
        '--hw-id',
        HW,
        '--sw-id',
        '0',
        '-o',
        'test.mbn',
        '--json',
      ],
      { cwd: dir },
    );
    expect(t.code).toBe(1);
    expect(JSON.parse(t.stdout).error.code).toBe('NV_FSG_KNOWN_TEST_ROOT');
    const ok = await runNv(
      [
        'qcom',
        'fsg',
        'sign',
        'fs_image.tar.gz',
        '--ca-cert',
        join(VEC, 'test-ca.crt.pem'),
        '--root-cert',
        join(VEC, 'test-root.crt.pem'),
        '--attest-cert',
        join(VEC, 'test-att.crt.pem'),
        '--attest-key',
        join(VEC, 'test-att.key.pem'),
        '--hw-id',
        HW,
        '--sw-id',
        '0',
        '--allow-test-root',
        '-o',
        'test.mbn',
        '--json',
      ],
      { cwd: dir },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(Buffer.compare(await readFile(join(dir, 'test.mbn')), await readFile(join(VEC, 'fs.mbn')))).toBe(0);
    await writeFile(join(dir, 'junk.bin'), 'not a tarball at all');
    const junk = await runNv(
      ['qcom', 'fsg', 'sign', 'junk.bin', '--keys', 'keys', '--hw-id', HW, '--sw-id', '0', '-o', 'junk.mbn', '--json'],
      { cwd: dir },
    );
    expect(junk.code).toBe(1);
    expect(JSON.parse(junk.stdout).error.code).toBe('NV_FSG_PAYLOAD_FORMAT');
    const badId = await runNv(
      [
        'qcom',
        'fsg',
        'sign',
        'fs_image.tar.gz',
        '--keys',
        'keys',
        '--hw-id',
        '0xZZ',
        '--sw-id',
        '0',
        '-o',
        'id.mbn',
        '--json',
      ],
      { cwd: dir },
    );
    expect(JSON.parse(badId.stdout).error.code).toBe('NV_FSG_HWID_FORMAT');
    const exists = await runNv(
      [
        'qcom',
        'fsg',
        'sign',
        'fs_image.tar.gz',
        '--keys',
        'keys',
        '--hw-id',
        HW,
        '--sw-id',
        '0',
        '-o',
        'test.mbn',
        '--json',
      ],
      { cwd: dir },
    );
    expect(JSON.parse(exists.stdout).error.code).toBe('NV_EXISTS');
    const files = await readdir(dir);
    expect(files).not.toContain('junk.mbn');
    expect(files).not.toContain('id.mbn');
    expect(files.filter((f) => f.includes('.tmp') || f.startsWith('.'))).toEqual([]);
  }, 60_000);

  it('inspect and img name non-images (§2.2)', async () => {
    const g = await runNv(['qcom', 'fsg', 'inspect', 'fs_image.tar.gz', '--json'], { cwd: dir });
    expect(g.code).toBe(1);
    expect(JSON.parse(g.stdout).error.code).toBe('NV_FSG_UNSIGNED');
    await writeFile(join(dir, 'ff.bin'), Buffer.alloc(4096, 0xff));
    const e = await runNv(['qcom', 'fsg', 'inspect', 'ff.bin', '--json'], { cwd: dir });
    expect(JSON.parse(e.stdout).error.code).toBe('NV_FSG_EMPTY');
    const img = await runNv(['qcom', 'fsg', 'img', join(VEC, 'fs.mbn.img'), '-o', 'again.img', '--json'], { cwd: dir });
    expect(img.code).toBe(1);
    expect(JSON.parse(img.stdout).error.code).toBe('NV_FSG_IMG_SECTOR');
    expect(await readdir(dir)).not.toContain('again.img');
  }, 60_000);

  it('img --meta refuses an image larger than GOLDEN_RAM_SIZE − 512 and writes nothing (issue 14.8)', async () => {
    await writeFile(join(dir, 'tiny-meta.bin'), 'EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_SIZE,1000\r\n');
    const r = await runNv(
      ['qcom', 'fsg', 'img', join(VEC, 'fs.mbn'), '--meta', 'tiny-meta.bin', '-o', 'big.img', '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('NV_FSG_TOO_LARGE');
    expect(await readdir(dir)).not.toContain('big.img');
  }, 60_000);

  it('root-hash of several roots (MRC aggregate), img -p FS2', async () => {
    const two = await runNv(
      ['qcom', 'fsg', 'root-hash', join(VEC, 'test-root.crt.pem'), join(dir, 'keys', 'root.crt.pem'), '--json'],
      { cwd: dir },
    );
    expect(two.code).toBe(0);
    const tj = JSON.parse(two.stdout) as { rootHash: string; roots: string[] };
    expect(tj.roots).toEqual([(await readFile(join(VEC, 'root-sha256.txt'), 'utf8')).trim(), rootHash]);
    expect(tj.rootHash).not.toBe(rootHash);
    const bad = await runNv(['qcom', 'fsg', 'root-hash', 'fs_image.tar.gz', '--json'], { cwd: dir });
    expect(JSON.parse(bad.stdout).error.code).toBe('NV_FSG_ROOT_INPUT');
    const fs2 = await runNv(['qcom', 'fsg', 'img', join(VEC, 'fs.mbn'), '-p', 'FS2', '-o', 'fs2.img', '--json'], {
      cwd: dir,
    });
    expect(fs2.code).toBe(0);
    expect((await readFile(join(dir, 'fs2.img')))[0]).toBe(17);
  }, 60_000);

  it.skipIf(!hasTool('openssl'))(
    '--signer-cmd with openssl pkeyutl gives the OpenSSL vector bytes (needs Debian openssl)',
    async () => {
      const cmd = `openssl pkeyutl -sign -inkey '${join(VEC, 'test-att.key.pem')}' -pkeyopt rsa_padding_mode:pkcs1`;
      const ext = await runNv(
        [
          'qcom',
          'fsg',
          'sign',
          'fs_image.tar.gz',
          '--ca-cert',
          join(VEC, 'test-ca.crt.pem'),
          '--root-cert',
          join(VEC, 'test-root.crt.pem'),
          '--attest-cert',
          join(VEC, 'test-att.crt.pem'),
          '--signer-cmd',
          cmd,
          '--hw-id',
          HW,
          '--sw-id',
          '0',
          '--allow-test-root',
          '-o',
          'ext.mbn',
          '--json',
        ],
        { cwd: dir },
      );
      expect(ext.code, ext.stderr).toBe(0);
      expect(Buffer.compare(await readFile(join(dir, 'ext.mbn')), await readFile(join(VEC, 'fs.mbn')))).toBe(0);
      const noCert = await runNv(
        [
          'qcom',
          'fsg',
          'sign',
          'fs_image.tar.gz',
          '--keys',
          'keys',
          '--signer-cmd',
          cmd,
          '--hw-id',
          HW,
          '--sw-id',
          '0',
          '-o',
          'x.mbn',
          '--json',
        ],
        { cwd: dir },
      );
      expect(noCert.code).toBe(2);
    },
    60_000,
  );
});

describe('--hw-id is the full 64-bit MSM_HW_ID (issue 14.11)', () => {
  it('keygen, sign, verify and root-hash refuse a 32-bit HW_ID with NV_FSG_HWID_FORMAT (exit 2)', async () => {
    const cases = [
      ['qcom', 'fsg', 'keygen', '-o', 'k32', '--hw-id', '0x009600E1'],
      [
        'qcom',
        'fsg',
        'sign',
        'fs_image.tar.gz',
        '--keys',
        'keys',
        '--hw-id',
        '0x009600E1',
        '--sw-id',
        '0',
        '-o',
        'x.mbn',
      ],
      ['qcom', 'fsg', 'verify', 'fs_image.tar.gz', '--root', 'keys', '--hw-id', '0x009600E1'],
      ['qcom', 'fsg', 'root-hash', 'keys', '--c', '--hw-id', '9830625'],
    ];
    for (const args of cases) {
      const r = await runNv(['--json', ...args], { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout).error.code).toBe('NV_FSG_HWID_FORMAT');
    }
    expect(existsSync(join(dir, 'k32'))).toBe(false);
    expect(existsSync(join(dir, 'x.mbn'))).toBe(false);
  }, 60_000);
  it('sign and verify warn when --hw-id differs from the hwId keygen recorded in the keys folder', async () => {
    const other = '0x000480E100000000';
    const s = await runNv(
      ['--json', 'qcom', 'fsg', 'sign', 'fs_image.tar.gz', '--keys', 'keys', '--hw-id', other, '--sw-id', '0'].concat([
        '-o',
        'other.mbn',
        '--force',
      ]),
      { cwd: dir },
    );
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout).warnings).toEqual([
      expect.objectContaining({ code: 'NV_FSG_KEYS_HWID_MISMATCH', severity: 'warning' }),
    ]);
    expect(s.stderr).toContain('NV_FSG_KEYS_HWID_MISMATCH');
    const same = await runNv(
      ['--json', 'qcom', 'fsg', 'sign', 'fs_image.tar.gz', '--keys', 'keys', '--hw-id', HW, '--sw-id', '0'].concat([
        '-o',
        'same.mbn',
        '--force',
      ]),
      { cwd: dir },
    );
    expect(JSON.parse(same.stdout).warnings).toEqual([]);
    const v = await runNv(['--json', 'qcom', 'fsg', 'verify', 'other.mbn', '--root', 'keys', '--hw-id', other], {
      cwd: dir,
    });
    expect(JSON.parse(v.stdout).findings.map((f: { code: string }) => f.code)).toContain('NV_FSG_KEYS_HWID_MISMATCH');
  }, 60_000);
});
