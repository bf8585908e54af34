/** Issue 16.5 through the CLI: unwrap a stock image, sign it with our own keys, wrap it, verify with our root. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNv } from './_spawn.ts';

const VEC = fileURLToPath(new URL('../../../packages/qcom-fsg-sign/test/vectors/', import.meta.url));
const HW = '0x009600E100000000';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-unwrap-cli-'));
  await copyFile(join(VEC, 'fs.mbn.img'), join(dir, 'stock.img'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nv qcom fsg unwrap', () => {
  it('unwrap → sign with own keys → img re-keys a stock image; the old root is reported', async () => {
    const oldRoot = (await readFile(join(VEC, 'root-sha256.txt'), 'utf8')).trim();
    const u = await runNv(['qcom', 'fsg', 'unwrap', 'stock.img', '-o', 'fs_image.tar.gz', '--json'], { cwd: dir });
    expect(u.code, u.stderr).toBe(0);
    const j = JSON.parse(u.stdout);
    expect(j).toMatchObject({ signed: true, rootHash: oldRoot, container: 'img', format: 'gzip' });
    expect(j.size).toBe((await readFile(join(VEC, 'fs_image.tar.gz'))).length);
    expect(
      Buffer.compare(await readFile(join(dir, 'fs_image.tar.gz')), await readFile(join(VEC, 'fs_image.tar.gz'))),
    ).toBe(0);
    // No overwrite without --force.
    expect((await runNv(['qcom', 'fsg', 'unwrap', 'stock.img', '-o', 'fs_image.tar.gz'], { cwd: dir })).code).not.toBe(
      0,
    );

    const k = await runNv(['qcom', 'fsg', 'keygen', '-o', 'keys', '--hw-id', HW, '--sw-id', '0x0', '--json'], {
      cwd: dir,
    });
    expect(k.code, k.stderr).toBe(0);
    const newRoot = JSON.parse(k.stdout).rootHash as string;
    expect(newRoot).not.toBe(oldRoot);
    const signArgs = ['--keys', 'keys', '--hw-id', HW, '--sw-id', '0x0'];
    // Signing the stock image itself is refused with the hint.
    const bad = await runNv(['qcom', 'fsg', 'sign', 'stock.img', ...signArgs, '-o', 'x.mbn', '--json'], { cwd: dir });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/NV_FSG_SIGNED_INPUT/);
    expect(bad.stdout + bad.stderr).toMatch(/nv qcom fsg unwrap stock\.img/);
    const s = await runNv(['qcom', 'fsg', 'sign', 'fs_image.tar.gz', ...signArgs, '-o', 'mine.mbn'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    expect((await runNv(['qcom', 'fsg', 'img', 'mine.mbn', '-o', 'mine.img'], { cwd: dir })).code).toBe(0);
    const v = await runNv(
      ['qcom', 'fsg', 'verify', 'mine.img', '--root', 'keys/root.crt.pem', '--hw-id', HW, '--sw-id', '0x0', '--json'],
      { cwd: dir },
    );
    expect(v.code, v.stdout).toBe(0);
    const again = await runNv(['qcom', 'fsg', 'unwrap', 'mine.img', '-o', 'again.tar.gz', '--json'], { cwd: dir });
    expect(JSON.parse(again.stdout).rootHash).toBe(newRoot);
    expect(
      Buffer.compare(await readFile(join(dir, 'again.tar.gz')), await readFile(join(VEC, 'fs_image.tar.gz'))),
    ).toBe(0);
  }, 120_000);

  it('--help has an example', async () => {
    expect((await runNv(['qcom', 'fsg', 'unwrap', '--help'])).stdout).toMatch(/nv qcom fsg unwrap fsg\.bin/);
  });
});
