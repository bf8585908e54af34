/**
 * Issue 17: the fast compound-file and QCN-model readers (directory read in place, streams as views of one copy of
 * the file, typed-array item index) give exactly what the straightforward readers they replaced gave
 * (`test/reference/qcn-reference.ts`, kept verbatim): the same entries, model and warnings, and on a bad file the
 * same NvError (code, message, offset, path, data). Files come from our writer, from our writer re-laid with shuffled
 * sectors and mini sectors (so the copying path of non-consecutive chains runs), from raw compound-file trees with
 * odd names, from `gsf createole` (independent writer, `scripts/make-qpst-qcn.py`) and from byte flips of all of them.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError, type Limits } from '@nv/core';
import { bytesToHex } from '@nv/core/bytes';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import { decodeCfb, encodeCfb, type CfbEntry } from '../src/cfb.ts';
import { decodeQcn, encodeQcn, qcnFromEntries, type Qcn, type QcnEfsFile, type QcnItem } from '../src/qcn.ts';
import { referenceDecodeCfb, referenceQcnFromEntries } from './reference/qcn-reference.ts';

const ENDOFCHAIN = 0xfffffffe;
const FATSECT = 0xfffffffd;

/** Typed arrays as hex, everything else as is (key order kept: JSON outputs depend on it). */
function canon(x: unknown): unknown {
  if (x instanceof Uint8Array) return `hex:${bytesToHex(x)}`;
  if (Array.isArray(x)) return x.map(canon);
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, y]) => [k, canon(y)]));
  return x;
}

/** What a call gives, as one string: its result, or the NvError's fields (and its cause's). */
function outcome(f: () => unknown): string {
  try {
    return JSON.stringify(canon(f()));
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    const cause = NvError.isInstance(e.cause) ? { code: e.cause.code, message: e.cause.message } : undefined;
    return JSON.stringify({ error: e.code, message: e.message, offset: e.offset, path: e.path, data: e.data, cause });
  }
}

/** Asserts the shipped readers and the reference readers agree on `b`; returns the decodeQcn outcome. */
function same(b: Uint8Array, limits?: Partial<Limits>): string {
  const opts = limits === undefined ? {} : { limits };
  expect(outcome(() => decodeCfb(b, opts))).toBe(outcome(() => referenceDecodeCfb(b, opts)));
  const got = outcome(() => decodeQcn(b, opts));
  expect(got).toBe(outcome(() => referenceQcnFromEntries(referenceDecodeCfb(b, opts))));
  return got;
}

/** A small seeded generator (fast-check gives the seed). */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), (s >>> 8) % n);
}

