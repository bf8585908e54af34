/** Issue 20.2: the Node readers of the compiler's and the lint's inputs (`node-inputs.ts`), which replaced the CLI's own. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileNvFiles, parseNvDefinition } from '../src/compile.ts';
import { readLintListsFile, readNvDefinitionFile, readNvInfoFile } from '../src/node-inputs.ts';
import { encodeQcn } from '../src/qcn.ts';

const DEF = `<NvDefinition>
  <NvItem id="10" name="NV_PREF_MODE_I"><Member name="nam" type="uint8" sizeOf="1"/><Member name="mode" type="uint16" sizeOf="1"/></NvItem>
  <NvItem id="20000" name="RFNV_X"><Member name="a" type="uint8" sizeOf="3"/></NvItem>
</NvDefinition>`;
const dir = mkdtempSync(join(tmpdir(), 'nv-node-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Node readers of inputs (node-inputs.ts)', () => {
  it('readNvDefinitionFile, readNvInfoFile, readLintListsFile; errors name the file as given', async () => {
    writeFileSync(join(dir, 'def.xml'), DEF);
    writeFileSync(join(dir, 'info.json'), JSON.stringify({ '10': { size: 2, arraySize: 1 } }));
    writeFileSync(join(dir, 'lists.json'), JSON.stringify({ factoryIds: [6853] }));
    writeFileSync(join(dir, 'bad.json'), '{');
    expect([...readNvDefinitionFile(join(dir, 'def.xml')).items.keys()]).toEqual([10, 20000]);
    expect(await readNvInfoFile(join(dir, 'info.json'))).toEqual([{ id: 10, size: 2, arraySize: 1 }]);
    expect((await readLintListsFile(join(dir, 'lists.json'))).factoryIds).toEqual([6853]);
    await expect(readNvInfoFile(join(dir, 'bad.json'), 'bad.json')).rejects.toMatchObject({
      code: 'NV_EFS_BAD_NV_INFO',
      message: expect.stringContaining('bad.json is not valid JSON'),
    });
    await expect(readLintListsFile(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'NV_EFS_BAD_LINT_LIST' });
  });
  it('compileNvFiles takes a parsed definition as well as its path', () => {
    const files: Record<string, string> = {
      'm.xml': '<NvSource><NvItem id="10" index="0" encoding="dec">0,31</NvItem></NvSource>',
      'def.xml': DEF,
    };
    const resolver = { read: (p: string) => files[p], list: () => Object.keys(files) };
    const byPath = compileNvFiles('m.xml', 'def.xml', resolver);
    const byDef = compileNvFiles('m.xml', parseNvDefinition(DEF), resolver);
    expect(encodeQcn(byDef.qcn)).toEqual(encodeQcn(byPath.qcn));
  });
});
