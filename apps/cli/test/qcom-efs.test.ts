import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readFile, readdir, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { runNv } from './_spawn.ts';

const VEC = fileURLToPath(new URL('../../../packages/qcom-efs/test/vectors/', import.meta.url));
let dir: string;

/** A V7 header assembled by hand (qcom-efs.md §2.7), for hostile archives the packer refuses to write. */
function v7(name: string, mode: number, typeflag: string, data = new Uint8Array(0)): Uint8Array {
  const h = new Uint8Array(512);
  const put = (at: number, s: string) => h.set(new TextEncoder().encode(s), at);
  put(0, name);
  put(100, `${mode.toString(8).padStart(7, '0')}\0`);
  put(108, '0000000\0');
  put(116, '0000000\0');
  put(124, `${data.length.toString(8).padStart(11, '0')}\0`);
  put(136, '00000000000\0');
  put(156, typeflag);
  h.fill(0x20, 148, 156);
  put(
    148,
    `${h
      .reduce((a, b) => a + b, 0)
      .toString(8)
      .padStart(6, '0')}\0 `,
  );
  const out = new Uint8Array(512 + Math.ceil(data.length / 512) * 512);
  out.set(h);
  out.set(data, 512);
  return out;
}
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-efs-cli-'));
  await mkdir(join(dir, 'efs/nvm/num'), { recursive: true });
  await writeFile(join(dir, 'efs/nvm/num/10'), Uint8Array.of(0x1f, 0));
  await writeFile(
    join(dir, 'efs/.nv-efs.json'),
    JSON.stringify({
      version: 1,
      entries: { '/lnk': { type: 'symlink', mode: 0o120777, mtime: 0, uid: 0, gid: 0, target: '/nvm/num/10' } },
    }),
  );
  await writeFile(
    join(dir, 'evil.tar'),
    cat(v7('/', 0o40777, '5'), v7('/../evil', 0o100777, '0', Uint8Array.of(1)), new Uint8Array(1024)),
  );
  await writeFile(
    join(dir, 'case.tar'),
    cat(
      v7('/', 0o40777, '5'),
      v7('/A', 0o100777, '0', Uint8Array.of(1)),
      v7('/a', 0o100777, '0', Uint8Array.of(2)),
      new Uint8Array(1024),
    ),
  );
  await writeFile(
    join(dir, 'def.xml'),
    '<NvDefinition><NvItem id="10" name="a" maxIndex="1"><Member type="uint8" name="nam"/><Member type="uint16"/></NvItem><NvItem id="550" name="imei"><Member type="uint8" sizeOf="9"/></NvItem><NvEfsItem fullpathname="/nv/item_files/x" name="x"><Member type="uint8"/></NvEfsItem></NvDefinition>',
  );
  await writeFile(
    join(dir, 'master.xml'),
    '<NvSource xmlns:xi="http://www.w3.org/2001/XInclude"><NvItem id="10" encoding="dec">0,31</NvItem><xi:include href="INC.xml#xpointer(/NvSource/*)"/></NvSource>',
  );
  await writeFile(
    join(dir, 'inc.xml'),
    '<NvSource><NvItem id="550" encoding="hex">8 a 1 2 3 4 5 6 7</NvItem><NvEfsItem fullpathname="/nv/item_files/x" useProvisioningStore="true">7</NvEfsItem><NvItem id="99">1</NvItem></NvSource>',
  );
  await writeFile(
    join(dir, 'loop.xml'),
    '<NvSource xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="loop.xml#xpointer(/NvSource/*)"/></NvSource>',
  );
  await writeFile(
    join(dir, 'sizes.json'),
    JSON.stringify({ '10': { size: 2, arraySize: 2 }, '5': 2, '550': 9, '99': 1 }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nv qcom efs', () => {
  it('pack → ls → unpack with cli.md shapes; refuses to overwrite without --force', async () => {
    const p = await runNv(['qcom', 'efs', 'pack', 'efs', '-o', 'fs_image.tar.gz', '--json'], { cwd: dir });
    expect(p.code).toBe(0);
    expect(JSON.parse(p.stdout)).toMatchObject({ entries: 5, tarBytes: 5 * 512 + 512 + 1024 });
    const gz = new Uint8Array(await readFile(join(dir, 'fs_image.tar.gz')));
    expect(Buffer.from(gz.subarray(0, 10)).toString('hex')).toBe('1f8b08000000000000ff');
    expect(JSON.parse(p.stdout).gzBytes).toBe(gz.length);
    const again = await runNv(['qcom', 'efs', 'pack', 'efs', '-o', 'fs_image.tar.gz', '--json'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).error.code).toBe('NV_EXISTS');

    const ls = await runNv(['qcom', 'efs', 'ls', 'fs_image.tar.gz', '--json'], { cwd: dir });
    expect(ls.code).toBe(0);
    const list = JSON.parse(ls.stdout);
    expect(list.container).toBe('gzip>tar');
    expect(list.entries.map((e: { path: string }) => e.path)).toEqual(['/', '/lnk', '/nvm', '/nvm/num', '/nvm/num/10']);
    expect(list.entries[4]).toMatchObject({ path: '/nvm/num/10', type: 'item', mode: '0160777', size: 2 });
    expect(list.entries[4].sha256).toBe(createHash('sha256').update(Uint8Array.of(0x1f, 0)).digest('hex'));

    const un = await runNv(['qcom', 'efs', 'unpack', 'fs_image.tar.gz', '-o', 'out', '--json'], { cwd: dir });
    expect(un.code).toBe(0);
    expect(JSON.parse(un.stdout)).toMatchObject({ files: 1 });
    expect([...(await readFile(join(dir, 'out/nvm/num/10')))]).toEqual([0x1f, 0]);
    const manifest = JSON.parse(await readFile(join(dir, 'out/.nv-efs.json'), 'utf8'));
    expect(manifest.entries['/lnk']).toMatchObject({ type: 'symlink', target: '/nvm/num/10' });
    expect(manifest.entries['/nvm/num/10']).toMatchObject({ type: 'item', mode: 0o160777 });
  });

  it('ls reads a hand-assembled .mbn (§2.9 header + tar.gz + 256 B + 6144 × FF)', async () => {
    const gz = new Uint8Array(await readFile(join(dir, 'fs_image.tar.gz')));
    const m = new Uint8Array(40 + gz.length + 256 + 6144);
    const v = new DataView(m.buffer);
    [27, 3, 40, 0, gz.length + 256 + 6144, gz.length, gz.length, 256, gz.length + 256, 6144].forEach((x, i) =>
      v.setUint32(4 * i, x, true),
    );
    m.set(gz, 40);
    m.fill(0xff, 40 + gz.length + 256);
    await writeFile(join(dir, 'fs_image.tar.gz.mbn'), m);
    const ls = await runNv(['qcom', 'efs', 'ls', 'fs_image.tar.gz.mbn', '--json'], { cwd: dir });
    expect(ls.code).toBe(0);
    const j = JSON.parse(ls.stdout);
    expect(j.container).toBe('mbn>gzip>tar');
    expect(j.entries.map((e: { path: string }) => e.path)).toContain('/nvm/num/10');
  });

  it('unpack refuses ".." and case collisions and leaves no folder', async () => {
    const evil = await runNv(['qcom', 'efs', 'unpack', 'evil.tar', '-o', 'e', '--json'], { cwd: dir });
    expect(evil.code).toBe(1);
    expect(JSON.parse(evil.stdout).error.code).toBe('NV_EFS_BAD_PATH');
    const kase = await runNv(['qcom', 'efs', 'unpack', 'case.tar', '-o', 'c', '--json'], { cwd: dir });
    expect(kase.code).toBe(1);
    expect(JSON.parse(kase.stdout).error.code).toBe('NV_EFS_UNSAFE_PATH');
    const names = await readdir(dir);
    expect(names.filter((n) => n === 'e' || n === 'c' || n.endsWith('.tmp'))).toEqual([]);
  });

  it('ls of a non-image is NV_EFS_CONTAINER_UNKNOWN (exit 1); missing -o is a usage error (exit 2)', async () => {
    await writeFile(join(dir, 'junk.bin'), 'hello world, not an image at all');
    const r = await runNv(['qcom', 'efs', 'ls', 'junk.bin', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('NV_EFS_CONTAINER_UNKNOWN');
    const u = await runNv(['qcom', 'efs', 'pack', 'efs'], { cwd: dir });
    expect(u.code).toBe(2);
  });
});

describe('nv qcom qcn', () => {
  it('inspect prints the cli.md shape', async () => {
    const r = await runNv(['qcom', 'qcn', 'inspect', join(VEC, 'foreign.qcn'), '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.fileVersion).toBe('2.0.0');
    expect(j.items[0]).toMatchObject({ id: 10, index: 0, subscription: 0, size: 128 });
    expect(j.items[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(j.efs[0]).toMatchObject({ path: '/nv/item_files/rfnv/00024997', size: 3 });
    expect(j.streams.length).toBe(17);
    // Feature_Mask is opaque on purpose (§2.2): listed, known, not "unknown".
    expect(j.streams.find((x: { path: string }) => x.path === '00004094/default/Feature_Mask')).toMatchObject({
      size: 56,
      known: true,
    });
    expect(j.unknownStreams).toEqual([]);
  });
  it('to-efs needs sizes (NV_EFS_NV_INFO_MISSING, no folder left), and writes the tree with --nv-info', async () => {
    const bad = await runNv(['qcom', 'qcn', 'to-efs', join(VEC, 'foreign.qcn'), '-o', 'q1', '--json'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.code).toBe('NV_EFS_NV_INFO_MISSING');
    expect((await readdir(dir)).includes('q1')).toBe(false);
    const ok = await runNv(
      ['qcom', 'qcn', 'to-efs', join(VEC, 'foreign.qcn'), '-o', 'q2', '--nv-info', 'sizes.json', '--json'],
      { cwd: dir },
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).files).toBe(7);
    expect([...(await readFile(join(dir, 'q2/nvm/num/10_1')))]).toEqual([2, 0]);
    expect([...(await readFile(join(dir, 'q2/nvm/context1/10')))]).toEqual([9, 0]);
    // Sizes from a reference tree of the same build (§3.6 source 2) instead of a table.
    const ref = await runNv(
      ['qcom', 'qcn', 'to-efs', join(VEC, 'foreign.qcn'), '-o', 'q3', '--reference', 'q2', '--json'],
      { cwd: dir },
    );
    expect(ref.code).toBe(0);
    expect(JSON.parse(ref.stdout).files).toBe(7);
  });
  it('inspect of a non-QCN is NV_EFS_BAD_QCN_SIGNATURE', async () => {
    const r = await runNv(['qcom', 'qcn', 'inspect', join(VEC, 'small.tar'), '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('NV_EFS_BAD_QCN_SIGNATURE');
  });
});

describe('nv qcom nv compile → qcn to-efs → efs pack → efs lint', () => {
  it('runs the whole offline flow with cli.md shapes', async () => {
    const c = await runNv(
      ['qcom', 'nv', 'compile', 'master.xml', '--definition', 'def.xml', '-o', 'out.qcn', '--json'],
      { cwd: dir },
    );
    expect(c.code).toBe(0);
    const cj = JSON.parse(c.stdout);
    expect(cj).toMatchObject({ items: 3, efsItems: 1 });
    expect(cj.warnings.map((w: { code: string }) => w.code)).toEqual(['NV_EFS_XML_NO_DEFINITION']);
    const t = await runNv(['qcom', 'qcn', 'to-efs', 'out.qcn', '--nv-info', 'sizes.json', '-o', 'tree', '--json'], {
      cwd: dir,
    });
    expect(t.code).toBe(0);
    expect([...(await readFile(join(dir, 'tree/nvm/num/10')))]).toEqual([0x1f, 0]);
    const p = await runNv(['qcom', 'efs', 'pack', 'tree', '-o', 'tree.tar.gz', '--json'], { cwd: dir });
    expect(p.code).toBe(0);
    const l = await runNv(['qcom', 'efs', 'lint', 'tree.tar.gz', '--definition', 'def.xml', '--json'], { cwd: dir });
    expect(l.code).toBe(0);
    const lj = JSON.parse(l.stdout);
    expect(lj.ok).toBe(true);
    expect(lj.findings.map((f: { code: string; id?: number }) => `${f.code} ${f.id}`).sort()).toEqual([
      'NV_EFS_LINT_FACTORY_DATA 550',
      'NV_EFS_LINT_NOT_IN_DEFINITION 99',
    ]);
    const s = await runNv(['qcom', 'efs', 'lint', 'out.qcn', '--strip-factory', '-o', 'clean.qcn', '--json'], {
      cwd: dir,
    });
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).removed.map((r: { id: number }) => r.id)).toEqual([550]);
    const again = await runNv(['qcom', 'efs', 'lint', 'clean.qcn', '--json'], { cwd: dir });
    expect(JSON.parse(again.stdout)).toEqual({ ok: true, findings: [] });
    // The XQCN form: compile to .xqcn, inspect shows the same items as the QCN.
    const x = await runNv(
      ['qcom', 'nv', 'compile', 'master.xml', '--definition', 'def.xml', '-o', 'out.xqcn', '--json'],
      { cwd: dir },
    );
    expect(x.code).toBe(0);
    expect((await readFile(join(dir, 'out.xqcn'), 'utf8')).startsWith('<?xml')).toBe(true);
    const ix = JSON.parse((await runNv(['qcom', 'qcn', 'inspect', 'out.xqcn', '--json'], { cwd: dir })).stdout);
    const iq = JSON.parse((await runNv(['qcom', 'qcn', 'inspect', 'out.qcn', '--json'], { cwd: dir })).stdout);
    expect(ix.items).toEqual(iq.items);
    expect(ix.efs).toEqual(iq.efs);
  });
  it('lint exits 1 with ok:false on errors; compile errors name the file; usage errors exit 2', async () => {
    await writeFile(join(dir, 'sizes-bad.json'), JSON.stringify({ '10': { size: 3, arraySize: 2 } }));
    const l = await runNv(['qcom', 'efs', 'lint', 'tree', '--nv-info', 'sizes-bad.json', '--json'], { cwd: dir });
    expect(l.code).toBe(1);
    const lj = JSON.parse(l.stdout);
    expect(lj.ok).toBe(false);
    expect(lj.findings.find((f: { severity: string }) => f.severity === 'error')).toMatchObject({
      code: 'NV_EFS_NV_SIZE_MISMATCH',
      path: '/nvm/num/10',
      id: 10,
    });
    const loop = await runNv(
      ['qcom', 'nv', 'compile', 'loop.xml', '--definition', 'def.xml', '-o', 'loop.qcn', '--json'],
      { cwd: dir },
    );
    expect(loop.code).toBe(1);
    const err = JSON.parse(loop.stdout).error;
    expect(err.code).toBe('NV_EFS_XML_INCLUDE_CYCLE');
    expect(err.message).toMatch(/loop\.xml → .*loop\.xml/);
    expect((await readdir(dir)).includes('loop.qcn')).toBe(false);
    const u = await runNv(['qcom', 'efs', 'lint', 'out.qcn', '--strip-factory', '--json'], { cwd: dir });
    expect(u.code).toBe(2);
  });
});