function shuffled(xs: number[], rand: (n: number) => number): number[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rand(i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

/**
 * Re-lays a CFB v3 file made by encodeCfb (one FAT run at sector 0, consecutive chains) with its mini sectors and
 * its non-FAT sectors shuffled: the same streams, held by non-consecutive chains (as a file edited in place is).
 */
function fragment(src: Uint8Array, seed: number): Uint8Array {
  const rand = lcg(seed);
  const b = src.slice();
  const v = new DataView(b.buffer);
  const sec = (s: number): number => 512 * (1 + s);
  const total = (b.length - 512) / 512;
  const fatAt = (s: number): number => sec(v.getUint32(0x4c + 4 * Math.floor(s / 128), true)) + 4 * (s % 128);
  const fat = Array.from({ length: total }, (_, s) => v.getUint32(fatAt(s), true));
  const chain = (start: number): number[] => {
    const out: number[] = [];
    for (let s = start; s !== ENDOFCHAIN; s = fat[s] as number) out.push(s);
    return out;
  };
  const entryAt = chain(v.getUint32(0x30, true)).flatMap((s) => [0, 1, 2, 3].map((k) => sec(s) + 128 * k));
  const rootSize = v.getUint32((entryAt[0] as number) + 0x78, true);
  const miniFatStart = v.getUint32(0x3c, true);
  if (rootSize > 0 && miniFatStart !== ENDOFCHAIN) {
    const miniChain = chain(v.getUint32((entryAt[0] as number) + 0x74, true));
    const mfChain = chain(miniFatStart);
    const miniAt = (i: number): number => sec(miniChain[i >> 3] as number) + 64 * (i & 7);
    const mfAt = (i: number): number => sec(mfChain[i >> 7] as number) + 4 * (i & 127);
    const m = rootSize / 64;
    const q = shuffled(
      Array.from({ length: m }, (_, i) => i),
      rand,
    );
    const oldMini = Array.from({ length: m }, (_, i) => src.slice(miniAt(i), miniAt(i) + 64));
    const oldMf = Array.from({ length: m }, (_, i) => v.getUint32(mfAt(i), true));
    for (let i = 0; i < m; i++) {
      b.set(oldMini[i] as Uint8Array, miniAt(q[i] as number));
      const x = oldMf[i] as number;
      v.setUint32(mfAt(q[i] as number), x >= 0xfffffffa ? x : (q[x] as number), true);
    }
    for (const at of entryAt) {
      const size = v.getUint32(at + 0x78, true);
      if (b[at + 0x42] === 2 && size > 0 && size < 4096)
        v.setUint32(at + 0x74, q[v.getUint32(at + 0x74, true)] as number, true);
    }
  }
  const movable = Array.from({ length: total }, (_, s) => s).filter((s) => fat[s] !== FATSECT);
  const perm = Array.from({ length: total }, (_, s) => s);
  shuffled(movable, rand).forEach((to, k) => (perm[movable[k] as number] = to));
  const out = b.slice();
  const ov = new DataView(out.buffer);
  for (const s of movable) out.set(b.subarray(sec(s), sec(s) + 512), sec(perm[s] as number));
  fat.forEach((x, s) => ov.setUint32(fatAt(perm[s] as number), x >= 0xfffffffa ? x : (perm[x] as number), true));
  const map = (at: number): void => ov.setUint32(at, perm[ov.getUint32(at, true)] as number, true);
  map(0x30);
  if (miniFatStart !== ENDOFCHAIN) map(0x3c);
  for (const old of entryAt) {
    const s = Math.floor(old / 512) - 1;
    const at = sec(perm[s] as number) + (old % 512);
    const type = out[at + 0x42];
    const size = ov.getUint32(at + 0x78, true);
    if ((type === 5 && size > 0) || (type === 2 && size >= 4096)) map(at + 0x74);
  }
  return out;
}

const bytesArb = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const itemArb: fc.Arbitrary<QcnItem> = fc.record(
  {
    id: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 65535 })),
    index: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 65535 })),
    subscription: fc.constantFrom(0, 0, 0, 1, 2, 17),
    payload: bytesArb(128),
    flag: fc.constantFrom(1, 1, 0, 7),
  },
  { requiredKeys: ['id', 'index', 'subscription', 'payload'] },
);
const efsArb: fc.Arbitrary<QcnEfsFile> = fc.record(
  {
    store: fc.constantFrom('NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'),
    path: fc.oneof(
      fc.stringMatching(/^\/[a-z0-9_/]{1,40}$/),
      fc.stringMatching(/^[ -~]{1,70}$/),
      fc.constantFrom('/nv/item_files/a', '/nv/item_files/A', 'pdp_profiles/x'),
    ),
    data: fc.oneof(
      { weight: 6, arbitrary: bytesArb(200) },
      { weight: 1, arbitrary: fc.integer({ min: 4000, max: 9000 }).map((n) => new Uint8Array(n).fill(n & 255)) },
    ),
    key: fc.stringMatching(/^[0-9A-Fa-z]{1,8}$/),
    backupHeader: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  },
  { requiredKeys: ['store', 'path', 'data'] },
);
const qcnArb: fc.Arbitrary<Qcn> = fc.record({
  model: fc.integer({ min: 0, max: 65535 }),
  fileVersion: fc.constantFrom<readonly [number, number, number]>([2, 0, 0], [3, 1, 4]),
  items: fc.array(itemArb, { maxLength: 40 }),
  efs: fc.array(efsArb, { maxLength: 40 }),
  extra: fc.array(
    fc.record({
      path: fc.constantFrom('00000000/default/Feature_Mask', 'Unknown_Root', '00000000/default/NV_Items/Stray'),
      type: fc.constant('stream' as const),
      data: bytesArb(80),
    }),
    { maxLength: 2 },
  ),
});
const limitsArb: fc.Arbitrary<Partial<Limits> | undefined> = fc.option(
  fc.record(
    { maxEntries: fc.integer({ min: 1, max: 120 }), maxDepth: fc.integer({ min: 0, max: 4 }) },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

/** encodeQcn, or undefined where the writer refuses the model (names it cannot write). */
function written(q: Qcn, keepLayout: boolean): Uint8Array | undefined {
  try {
    return encodeQcn(q, { keepLayout });
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

describe('decodeCfb / decodeQcn = the reference readers (issue 17 fast path)', () => {
  it('on QCNs written by encodeQcn, as written and re-laid with shuffled sectors', () => {
    fc.assert(
      fc.property(qcnArb, fc.boolean(), fc.nat(), limitsArb, (q, keep, seed, limits) => {
        const b = written(q, keep);
        fc.pre(b !== undefined);
        const plain = same(b as Uint8Array, limits);
        const frag = fragment(b as Uint8Array, seed);
        expect(same(frag, limits)).toBe(plain);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('on raw compound-file trees with odd names (case, non-ASCII folding, duplicates, unpaired keys)', () => {
    const seg = <T extends string>(...xs: T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);
    const records = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 }), fc.constantFrom(136, 136, 1)), {
        maxLength: 6,
      })
      .map((rs) => {
        const out = new Uint8Array(136 * rs.length);
        const v = new DataView(out.buffer);
        rs.forEach(([id, index, len], i) => {
          v.setUint16(136 * i, len, true);
          v.setUint16(136 * i + 2, 1, true);
          v.setUint16(136 * i + 4, id, true);
          v.setUint16(136 * i + 6, index, true);
        });
        return out;
      });
    const data = fc.oneof(
      records,
      fc.stringMatching(/^\/[a-z]{1,10}\x00?$/).map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0))),
      fc.constant(Uint8Array.of(1, 0, 1, 1, 0, 0, 0, 0, 0x2f, 0x61)),
      bytesArb(20),
      fc.integer({ min: 4096, max: 5000 }).map((n) => new Uint8Array(n).fill(0x41)),
    );
    const model = seg('00000000', '00000000', '00001234', 'Modèle', 'İx');
    const dflt = seg('default', 'default', 'DEFAULT', 'Default');
    const path = fc.oneof(
      fc.tuple(model, dflt, seg('Mobile_Property_Info', 'Feature_Mask', 'Other')).map((p) => p.join('/')),
      fc
        .tuple(
          model,
          dflt,
          seg('NV_NUMBERED_ITEMS', 'nv_numbered_items'),
          seg('NV_ITEM_ARRAY', 'nv_item_array_sim_2', 'X'),
        )
        .map((p) => p.join('/')),
      fc.tuple(model, seg('NV_NUMBERED_ITEMS'), seg('NV_ITEM_ARRAY', 'NV_ITEM_ARRAY_SIM_1')).map((p) => p.join('/')),
      fc
        .tuple(
          model,
          dflt,
          seg('NV_Items', 'Provisioning_Item_Files', 'EFS_Backup', 'efs_backup'),
          seg('EFS_Dir', 'EFS_Data', 'efs_dir'),
          seg('00000000', '00000001', 'k', 'K', 'İ'),
        )
        .map((p) => p.join('/')),
      seg('File_Version', 'file_version', 'Root_Extra'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ path, data }), { maxLength: 24 }),
        fc.boolean(),
        fc.nat(),
        (streams, version, seed) => {
          const entries: CfbEntry[] = streams.map((s) => ({ path: s.path, type: 'stream', data: s.data }));
          if (version) entries.unshift({ path: 'File_Version', type: 'stream', data: Uint8Array.of(2, 0, 0, 0, 0, 0) });
          let b: Uint8Array;
          try {
            b = encodeCfb(entries);
          } catch (e) {
            if (e instanceof RangeError) return; // a path both a stream and a storage: not a tree
            throw e;
          }
          const plain = same(b);
          expect(same(fragment(b, seed))).toBe(plain);
          // The model step alone, on the entry list as given (XQCN and lint call it so).
          expect(outcome(() => qcnFromEntries(entries))).toBe(outcome(() => referenceQcnFromEntries(entries)));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('on byte flips and truncations of written and re-laid QCNs: the same NvError, code, message and offset', () => {
    const base = encodeQcn({
      model: 7,
      items: Array.from({ length: 40 }, (_, i) => ({
        id: i % 30,
        index: i >> 5,
        subscription: i % 7 === 0 ? 1 : 0,
        payload: Uint8Array.of(i, 1, 2),
      })),
      efs: Array.from({ length: 30 }, (_, i) => ({
        store: (['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'] as const)[i % 3] as QcnEfsFile['store'],
        path: `/nv/item_files/f${i}`,
        data: new Uint8Array(i % 10 === 0 ? 4100 + i : 1 + 7 * i).fill(i),
      })),
      extra: [],
    });
    const variants = [base, fragment(base, 1), fragment(base, 2)];
    const dirAt = (b: Uint8Array): number => 512 * (1 + new DataView(b.buffer).getUint32(0x30, true));
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2),
        fc.array(fc.tuple(fc.oneof(fc.nat(511), fc.nat(2047), fc.nat(1 << 20)), fc.integer({ min: 1, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.boolean(),
        fc.option(fc.nat(1 << 20), { nil: undefined }),
        (which, flips, nearDir, cut) => {
          const src = variants[which] as Uint8Array;
          const b = src.slice(0, cut === undefined ? src.length : Math.max(1, cut % (src.length + 1)));
          const origin = nearDir ? dirAt(src) : 0;
          for (const [i, x] of flips) {
            const at = (origin + i) % b.length;
            b[at] = (b[at] as number) ^ x;
          }
          same(b);
        },
      ),
      { numRuns: FUZZ_RUNS * 2 },
    );
  });

  it('every header field and every field of every directory entry set to edge values: the same result or error', () => {
    const base = encodeQcn({
      model: 3,
      items: [1, 2, 2, 3].map((id, i) => ({ id, index: i & 1, subscription: 0, payload: Uint8Array.of(id) })),
      efs: [5, 70, 4096, 130, 9000, 1].map((n, i) => ({
        store: (['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'] as const)[i % 3] as QcnEfsFile['store'],
        path: `/p${i}`,
        data: new Uint8Array(n).fill(i + 1),
      })),
      extra: [{ path: '00000003/default/Feature_Mask', type: 'stream', data: Uint8Array.of(1) }],
    });
    for (const src of [base, fragment(base, 5)]) {
      const v0 = new DataView(src.buffer);
      const dirChain: number[] = [];
      const fatAt = (s: number): number => 512 * (1 + v0.getUint32(0x4c, true)) + 4 * s;
      for (let s = v0.getUint32(0x30, true); s !== ENDOFCHAIN; s = v0.getUint32(fatAt(s), true)) dirChain.push(s);
      const count = dirChain.length * 4;
      const sectors = (src.length - 512) / 512;
      const set = (at: number, width: 1 | 2 | 4, x: number): void => {
        const b = src.slice();
        const v = new DataView(b.buffer);
        if (width === 1) v.setUint8(at, x & 0xff);
        else if (width === 2) v.setUint16(at, x & 0xffff, true);
        else v.setUint32(at, x >>> 0, true);
        same(b);
      };
      const ids = [0, 1, count - 1, count, 0xfffffffe, 0xffffffff];
      const sects = [0, 1, sectors - 1, sectors, 0xfffffffe, 0xffffffff, 0xfffffffd];
      for (const x of [0, 1, 2, 108, 110, sectors + 1, 0x40000000]) set(0x2c, 4, x);
      for (const x of sects) for (const at of [0x30, 0x3c, 0x44, 0x4c]) set(at, 4, x);
      for (const x of [0, 1, 64, 4095, 4097, 0xffffffff]) set(0x38, 4, x);
      for (const x of [0, 1, 2, 0xffffffff]) set(0x40, 4, x);
      for (let i = 0; i < count; i++) {
        const at = 512 * (1 + (dirChain[i >> 2] as number)) + 128 * (i & 3);
        for (const x of [0, 1, 2, 4, 62, 64, 65, 66, 0xffff]) set(at + 0x40, 2, x);
        for (const x of [0, 1, 2, 3, 5]) set(at + 0x42, 1, x);
        for (const f of [0x44, 0x48, 0x4c]) for (const x of [...ids, i, i + 1]) set(at + f, 4, x);
        for (const x of [...sects, 2, 63]) set(at + 0x74, 4, x);
        for (const x of [0, 1, 63, 64, 65, 136, 4095, 4096, 1 << 20, 0x7fffffff, 0xffffffff]) set(at + 0x78, 4, x);
        set(at, 2, 0x130); // 'İ': a name whose lower case is longer
      }
    }
  });

  it('duplicate records in sorted, unsorted and split item arrays: the same items and warnings (hand-made)', () => {
    const records = (...keys: [number, number][]): Uint8Array => {
      const out = new Uint8Array(136 * keys.length);
      const v = new DataView(out.buffer);
      keys.forEach(([id, index], i) => {
        v.setUint16(136 * i, 136, true);
        v.setUint16(136 * i + 2, 1, true);
        v.setUint16(136 * i + 4, id, true);
        v.setUint16(136 * i + 6, index, true);
        out[136 * i + 8] = i + 1; // which record won
      });
      return out;
    };
    const qcn = (...arrays: [string, Uint8Array][]): Uint8Array =>
      encodeCfb([
        { path: 'File_Version', type: 'stream', data: Uint8Array.of(2, 0, 0, 0, 0, 0) },
        ...arrays.map(([path, data]) => ({ path: `00000000/${path}`, type: 'stream' as const, data })),
      ]);
    const A = 'default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY';
    const cases = [
      qcn([A, records([1, 0], [2, 0], [3, 0], [3, 0])]), // sorted, the last record repeats the one before
      qcn([A, records([1, 0], [5, 1], [2, 0], [5, 1], [1, 0])]), // out of order, then repeats
      qcn([A, records([1, 0], [2, 0])], ['NV_NUMBERED_ITEMS/NV_ITEM_ARRAY', records([2, 0], [3, 0])]), // two streams
      qcn([A, records([0xffff, 0xffff], [0, 0], [0xffff, 0xffff])]), // the greatest key, then the least
      qcn([A, records(...Array.from({ length: 300 }, (_, i): [number, number] => [i % 97, i % 3]))]), // grows
    ];
    for (const b of cases) expect(same(b)).not.toContain('"error"');
    const dups = (b: Uint8Array): number =>
      decodeQcn(b).warnings.filter((w) => w.code === 'NV_EFS_QCN_DUPLICATE_ITEM').length;
    expect(cases.map(dups)).toEqual([1, 2, 1, 1, 300 - 291]);
  });

  it('streams are the reader’s own bytes: overwriting the input afterwards changes no decoded byte', () => {
    const q: Qcn = {
      model: 0,
      items: [{ id: 10, index: 0, subscription: 0, payload: Uint8Array.of(1, 2, 3) }],
      efs: [
        { store: 'NV_Items', path: '/nv/item_files/rfnv/00020000', data: Uint8Array.of(9, 8, 7) },
        { store: 'EFS_Backup', path: '/big', data: new Uint8Array(5000).fill(5) },
      ],
      extra: [{ path: '00000000/default/Feature_Mask', type: 'stream', data: Uint8Array.of(0xff) }],
    };
    for (const b of [encodeQcn(q), fragment(encodeQcn(q), 3)]) {
      const { qcn } = decodeQcn(b);
      const before = JSON.stringify(canon(qcn));
      b.fill(0xaa);
      expect(JSON.stringify(canon(qcn))).toBe(before);
    }
  });

  it('a re-laid file really has non-consecutive chains and decodes to the same model (the fragmenter works)', () => {
    const q: Qcn = {
      model: 0,
      items: Array.from({ length: 60 }, (_, i) => ({ id: i, index: 0, subscription: 0, payload: Uint8Array.of(i) })),
      efs: Array.from({ length: 20 }, (_, i) => ({
        store: 'EFS_Backup' as const,
        path: `/f${i}`,
        data: new Uint8Array(100 + i).fill(i),
      })),
      extra: [],
    };
    const b = encodeQcn(q);
    const f = fragment(b, 42);
    expect(bytesToHex(f)).not.toBe(bytesToHex(b));
    // The FAT chain of the directory is no longer 1, 2, 3…: at least one link jumps.
    const v = new DataView(f.buffer);
    const fatAt = (s: number): number => 512 * (1 + v.getUint32(0x4c, true)) + 4 * s;
    let jumps = 0;
    for (let s = v.getUint32(0x30, true); s !== ENDOFCHAIN; s = v.getUint32(fatAt(s), true)) {
      const n = v.getUint32(fatAt(s), true);
      if (n !== ENDOFCHAIN && n !== s + 1) jumps++;
    }
    expect(jumps).toBeGreaterThan(0);
    expect(outcome(() => decodeQcn(f))).toBe(outcome(() => decodeQcn(b)));
    const sizes = (x: readonly QcnEfsFile[]): number[] => x.map((e) => e.data.length).sort((a, c) => a - c);
    expect(sizes(decodeQcn(f).qcn.efs)).toEqual(sizes(q.efs));
  });
});

const SCRIPT = new URL('../scripts/make-qpst-qcn.py', import.meta.url).pathname;
describe.skipIf(!(hasTool('gsf') && hasTool('python3')))(
  'the fast path on QPST-style QCNs made by gsf createole (needs Debian libgsf-bin and python3)',
  () => {
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'nv-qcn-fast-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const make = (name: string, ...args: string[]): Uint8Array => {
      execFileSync('python3', [SCRIPT, join(dir, name), ...args], { stdio: 'pipe' });
      return new Uint8Array(readFileSync(join(dir, name)));
    };

    it('every layout, and byte flips of it, reads as the reference reads it', () => {
      const files = [
        make('vendor.qcn'),
        make('legacy.qcn', '--layout', 'legacy'),
        make('misplaced.qcn', '--layout', 'misplaced'),
        make('unknown.qcn', '--unknown'),
      ];
      for (const f of files) expect(same(f)).not.toContain('"error"');
      fc.assert(
        fc.property(
          fc.constantFrom(...files),
          fc.array(fc.tuple(fc.nat(1 << 16), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
          (src, flips) => {
            const b = src.slice();
            for (const [i, x] of flips) b[i % b.length] = (b[i % b.length] as number) ^ x;
            same(b);
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
    });
  },
);
