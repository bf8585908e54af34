// Preload pitfalls of docs/formats/efs-tar.md#pitfalls #12 on real QCN bytes, caught by @nv/qcom-efs's lint: runtime state from an
// online boot, and device-unique factory NVs in a shared preload.
import { describe, it, expect } from 'vitest';
import { concatBytes, hexToBytes } from '@nv/core/bytes';
import {
  decodeQcn,
  encodeQcn,
  lint,
  packEfsImage,
  qcnToEfsTree,
  stripFactory,
  type EfsEntry,
  type Qcn,
} from '@nv/qcom-efs';
import { FACTORY_NV_IDS } from '@nv/qcom-efs/model';
import { NODE_DEFLATE } from '@nv/qcom-efs/node';
import { encodeImgSector, encodeMbnHeader, signingHeader } from '@nv/qcom-fsg-sign/container';
import {
  backupQcn,
  bootQcom,
  createQcomDevice,
  flashPartition,
  packageQcomFormats,
  writeNvItem,
  type QcomDevice,
} from '../src/qcom.ts';
import { QCOM_ONLINE_RUNTIME_PATHS } from '../src/qcom-boot.ts';
import { modemNvInfo } from '../src/qcom-device.ts';

// Signatures are not the subject here (see qcom-signed.test.ts): secboot is stubbed to accept.
const formats = packageQcomFormats({ deflate: NODE_DEFLATE, authenticate: () => ({ ok: true, checks: [] }) });
const e = (path: string, type: EfsEntry['type'], data?: string): EfsEntry => ({
  path,
  type,
  mode: { item: 0o160777, file: 0o100777, dir: 0o40777, symlink: 0o120777 }[type],
  uid: 0,
  gid: 0,
  mtime: 315964800,
  ...(data !== undefined ? { data: hexToBytes(data) } : {}),
});
const GOLDEN = [
  e('/', 'dir'),
  e('/nvm/num/10', 'item', '1f00'),
  e('/nv/item_files/rfnv/00024997', 'item', '0102030405060708'),
];

function img(entries: readonly EfsEntry[]): Uint8Array {
  const tgz = packEfsImage({ entries }, NODE_DEFLATE).bytes;
  const mbn = concatBytes(
    encodeMbnHeader(signingHeader(tgz.length, 256)),
    tgz,
    new Uint8Array(256),
    new Uint8Array(6144).fill(0xff),
  );
  return concatBytes(encodeImgSector({ mbnSize: mbn.length }), mbn);
}
function unit(seed: string, entries: readonly EfsEntry[] = GOLDEN): QcomDevice {
  const dev = createQcomDevice({
    trust: { rootHash: 'a'.repeat(64), hwId: 0n, swId: 0n },
    formats,
    seed,
    partitionSize: 256 * 1024,
  });
  flashPartition(dev, 'fsg', img(entries));
  return dev;
}
/** A preload made from a QCN the way the factory flow does: QCN → EFS tree (with the modem's NV sizes). */
function preloadFrom(qcn: Qcn, dev: QcomDevice): EfsEntry[] {
  return [...qcnToEfsTree(qcn, { nvInfo: modemNvInfo(dev.state) }).tree.entries];
}

describe('scenario: temporary NVs from online mode', () => {
  it('damage: a QCN taken after an online boot carries runtime state; lint flags it; every unit built from it starts with it', () => {
    const golden = unit('golden');
    bootQcom(golden, { online: true });
    const qcn = decodeQcn(backupQcn(golden)).qcn;
    const runtime = lint(qcn)
      .findings.filter((f) => f.code === 'NV_EFS_LINT_RUNTIME_STATE')
      .map((f) => f.path)
      .sort();
    expect(runtime).toEqual([...QCOM_ONLINE_RUNTIME_PATHS].sort());
    const next = unit('next', preloadFrom(qcn, golden));
    const r = bootQcom(next); // offline first boot: nothing of its own written yet
    expect(r.efs.map((f) => f.path)).toEqual(expect.arrayContaining([...QCOM_ONLINE_RUNTIME_PATHS]));
  });
  it('protection: dumped offline, the QCN lints clean and the next unit starts without runtime state', () => {
    const golden = unit('golden');
    bootQcom(golden, { online: false });
    const qcn = decodeQcn(backupQcn(golden)).qcn;
    expect(lint(qcn).findings.filter((f) => f.code === 'NV_EFS_LINT_RUNTIME_STATE')).toEqual([]);
    const r = bootQcom(unit('next', preloadFrom(qcn, golden)));
    expect(r.efs.some((f) => f.path.startsWith('/policyman/'))).toBe(false);
    expect(r.nv).toEqual({ '10': '1f00', '24997': '0102030405060708' });
  });
});

describe('scenario: factory-info NVs in a shared preload', () => {
  const IMEI = 550;
  it('damage: a QCN of unit A clones its IMEI into unit B; protection: lint flags it and --strip-factory removes it', () => {
    expect(FACTORY_NV_IDS[IMEI]).toBe('IMEI');
    const a = unit('A');
    bootQcom(a);
    writeNvItem(a, IMEI, hexToBytes('083a5a2010325476')); // the factory station writes unit A's IMEI
    const qcn = decodeQcn(backupQcn(a)).qcn;
    expect(lint(qcn).findings.map((f) => [f.code, f.id])).toContainEqual(['NV_EFS_LINT_FACTORY_DATA', IMEI]);
    const b = bootQcom(unit('B', preloadFrom(qcn, a)));
    expect(b.nv[String(IMEI)]).toBe('083a5a2010325476');

    const stripped = stripFactory(encodeQcn(qcn));
    expect(stripped.removed.map((r) => r.id)).toEqual([IMEI]);
    const strippedQcn = decodeQcn(stripped.bytes).qcn;
    expect(lint(strippedQcn).findings.filter((f) => f.code === 'NV_EFS_LINT_FACTORY_DATA')).toEqual([]);
    const c = bootQcom(unit('C', preloadFrom(strippedQcn, a)));
    expect(c.nv[String(IMEI)]).toBeUndefined();
    expect(c.nv['24997']).toBe('0102030405060708');
  });
});
