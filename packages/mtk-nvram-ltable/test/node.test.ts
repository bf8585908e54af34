import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { readLtableFiles } from '../src/node.ts';
import { sampleLtable } from '../src/sample.ts';
import { serializeLtableJson } from '../src/json.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-ltable-node-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readLtableFiles', () => {
  it('reads JSON by extension or content, and C with Latin-1 comments at exact positions', async () => {
    await writeFile(join(dir, 't.json'), serializeLtableJson(sampleLtable()));
    await writeFile(join(dir, 'noext'), serializeLtableJson(sampleLtable()));
    expect((await readLtableFiles([join(dir, 't.json')])).table).toEqual(sampleLtable());
    expect((await readLtableFiles([join(dir, 'noext')])).table.entries).toHaveLength(sampleLtable().entries.length);
    // 0xE9 is not UTF-8 on its own: read as Latin-1, so the column counts one character per byte.
    const c = Buffer.concat([
      Buffer.from('/* caf'),
      Buffer.from([0xe9]),
      Buffer.from(
        ' */ ltable_entry_struct t[] = {{ A, 1, 1, NULL, NVRAM_CATEGORY_USER, NVRAM_ATTR_NOPE, "AB01", "000" }};',
      ),
    ]);
    await writeFile(join(dir, 'l1.c'), c);
    const err = await readLtableFiles([join(dir, 'l1.c')]).catch((e: unknown) => e);
    expect(NvError.isInstance(err) && err.code).toBe('NV_LTABLE_UNKNOWN_ATTR');
    expect((err as NvError).data).toEqual({ line: 1, column: c.indexOf('NVRAM_ATTR_NOPE') + 1 });
  });
  it('errors: missing file, JSON mixed with C, bad JSON names the file', async () => {
    expect(await readLtableFiles([join(dir, 'missing.c')]).catch((e: NvError) => e.code)).toBe('NV_NOT_FOUND');
    await writeFile(join(dir, 'x.c'), 'int x;');
    expect(await readLtableFiles([join(dir, 't.json'), join(dir, 'x.c')]).catch((e: NvError) => e.code)).toBe(
      'NV_BAD_INPUT',
    );
    await writeFile(join(dir, 'bad.json'), '{"generation":"moly-b","entries":[{"name":"X"}]}');
    const e = (await readLtableFiles([join(dir, 'bad.json')]).catch((x: unknown) => x)) as NvError;
    expect([e.code, e.path, e.data?.['file']]).toEqual([
      'NV_LTABLE_BAD_JSON',
      'entries[0].size',
      join(dir, 'bad.json'),
    ]);
    expect(e.message).toContain('bad.json: entries[0].size (entry X)');
  });
});
