import { describe, it, expect } from 'vitest';
import { parseNvDefinition } from '../src/compile.ts';
import { FACTORY_NV_IDS } from '../src/factory-nv.ts';
import { lintEfsTree, lintQcn, stripFactoryFromQcnModel, stripFactoryFromTree } from '../src/lint.ts';
import { parseNvInfo } from '../src/qcn-efs.ts';
import { type EfsEntry } from '../src/tree.ts';
import { parseXml } from '../src/xml.ts';

const f = (path: string, size: number, extra: Partial<EfsEntry> = {}): EfsEntry => ({
  path,
  type: size <= 128 ? 'item' : 'file',
  mode: 0o160777,
  uid: 0,
  gid: 0,
  mtime: 0,
  data: new Uint8Array(size),
  ...extra,
});
const def = parseNvDefinition(
  parseXml(
    '<NvDefinition><NvItem id="10" name="a"><Member type="uint16"/></NvItem><NvEfsItem fullpathname="/nv/item_files/known" name="k"><Member type="uint8"/></NvEfsItem></NvDefinition>',
    'd.xml',
  ),
);

describe('preload lint (§5)', () => {
  const tree = {
    entries: [
      f('/nvm/num/10', 2),
      f('/nvm/num/550', 9),
      f('/nvm/num/77', 1),
      f('/nv/item_files/known', 1),
      f('/nv/item_files/unknown', 1),
      f('/policyman/device_config.xml', 200),
      f('/policyman/rat_mask', 4),
      f(`/${'x'.repeat(99)}`, 1),
      f('/nv/item_files/rfnv/00020000', 9000),
      f('/big_item', 1, { type: 'item', data: new Uint8Array(200) }),
      f('/owned', 1, { uid: 5 }),
    ],
  };
  it('reports each rule with its code and severity', () => {
    const { ok, findings } = lintEfsTree(tree, { definition: def, nvInfo: parseNvInfo({ '10': 3 }), runtimeIds: [77] });
    const by = (code: string) => findings.filter((x) => x.code === code).map((x) => x.path);
    expect(ok).toBe(false);
    expect(by('NV_EFS_LINT_FACTORY_DATA')).toEqual(['/nvm/num/550']);
    expect(by('NV_EFS_LINT_RUNTIME_STATE')).toEqual(['/nvm/num/77', '/policyman/rat_mask']);
    expect(by('NV_EFS_LINT_NOT_IN_DEFINITION')).toEqual(['/nvm/num/550', '/nvm/num/77', '/nv/item_files/unknown']);
    expect(by('NV_EFS_NV_SIZE_MISMATCH')).toEqual(['/nvm/num/10']);
    expect(by('NV_EFS_TAR_NAME_TOO_LONG')).toEqual([`/${'x'.repeat(99)}`]);
    expect(by('NV_EFS_ITEM_TOO_LARGE')).toEqual(['/nv/item_files/rfnv/00020000']);
    expect(by('NV_EFS_TAR_SUSPECT_ENTRY')).toEqual(['/big_item', '/owned']);
    expect(findings.find((x) => x.code === 'NV_EFS_LINT_FACTORY_DATA')?.id).toBe(550);
  });
  it('built-in factory list: identity ids named as in public NV lists (README "Decisions")', () => {
    expect(Object.keys(FACTORY_NV_IDS).map(Number)).toEqual([
      0, 1, 114, 447, 550, 1943, 1992, 2497, 2498, 2499, 2500, 4678, 5597, 5598,
    ]);
    const t = { entries: [f('/nvm/num/5598', 8), f('/nvm/context1/2497', 100), f('/nvm/num/85', 6)] };
    expect(stripFactoryFromTree(t).removed).toEqual(['/nvm/num/5598', '/nvm/context1/2497']);
    expect(stripFactoryFromTree(t, { factoryIds: [85] }).removed).toEqual([
      '/nvm/num/5598',
      '/nvm/context1/2497',
      '/nvm/num/85',
    ]);
  });
  it('a clean tree is ok; --strip-factory removes factory NVs and the runtime state the lint flags', () => {
    expect(lintEfsTree({ entries: [f('/nvm/num/10', 2)] }, { definition: def })).toEqual({ ok: true, findings: [] });
    const s = stripFactoryFromTree(tree);
    expect(s.removed).toEqual(['/nvm/num/550', '/policyman/rat_mask']);
    expect(lintEfsTree(s.tree).findings.some((x) => x.code === 'NV_EFS_LINT_FACTORY_DATA')).toBe(false);
  });
  it('QCN lint and strip work on records', () => {
    const qcn = {
      model: 0,
      items: [
        { id: 550, index: 0, subscription: 0, payload: new Uint8Array(128) },
        { id: 10, index: 0, subscription: 1, payload: new Uint8Array(128) },
      ],
      efs: [],
      extra: [],
    };
    const { findings } = lintQcn(qcn, { definition: def });
    expect(findings.map((x) => `${x.code} ${x.path}`)).toEqual([
      'NV_EFS_LINT_FACTORY_DATA /nvm/num/550',
      'NV_EFS_LINT_NOT_IN_DEFINITION /nvm/num/550',
    ]);
    expect(stripFactoryFromQcnModel(qcn).qcn.items.map((i) => i.id)).toEqual([10]);
  });
});

describe('hostile QCNs (hardening pass)', () => {
  it('regression: lintQcn over 150 000 EFS files with a finding each returns them, not a RangeError (hand-made)', () => {
    // The EFS findings were merged with findings.push(...files.findings): a 10⁵-argument spread overflows the stack.
    const n = 150_000;
    const efs = Array.from({ length: n }, (_, i) => ({
      store: 'NV_Items' as const,
      path: `/policyman/p${i}`,
      data: new Uint8Array(1),
      key: String(i),
    }));
    const { ok, findings } = lintQcn({ model: 0, modelName: '0', items: [], efs, extra: [] });
    expect(ok).toBe(true);
    expect(findings).toHaveLength(n);
    expect(findings.every((f) => f.code === 'NV_EFS_LINT_RUNTIME_STATE')).toBe(true);
  });
});
