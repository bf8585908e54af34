import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nvErrorCodeAsync as codeOf } from '../../../scripts/test-tools.ts';
import { mkdtemp, readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '../src/index.ts';
import {
  assertCanWrite,
  findExecutable,
  readFileLimited,
  toNvIoError,
  writeDirectoryAtomic,
  writeFileAtomic,
} from '../src/node.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-core-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes bytes, strings and streamed chunks, leaving no temp files', async () => {
    await writeFileAtomic(join(dir, 'a.bin'), new Uint8Array([1, 2, 3]));
    await writeFileAtomic(join(dir, 'b.txt'), 'hello');
    async function* chunks() {
      yield new Uint8Array([9]);
      yield new Uint8Array([8, 7]);
    }
    await writeFileAtomic(join(dir, 'c.bin'), chunks());
    expect([...(await readFile(join(dir, 'a.bin')))]).toEqual([1, 2, 3]);
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('hello');
    expect([...(await readFile(join(dir, 'c.bin')))]).toEqual([9, 8, 7]);
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
  it('refuses to overwrite without force, replaces with force', async () => {
    const p = join(dir, 'keep.bin');
    await writeFile(p, 'old');
    expect(await codeOf(writeFileAtomic(p, 'new'))).toBe('NV_EXISTS');
    expect(await readFile(p, 'utf8')).toBe('old');
    await writeFileAtomic(p, 'new', { force: true });
    expect(await readFile(p, 'utf8')).toBe('new');
  });
  it('leaves nothing behind when the source fails midway', async () => {
    const p = join(dir, 'partial.bin');
    async function* failing() {
      yield new Uint8Array(1000);
      throw new NvError('NV_TRUNCATED', 'input ended');
    }
    expect(await codeOf(writeFileAtomic(p, failing()))).toBe('NV_TRUNCATED');
    const names = await readdir(dir);
    expect(names.some((n) => n.includes('partial'))).toBe(false);
  });
  it('applies the file mode (private keys use 0600)', async () => {
    const p = join(dir, 'key.pem');
    await writeFileAtomic(p, 'secret', { mode: 0o600 });
    expect((await stat(p)).mode & 0o777).toBe(0o600);
  });
  it('a missing folder is NV_NOT_FOUND', async () => {
    expect(await codeOf(writeFileAtomic(join(dir, 'no/such/dir/x'), 'x'))).toBe('NV_NOT_FOUND');
  });
});

describe('writeDirectoryAtomic', () => {
  it('creates the folder only on success', async () => {
    const out = join(dir, 'tree');
    await writeDirectoryAtomic(out, async (tmp) => {
      await mkdir(join(tmp, 'nvm'));
      await writeFile(join(tmp, 'nvm', '1'), 'x');
    });
    expect(await readFile(join(out, 'nvm', '1'), 'utf8')).toBe('x');
    expect(await codeOf(writeDirectoryAtomic(out, async () => undefined))).toBe('NV_EXISTS');
    const failed = join(dir, 'failed');
    expect(
      await codeOf(
        writeDirectoryAtomic(failed, async (tmp) => {
          await writeFile(join(tmp, 'half'), 'x');
          throw new NvError('NV_BAD_INPUT', 'boom');
        }),
      ),
    ).toBe('NV_BAD_INPUT');
    expect(
      await codeOf(
        stat(failed)
          .then(() => undefined)
          .catch((e) => Promise.reject(toNvIoError(e, failed))),
      ),
    ).toBe('NV_NOT_FOUND');
    expect((await readdir(dir)).some((n) => n.startsWith('.failed'))).toBe(false);
  });
  it('replaces a non-empty folder with force', async () => {
    const out = join(dir, 'tree2');
    await writeDirectoryAtomic(out, async (tmp) => writeFile(join(tmp, 'a'), 'a'));
    await writeDirectoryAtomic(out, async (tmp) => writeFile(join(tmp, 'b'), 'b'), { force: true });
    expect(await readdir(out)).toEqual(['b']);
  });
});

describe('reading', () => {
  it('readFileLimited enforces the size cap before reading', async () => {
    const p = join(dir, 'big.bin');
    await writeFile(p, new Uint8Array(100));
    expect((await readFileLimited(p, 100)).length).toBe(100);
    expect(await codeOf(readFileLimited(p, 99))).toBe('NV_LIMIT');
    expect(await codeOf(readFileLimited(join(dir, 'missing')))).toBe('NV_NOT_FOUND');
    expect(await codeOf(readFileLimited(dir))).toBe('NV_IO');
  });
  it('regression: a device or pipe reporting size 0 (/dev/zero) stops at the limit instead of reading forever', async () => {
    expect(await codeOf(readFileLimited('/dev/zero', 1000))).toBe('NV_LIMIT');
    expect((await readFileLimited('/dev/null', 10)).length).toBe(0);
  });
  it('reads files larger than one chunk exactly', async () => {
    const p = join(dir, 'multi.bin');
    const data = new Uint8Array(200_000).map((_, i) => i * 7);
    await writeFile(p, data);
    expect(Buffer.from(await readFileLimited(p)).equals(Buffer.from(data))).toBe(true);
    expect(await codeOf(readFileLimited(p, 199_999))).toBe('NV_LIMIT');
  });
  it('assertCanWrite and findExecutable', async () => {
    await assertCanWrite(join(dir, 'fresh'));
    expect(await codeOf(assertCanWrite(join(dir, 'a.bin')))).toBe('NV_EXISTS');
    expect(await findExecutable('sh')).toMatch(/\/sh$/);
    expect(await findExecutable('definitely-not-a-tool-xyz')).toBeUndefined();
  });
});
