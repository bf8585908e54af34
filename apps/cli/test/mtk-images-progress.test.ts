import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStream } from './_memory-stream.ts';
import { hasTool } from '../../../scripts/test-tools.ts';
import { run } from '../src/index.ts';

// Progress bars on image work (issue 19): stderr only, only on a TTY (or NV_PROGRESS=always), never with --json or
// --quiet; stdout is the same with or without them. Runs in process with a fake TTY stderr.

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'nv-cli-progress-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function nv(args: string[], opts: { tty?: boolean; env?: Record<string, string> } = {}) {
  const stdout = memoryStream(false, 100);
  const stderr = memoryStream(opts.tty ?? false, 100);
  const code = await run(args, { stdout, stderr, env: { NO_COLOR: '1', ...opts.env }, cwd: dir });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
const BAR = /\r\x1b\[2K.*[█░]+ +\d+%/;

describe.skipIf(!hasTool('mke2fs'))('progress bars on nvdata and nvram image work (needs mke2fs)', () => {
  beforeAll(() => {
    const root = join(dir, 'src');
    mkdirSync(join(root, 'md', 'NVRAM', 'NVD_DATA'), { recursive: true });
    for (let i = 0; i < 5; i++) writeFileSync(join(root, 'md', 'NVRAM', 'NVD_DATA', `AB1${i}_001`), `file ${i}`);
    execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-b', '1024', '-d', root, join(dir, 'nv.img'), '2M'], {
      stdio: 'ignore',
    });
    writeFileSync(join(dir, 'AB10_001'), 'new bytes');
  });

  it('extract, verify and put draw a bar on a fake-TTY stderr (NV_PROGRESS=always: no one-second wait)', async () => {
    const env = { NV_PROGRESS: 'always' };
    const x = await nv(['mtk', 'nvdata', 'extract', 'nv.img', '-o', 'x1'], { tty: true, env });
    expect(x.code).toBe(0);
    expect(x.stderr).toMatch(BAR);
    expect(x.stderr).toContain('reading image files');
    expect(x.stderr).toContain('100%');
    expect(x.stdout).toBe('extracted 5 files into x1\n');
    expect(x.stdout).not.toMatch(/[█░]/);
    const p = await nv(['mtk', 'nvdata', 'put', 'nv.img', 'AB10_001', '-o', 'p1.img'], { tty: true, env });
    expect(p.code).toBe(0);
    expect(p.stderr).toContain('nvdata put');
    expect(p.stderr).toMatch(BAR);
    const v = await nv(['mtk', 'nvdata', 'verify', 'nv.img'], { tty: true, env });
    expect(v.stderr).toMatch(BAR);
  });

  it('a real TTY under a second, a pipe, --json and --quiet: no bar; stdout JSON unchanged', async () => {
    const plain = await nv(['mtk', 'nvdata', 'put', 'nv.img', 'AB10_001', '-o', 'p2.img', '--json']);
    const tty = await nv(['mtk', 'nvdata', 'put', 'nv.img', 'AB10_001', '-o', 'p3.img', '--json'], {
      tty: true,
      env: { NV_PROGRESS: 'always' },
    });
    expect(tty.stderr).toBe('');
    expect(JSON.parse(tty.stdout)).toEqual({ ...JSON.parse(plain.stdout), output: 'p3.img' });
    expect(readFileSync(join(dir, 'p3.img'))).toEqual(readFileSync(join(dir, 'p2.img')));
    const quiet = await nv(['mtk', 'nvdata', 'extract', 'nv.img', '-o', 'x2', '--quiet'], {
      tty: true,
      env: { NV_PROGRESS: 'always' },
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    const fast = await nv(['mtk', 'nvdata', 'extract', 'nv.img', '-o', 'x3'], { tty: true });
    expect(fast.stderr).toBe(''); // under a second on a real TTY: nothing drawn
    const pipe = await nv(['mtk', 'nvdata', 'extract', 'nv.img', '-o', 'x4']);
    expect(pipe.stderr).toBe('');
  });

  it.skipIf(!hasTool('python3'))('nvram build and patch draw a bar; their JSON is the same without it', async () => {
    const script = new URL('../../../packages/mtk-lid-file/scripts/make-bin-region.py', import.meta.url).pathname;
    execFileSync('python3', [script, join(dir, 'nvram.bin')]);
    const env = { NV_PROGRESS: 'always' };
    // inspect exits 1 on the generator's deliberately bad file; the extraction is what is used here.
    await nv(['mtk', 'nvram', 'inspect', 'nvram.bin', '--block-size', '0x1000', '--extract', 'bx']);
    const b = await nv(['mtk', 'nvram', 'build', 'bx', '--block-size', '0x1000', '-o', 'b1.bin'], { tty: true, env });
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('nvram build');
    expect(b.stderr).toMatch(BAR);
    const bj = await nv(['mtk', 'nvram', 'build', 'bx', '--block-size', '0x1000', '-o', 'b2.bin', '--json'], {
      tty: true,
      env,
    });
    expect(bj.stderr).toBe('');
    expect(readFileSync(join(dir, 'b2.bin'))).toEqual(readFileSync(join(dir, 'b1.bin')));
    const wifi = new Uint8Array(readFileSync(join(dir, 'bx', 'WIFI')));
    writeFileSync(join(dir, 'WIFI'), wifi);
    const args = ['mtk', 'nvram', 'patch', 'nvram.bin', '--lid', 'WIFI', '--block-size', '0x1000'];
    const pt = await nv([...args, '-o', 'q1.bin'], { tty: true, env });
    expect(pt.code).toBe(0);
    expect(pt.stderr).toContain('nvram patch');
    expect(pt.stderr).toMatch(BAR);
    const pj = await nv([...args, '-o', 'q2.bin', '--json'], { tty: true, env });
    const pq = await nv([...args, '-o', 'q3.bin', '--json']);
    expect(pj.stderr).toBe('');
    expect(JSON.parse(pj.stdout)).toEqual({ ...JSON.parse(pq.stdout), output: 'q2.bin' });
  });
});
