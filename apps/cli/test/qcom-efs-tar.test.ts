/**
 * Issue 14.5–14.7, 14.9 through the CLI: archives made by GNU tar (an independent tool), `efs repack`, the
 * pack/lint agreement on ustar, and `unpack --force` never deleting what unpack did not write.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile, readdir, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNv } from './_spawn.ts';
import { hasTool } from '../../../scripts/test-tools.ts';

let dir: string;
const LONG = `nv/item_files/${'d'.repeat(60)}/${'f'.repeat(50)}`; // 126 B as an EFS path

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-efs-tar-cli-'));
  await mkdir(join(dir, 'efs/nvm/num'), { recursive: true });
  await mkdir(join(dir, `efs/nv/item_files/${'d'.repeat(60)}`), { recursive: true });
  await writeFile(join(dir, 'efs/nvm/num/10'), Uint8Array.of(0x1f, 0));
  await mkdir(join(dir, 'long'), { recursive: true });
  await writeFile(join(dir, 'efs', LONG), Uint8Array.of(7));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const json = (s: string) => JSON.parse(s) as Record<string, unknown> & { error?: { code: string } };

describe.skipIf(!hasTool('tar'))('nv qcom efs on GNU tar archives (needs GNU tar)', () => {
  it('lint of a GNU long-name tar is an error finding (exit 1); ls shows the full name; repack refuses the 126-B name', async () => {
    execFileSync('tar', ['--format=gnu', '-C', join(dir, 'efs'), '-czf', join(dir, 'gnu.tgz'), '.']);
    const lint = await runNv(['qcom', 'efs', 'lint', 'gnu.tgz', '--json'], { cwd: dir });
    expect(lint.code).toBe(1);
    const l = json(lint.stdout) as { ok: boolean; findings: { severity: string; code: string; message: string }[] };
    expect(l.ok).toBe(false);
    const err = l.findings.find((f) => f.severity === 'error' && f.code === 'NV_EFS_BAD_TAR_TYPEFLAG');
    expect(err?.message).toMatch(/GNU long-name/);
    const ls = await runNv(['qcom', 'efs', 'ls', 'gnu.tgz', '--json'], { cwd: dir });
    expect(ls.code).toBe(0);
    expect((json(ls.stdout).entries as { path: string }[]).map((e) => e.path)).toContain(`/${LONG}`);
    // lint's suggestion: repack, "names over 99 bytes must be shortened first" — and repack indeed refuses them
    const rp = await runNv(['qcom', 'efs', 'repack', 'gnu.tgz', '-o', 'fixed.tgz', '--json'], { cwd: dir });
    expect(rp.code).toBe(1);
    expect(json(rp.stdout).error?.code).toBe('NV_EFS_TAR_NAME_TOO_LONG');
    expect(await readdir(dir)).not.toContain('fixed.tgz');
  }, 60_000);

  it('repack of a pax tar: {entries, repairs[]}, and the result lints clean', async () => {
    await rm(join(dir, 'efs/nv'), { recursive: true, force: true });
    execFileSync('tar', ['--format=pax', '-C', join(dir, 'efs'), '-czf', join(dir, 'pax.tgz'), '.']);
    const before = await runNv(['qcom', 'efs', 'lint', 'pax.tgz', '--json'], { cwd: dir });
    expect(before.code).toBe(1);
    const rp = await runNv(['qcom', 'efs', 'repack', 'pax.tgz', '-o', 'fixed.tgz', '--json'], { cwd: dir });
    expect(rp.code).toBe(0);
    const r = json(rp.stdout) as { entries: number; repairs: { path: string; repair: string }[] };
    expect(r.entries).toBe(4); // / /nvm /nvm/num /nvm/num/10
    expect(r.repairs).toContainEqual(expect.objectContaining({ path: '/nvm/num/10', repair: 'item-bit' }));
    expect(r.repairs.some((x) => x.repair === 'pax-header')).toBe(true);
    const after = await runNv(['qcom', 'efs', 'lint', 'fixed.tgz', '--json'], { cwd: dir });
    expect(after.code).toBe(0);
    const ls = json((await runNv(['qcom', 'efs', 'ls', 'fixed.tgz', '--json'], { cwd: dir })).stdout);
    expect(ls.entries).toContainEqual(expect.objectContaining({ path: '/nvm/num/10', type: 'item', mode: '0160777' }));
    const text = await runNv(['qcom', 'efs', 'repack', 'pax.tgz', '-o', 'fixed2.tgz'], { cwd: dir });
    expect(text.stdout).toMatch(/item-bit \(1\)/);
  }, 60_000);
});

describe('nv qcom efs pack --format vs lint (issue 14.7)', () => {
  it('pack v7 refuses a long name and suggests ustar; the ustar image lints ok', async () => {
    await mkdir(join(dir, 'p/nv/item_files/' + 'd'.repeat(60)), { recursive: true });
    await writeFile(join(dir, 'p', LONG), Uint8Array.of(1));
    const v7 = await runNv(['qcom', 'efs', 'pack', 'p', '-o', 'p7.tgz', '--json'], { cwd: dir });
    expect(v7.code).toBe(1);
    expect(json(v7.stdout).error?.code).toBe('NV_EFS_TAR_NAME_TOO_LONG');
    expect(JSON.stringify(json(v7.stdout))).toMatch(/ustar/);
    const folderLint = json((await runNv(['qcom', 'efs', 'lint', 'p', '--json'], { cwd: dir })).stdout);
    expect(folderLint.ok).toBe(true);
    const us = await runNv(['qcom', 'efs', 'pack', 'p', '--format', 'ustar', '-o', 'pu.tgz', '--json'], { cwd: dir });
    expect(us.code).toBe(0);
    const lint = await runNv(['qcom', 'efs', 'lint', 'pu.tgz', '--json'], { cwd: dir });
    expect(lint.code).toBe(0);
    const l = json(lint.stdout) as { ok: boolean; findings: { path?: string; severity: string }[] };
    expect(l.findings.find((f) => f.path === `/${LONG}`)?.severity).toBe('warning');
  }, 60_000);
});

describe('nv qcom efs unpack --force (issue 14.9)', () => {
  it('refuses when the output folder holds the input or files unpack did not write; keeps them', async () => {
    await mkdir(join(dir, 'u'), { recursive: true });
    await mkdir(join(dir, 's/nvm/num'), { recursive: true });
    await writeFile(join(dir, 's/nvm/num/10'), Uint8Array.of(1));
    expect((await runNv(['qcom', 'efs', 'pack', 's', '-o', 'u/fs_image.tar.gz'], { cwd: dir })).code).toBe(0);
    const inside = await runNv(['qcom', 'efs', 'unpack', 'u/fs_image.tar.gz', '-o', 'u', '--force', '--json'], {
      cwd: dir,
    });
    expect(inside.code).toBe(1);
    expect(json(inside.stdout).error?.code).toBe('NV_EXISTS');
    expect(await readdir(join(dir, 'u'))).toEqual(['fs_image.tar.gz']);
    expect((await runNv(['qcom', 'efs', 'unpack', 'u/fs_image.tar.gz', '-o', 'v', '--json'], { cwd: dir })).code).toBe(
      0,
    );
    await writeFile(join(dir, 'v/keep.txt'), 'mine');
    const other = await runNv(['qcom', 'efs', 'unpack', 'u/fs_image.tar.gz', '-o', 'v', '--force', '--json'], {
      cwd: dir,
    });
    expect(other.code).toBe(1);
    expect(await readFile(join(dir, 'v/keep.txt'), 'utf8')).toBe('mine');
    await rm(join(dir, 'v/keep.txt'));
    const again = await runNv(['qcom', 'efs', 'unpack', 'u/fs_image.tar.gz', '-o', 'v', '--force', '--json'], {
      cwd: dir,
    });
    expect(again.code).toBe(0);
  }, 60_000);
});
