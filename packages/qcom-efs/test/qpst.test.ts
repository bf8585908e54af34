/**
 * Issue 14 (1, 2): QCN backups laid out as QPST writes them — numbered items at
 * `<MODEL>/default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY[_SIM_<n>]` — built by `scripts/make-qpst-qcn.py` straight from the
 * spec's byte tables and packed by Debian libgsf-bin's `gsf createole` (an independent CFB writer). Generated at
 * test time; nothing binary is committed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@nv/core/bytes';
import { hasTool, nvErrorCode as code } from '../../../scripts/test-tools.ts';
import { decodeCfb, encodeCfb, type CfbEntry } from '../src/cfb.ts';
import { lintQcn, parseLintLists, stripFactoryFromQcnEntries } from '../src/lint.ts';
import { decodeQcn, encodeQcn } from '../src/qcn.ts';

const SCRIPT = new URL('../scripts/make-qpst-qcn.py', import.meta.url).pathname;
const tools = hasTool('gsf') && hasTool('python3');
let dir = '';
const make = (name: string, ...args: string[]): Uint8Array => {
  const out = join(dir, name);
  execFileSync('python3', [SCRIPT, out, ...args], { stdio: 'pipe' });
  return new Uint8Array(readFileSync(out));
};
const FACTORY = [0, 550, 447, 1943, 4678];

describe.skipIf(!tools)('QPST-style QCN made by gsf createole (needs Debian libgsf-bin and python3)', () => {
  let vendor: Uint8Array;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nv-qpst-'));
    vendor = make('vendor.qcn');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the numbered items at <MODEL>/default/NV_NUMBERED_ITEMS, both subscriptions, no warnings (14.1)', () => {
    const { qcn, warnings } = decodeQcn(vendor);
    expect(warnings).toEqual([]);
    expect(qcn.propertyInfo?.producer).toBe('QPST Software Download 2.7.0.378');
    expect(qcn.items.map((i) => `${i.subscription}:${i.id}_${i.index}`)).toEqual([
      '0:10_0',
      '0:0_0',
      '0:550_0',
      '0:447_0',
      '0:1943_0',
      '0:4678_0',
      '0:10_1',
      '0:855_0',
      '0:6828_0',
      '1:550_0',
      '1:10_0',
    ]);
    expect(bytesToHex(qcn.items[0]?.payload.subarray(0, 4) ?? new Uint8Array())).toBe('001f0000');
    expect(qcn.extra.map((e) => e.path)).toEqual(['00004094/default/Feature_Mask']);
    // EFS_Backup <K> numbered in listing order, paired by name.
    expect(qcn.efs.filter((f) => f.store === 'EFS_Backup').map((f) => `${f.key} ${f.path}`)[3]).toBe(
      '00000003 /policyman/ue_mode',
    );
  });

  it('our writer puts the arrays where gsf (an independent reader) finds them under default (14.1)', () => {
    const { qcn } = decodeQcn(vendor);
    const out = join(dir, 'ours.qcn');
    writeFileSync(out, encodeQcn(qcn));
    const listing = execFileSync('gsf', ['list', out], { encoding: 'utf8' });
    expect(listing).toMatch(/ 00004094\/default\/NV_NUMBERED_ITEMS\/NV_ITEM_ARRAY\n/);
    expect(listing).toMatch(/ 00004094\/default\/NV_NUMBERED_ITEMS\/NV_ITEM_ARRAY_SIM_1\n/);
    expect(listing).not.toMatch(/ 00004094\/NV_NUMBERED_ITEMS/);
    const arr = execFileSync('gsf', ['cat', out, '00004094/default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY']);
    expect(arr.length).toBe(9 * 136);
    const key = (i: { subscription: number; id: number; index: number }): number =>
      i.subscription * 1e9 + i.id * 1e3 + i.index;
    const sorted = (l: readonly (typeof qcn.items)[number][]) => [...l].sort((a, b) => key(a) - key(b));
    expect(sorted(decodeQcn(encodeQcn(qcn)).qcn.items)).toEqual(sorted(qcn.items));
  });

  it('still reads the old <MODEL>/NV_NUMBERED_ITEMS location of earlier @nv/qcom-efs files, with a warning', () => {
    const { qcn, warnings } = decodeQcn(make('legacy.qcn', '--layout', 'legacy'));
    expect(qcn.items.length).toBe(11);
    expect(warnings.map((w) => w.code)).toEqual(['NV_EFS_QCN_LEGACY_LOCATION', 'NV_EFS_QCN_LEGACY_LOCATION']);
  });

  it('a stream the reader does not understand is warned about and kept, never skipped silently (14.1)', () => {
    const { qcn, warnings } = decodeQcn(make('unknown.qcn', '--unknown'));
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'NV_EFS_QCN_UNKNOWN_STREAM', path: '00004094/default/QPST_Future_Stream' }),
    ]);
    expect(qcn.extra.map((e) => e.path)).toContain('00004094/default/QPST_Future_Stream');
    const lint = lintQcn(qcn);
    expect(lint.findings.filter((f) => f.code === 'NV_EFS_QCN_UNKNOWN_STREAM').map((f) => f.path)).toEqual([
      '00004094/default/QPST_Future_Stream',
    ]);
  });

  it('lint finds every identity/factory item of the backup: records and EFS_Backup files (14.2)', () => {
    const { qcn } = decodeQcn(vendor);
    const { ok, findings } = lintQcn(qcn);
    expect(ok).toBe(true);
    const factory = findings.filter((f) => f.code === 'NV_EFS_LINT_FACTORY_DATA').map((f) => f.path);
    expect(factory).toEqual([
      ...FACTORY.map((id) => `/nvm/num/${id}`),
      '/nvm/context1/550',
      '/nvm/num/550',
      '/nvm/context1/550',
    ]);
    expect(findings.filter((f) => f.code === 'NV_EFS_LINT_RUNTIME_STATE').map((f) => f.path)).toEqual([
      '/policyman/ue_mode',
    ]);
  });

  it('a QCN with an NV_NUMBERED_ITEMS storage but no readable items is an error, not a clean lint (14.2)', () => {
    const { qcn } = decodeQcn(make('misplaced.qcn', '--layout', 'misplaced'));
    expect(qcn.items).toEqual([]);
    const { ok, findings } = lintQcn(qcn);
    expect(ok).toBe(false);
    expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.path}`)).toEqual([
      'NV_EFS_QCN_ITEMS_UNREAD NV_NUMBERED_ITEMS/NV_ITEM_ARRAY',
      'NV_EFS_QCN_ITEMS_UNREAD NV_NUMBERED_ITEMS/NV_ITEM_ARRAY_SIM_1',
    ]);
  });

  it('--strip-factory removes exactly those, lists them, and keeps every other stream byte-identical (14.2)', () => {
    const before = decodeCfb(vendor);
    const { entries, removed } = stripFactoryFromQcnEntries(before, { factoryIds: [6828] });
    expect(removed.map((r) => `${r.kind} ${r.path} ${r.reason}`)).toEqual([
      'file /nvm/num/550 IMEI',
      'file /policyman/ue_mode runtime state',
      'file /nvm/context1/550 IMEI',
      'record /nvm/num/0 ESN',
      'record /nvm/num/550 IMEI',
      'record /nvm/num/447 Bluetooth address',
      'record /nvm/num/1943 MEID',
      'record /nvm/num/4678 WLAN MAC address',
      'record /nvm/num/6828 factory data',
      'record /nvm/context1/550 IMEI',
    ]);
    const out = encodeCfb(entries);
    const after = new Map(decodeCfb(out).map((e) => [e.path, e]));
    const gone = new Set(removed.filter((r) => r.kind === 'file').flatMap((r) => r.streams));
    const arrays = /NV_NUMBERED_ITEMS\/NV_ITEM_ARRAY/;
    const hex = (e: CfbEntry | undefined): string => bytesToHex(e?.data ?? new Uint8Array(0));
    let same = 0;
    for (const e of before) {
      if (e.type !== 'stream') continue;
      if (gone.has(e.path)) {
        expect(after.has(e.path), e.path).toBe(false);
      } else if (arrays.test(e.path)) {
        // The kept records, byte for byte, in their original order.
        const data = e.data as Uint8Array;
        const kept: string[] = [];
        for (let at = 0; at < data.length; at += 136) {
          const id = data[at + 4]! | (data[at + 5]! << 8);
          if (![...FACTORY, 6828].includes(id)) kept.push(bytesToHex(data.subarray(at, at + 136)));
        }
        expect(hex(after.get(e.path))).toBe(kept.join(''));
      } else {
        expect(hex(after.get(e.path)), e.path).toBe(hex(e));
        same++;
      }
    }
    expect(same).toBe(27 - 2 - 6); // all streams but the two arrays and three Dir/Data pairs
    // And the result is clean: no factory finding left, no numbered item lost but the stripped ones.
    const { qcn } = decodeQcn(out);
    expect(qcn.items.map((i) => `${i.subscription}:${i.id}_${i.index}`)).toEqual([
      '0:10_0',
      '0:10_1',
      '0:855_0',
      '1:10_0',
    ]);
    expect(lintQcn(qcn).findings).toEqual([]);
    // gsf (independent) reads our stripped file.
    writeFileSync(join(dir, 'clean.qcn'), out);
    expect(execFileSync('gsf', ['cat', join(dir, 'clean.qcn'), '00004094/default/Feature_Mask']).length).toBe(77);
  });
});

describe('lint lists (user-extendable, issue 14.2)', () => {
  it('parses {factoryIds, runtimeIds, runtimePaths} and rejects anything else', () => {
    expect(parseLintLists({ factoryIds: [6853], runtimePaths: ['/nv/item_files/modem/x'] })).toEqual({
      factoryIds: [6853],
      runtimeIds: [],
      runtimePaths: ['/nv/item_files/modem/x'],
    });
    expect(code(() => parseLintLists({ factoryIds: [70000] }))).toBe('NV_EFS_BAD_LINT_LIST');
    expect(code(() => parseLintLists({ runtimePaths: ['relative'] }))).toBe('NV_EFS_BAD_LINT_LIST');
    expect(code(() => parseLintLists({ factoryId: [1] }))).toBe('NV_EFS_BAD_LINT_LIST');
    expect(code(() => parseLintLists([]))).toBe('NV_EFS_BAD_LINT_LIST');
  });
});
