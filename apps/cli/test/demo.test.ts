import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeLidFile, lidKeyFromBytes, parseLidFileName } from '@nv/mtk-lid-file';
import { parseLtableJson } from '@nv/mtk-nvram-ltable';
import { MTK_SIM_KEY } from '@nv/device-sim/mtk';
import { hexToBytes } from '@nv/core/bytes';
import { lintMbn } from '@nv/qcom-mbn';
import { hasTool } from '../../../scripts/test-tools.ts';
import { runNv } from './_spawn.ts';

interface Step {
  id: string;
  title: string;
  ok: boolean;
  summary: string;
  artefacts: string[];
  data?: Record<string, unknown>;
}

let dir: string;
let out: string;
let doc: { ok: boolean; out: string; steps: Step[] };
let exitCode: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-demo-test-'));
  out = join(dir, 'out');
  const r = await runNv(['demo', '--out', out, '--json'], { cwd: dir });
  exitCode = r.code;
  doc = JSON.parse(r.stdout) as typeof doc;
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const artefact = (p: string): string => join(out, p);

describe('nv demo --out --json', () => {
  it('every step of every flow succeeds and exits 0', () => {
    const failed = doc.steps.filter((s) => !s.ok).map((s) => `${s.id}: ${s.summary}`);
    expect(failed).toEqual([]);
    expect(doc.ok).toBe(true);
    expect(exitCode).toBe(0);
  });
  it('tells the whole story in order: Qualcomm FSG, MCFG, MediaTek', () => {
    expect(doc.steps.map((s) => s.id)).toEqual([
      'qcom.compile',
      'qcom.lint',
      'qcom.efs-tree',
      'qcom.pack',
      'qcom.keygen',
      'qcom.sign',
      'qcom.img',
      'qcom.boot',
      'mcfg.build',
      'mcfg.round-trip',
      'mcfg.select',
      'mtk.ltable',
      'mtk.lid-files',
      'mtk.plan',
      'mtk.upgrade',
    ]);
    for (const s of doc.steps) {
      expect(s.title.length).toBeGreaterThan(5);
      for (const a of s.artefacts) expect(existsSync(artefact(a)), a).toBe(true);
    }
  });
  it('MCFG artefacts pass the package lint and select the right carrier', async () => {
    for (const name of ['mcfg_sw_tmo', 'mcfg_sw_vzw']) {
      const lint = lintMbn(await readFile(artefact(`mcfg/${name}.mbn`)));
      expect(lint.findings.filter((f) => f.severity === 'error')).toEqual([]);
    }
    const sel = JSON.parse(await readFile(artefact('mcfg/selection.json'), 'utf8')) as Record<
      string,
      { selected: string }
    >;
    expect(sel['8901260012345678901']?.selected).toBe('mcfg_sw_tmo');
    expect(sel['8914800000123456789']?.selected).toBe('mcfg_sw_vzw');
  });
  it('MediaTek LID files on disk decode with good checksums against the written table', async () => {
    const table = parseLtableJson(await readFile(artefact('mtk/ltable.json'), 'utf8'));
    const lidFiles = doc.steps.find((s) => s.id === 'mtk.lid-files')!.artefacts.filter((a) => a.includes('/nvdata/'));
    expect(lidFiles.length).toBeGreaterThan(5);
    for (const a of lidFiles) {
      const name = a.split('/').pop()!;
      const entry = table.entries.find((e) => e.prefix === parseLidFileName(name).prefix);
      const decoded = decodeLidFile(await readFile(artefact(a)), entry, {
        key: lidKeyFromBytes(hexToBytes(MTK_SIM_KEY), 'B'),
        bindToChip: false,
      });
      expect(
        decoded.records.every((r) => r.checksumOk),
        a,
      ).toBe(true);
    }
    const report = JSON.parse(await readFile(artefact('mtk/upgrade-report.json'), 'utf8')) as Record<
      string,
      { agree: boolean }
    >;
    expect(Object.keys(report).sort()).toEqual([
      'download-only',
      'factory-reset',
      'firmware-upgrade',
      'format-all',
      'ota',
    ]);
    expect(Object.values(report).every((r) => r.agree)).toBe(true);
  });
});

describe('demo Qualcomm artefacts against the packages’ own verifiers', () => {
  it('nv qcom fsg verify accepts the .img with the demo root hash, HW_ID and SW_ID, and rejects another SW_ID', async () => {
    const rootHash = String(doc.steps.find((s) => s.id === 'qcom.keygen')!.data!['rootHash']);
    const img = artefact('qcom/fs_image.tar.gz.mbn.img');
    const ok = await runNv([
      'qcom',
      'fsg',
      'verify',
      img,
      '--root-hash',
      rootHash,
      '--hw-id',
      '0x009600E100000000',
      '--sw-id',
      '0x1B',
      '--json',
    ]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).ok).toBe(true);
    const wrong = await runNv([
      'qcom',
      'fsg',
      'verify',
      img,
      '--root-hash',
      rootHash,
      '--hw-id',
      '0x009600E100000000',
      '--sw-id',
      '0x0',
      '--json',
    ]);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout).ok).toBe(false);
  });
  it('the first boot restored every entry of the packed tree', () => {
    const boot = doc.steps.find((s) => s.id === 'qcom.boot')!;
    expect(boot.data).toMatchObject({ source: 'fsg', verified: true, missing: [] });
  });
});

