/**
 * Issue 17: `@nv/qcom-efs/node` starts without the XML compiler (fast-xml-parser) and tar-stream, so `nv qcom efs
 * pack`, `ls` and `unpack` do not load them (they were most of the ~65 modules a pack loaded). Checked on the static
 * import graph of the sources (the bundle keeps the same split: dynamic imports become separate chunks).
 */
import { describe, expect, it } from 'vitest';
import { staticImportGraph } from '../../../scripts/test-tools.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

const staticGraph = (entry: string): Set<string> => staticImportGraph(SRC, entry);

describe('@nv/qcom-efs/node loads the XML compiler and tar-stream only on first use', () => {
  it('node.ts reaches neither xml.ts/compile.ts/fast-xml-parser nor tar-stream statically', () => {
    const graph = staticGraph('node.ts');
    expect(graph.has('node-efs.ts')).toBe(true);
    for (const heavy of ['xml.ts', 'compile.ts', 'xqcn.ts', 'fast-xml-parser', 'tar-stream', 'node-repack.ts'])
      expect(graph.has(heavy), heavy).toBe(false);
    // …while the main entry does reach them (the check above is not vacuous).
    expect(staticGraph('index.ts').has('fast-xml-parser')).toBe(true);
  });

  it('binary.ts (QCN, QCN ↔ tree, image, sniff) reaches no XML module: the same functions as the main entry', async () => {
    const graph = staticGraph('binary.ts');
    for (const used of ['qcn.ts', 'qcn-efs.ts', 'image.ts', 'sniff.ts']) expect(graph.has(used), used).toBe(true);
    for (const heavy of ['xml.ts', 'compile.ts', 'xqcn.ts', 'lint.ts', 'fast-xml-parser', 'tar-stream'])
      expect(graph.has(heavy), heavy).toBe(false);
    // ./model (the simulator's and the DIAG client's tables) stays off the XML layer too.
    for (const heavy of ['xml.ts', 'compile.ts', 'lint.ts', 'fast-xml-parser'])
      expect(staticGraph('model.ts').has(heavy), `model.ts → ${heavy}`).toBe(false);
    const binary = await import('../src/binary.ts');
    const main = await import('../src/index.ts');
    for (const [k, v] of Object.entries(binary)) expect(v, k).toBe(main[k as keyof typeof main]);
  });

  it('the lazily loaded calls still work', async () => {
    const node = await import('../src/node.ts');
    await expect(node.readNvDefinitionFile(join(SRC, 'does-not-exist.xml'))).rejects.toMatchObject({
      code: 'NV_NOT_FOUND',
    });
  });
});