describe.skipIf(!hasTool('tar'))('demo fs_image.tar.gz against GNU tar (needs tar)', () => {
  it('GNU tar lists the same entries the demo packed', async () => {
    const gz = artefact('qcom/fs_image.tar.gz');
    const pack = doc.steps.find((s) => s.id === 'qcom.pack');
    expect(pack?.ok, 'the Qualcomm flow must pack an image').toBe(true);
    const listing = execFileSync('tar', ['-tzf', gz], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(listing.length).toBe(pack!.data!['entries']);
    expect(listing.every((p) => p.startsWith('/'))).toBe(true);
  });
});

describe.skipIf(!hasTool('openssl'))('demo keys against OpenSSL (needs openssl)', () => {
  it('the root hash is the SHA-256 of the root certificate DER', async () => {
    const keygen = doc.steps.find((s) => s.id === 'qcom.keygen');
    expect(keygen?.ok, 'the Qualcomm flow must make keys').toBe(true);
    const der = execFileSync('openssl', ['x509', '-in', artefact('qcom/keys/root.crt.pem'), '-outform', 'DER']);
    expect(createHash('sha256').update(der).digest('hex')).toBe(keygen!.data!['rootHash']);
  });
});

describe('demo output folder rules', () => {
  it('refuses an existing --out without --force and leaves it untouched; replaces it with --force', async () => {
    const taken = join(dir, 'taken');
    await mkdir(taken);
    await writeFile(join(taken, 'keep.txt'), 'mine');
    const refused = await runNv(['--json', 'demo', '--out', taken], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('NV_EXISTS');
    expect(await readFile(join(taken, 'keep.txt'), 'utf8')).toBe('mine');
    const forced = await runNv(['--json', 'demo', '--out', taken, '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(existsSync(join(taken, 'keep.txt'))).toBe(false);
    expect(existsSync(join(taken, 'mcfg', 'mcfg_sw_tmo.mbn'))).toBe(true);
  });
  it('human output reports each step', async () => {
    const r = await runNv(['demo'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✔ +1\. /);
    expect(r.stdout).toContain('steps succeeded');
  });
});

// Performance work must not change a byte (issue 17): every artefact that does not depend on the freshly generated
// keys is compared with the digests recorded from the last release. NV_UPDATE_GOLDEN=1 records them again, for a
// change that means to alter an output (say so in its changeset).
describe('demo outputs are byte-identical to the recorded release (demo-golden.json)', () => {
  const goldenPath = join(__dirname, 'demo-golden.json');
  const keyDependent = (p: string): boolean =>
    p.startsWith('qcom/keys/') || p === 'qcom/boot.json' || p.startsWith('qcom/fs_image.tar.gz.mbn');
  it('every key-independent artefact has its recorded SHA-256, and the signed image carries the packed bytes', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(out, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) =>
        join(e.parentPath ?? e.path, e.name)
          .slice(out.length + 1)
          .split('\\')
          .join('/'),
      )
      .sort();
    // A gzip artefact is recorded as its 10-byte header + the inflated data + its 8-byte trailer: everything our code
    // decides. The deflate stream in between is node:zlib's (Chromium's zlib picks matches with CPU-dependent hashing),
    // so its bytes may differ on another machine class without any change of ours.
    const { gunzipSync } = await import('node:zlib');
    const digests: Record<string, string> = {};
    for (const f of files) {
      if (keyDependent(f)) continue;
      const bytes = await readFile(artefact(f));
      const h = createHash('sha256');
      if (f.endsWith('.gz')) h.update(bytes.subarray(0, 10)).update(gunzipSync(bytes)).update(bytes.subarray(-8));
      else h.update(bytes);
      digests[f.endsWith('.gz') ? `${f} (header + inflated + trailer)` : f] = h.digest('hex');
    }
    if (process.env['NV_UPDATE_GOLDEN'] === '1') await writeFile(goldenPath, JSON.stringify(digests, null, 2) + '\n');
    const golden = JSON.parse(await readFile(goldenPath, 'utf8')) as Record<string, string>;
    expect(digests).toEqual(golden);
    expect(Object.keys(golden).length).toBeGreaterThan(40);

    // The signed image is key-dependent (a fresh attestation key per image) but must carry the packed image
    // unchanged right after the 40-byte MBN v3 header (docs/formats/fsg.md).
    const gz = await readFile(artefact('qcom/fs_image.tar.gz'));
    const mbn = await readFile(artefact('qcom/fs_image.tar.gz.mbn'));
    expect(Buffer.compare(mbn.subarray(40, 40 + gz.length), gz)).toBe(0);
  }, 60_000);
});
