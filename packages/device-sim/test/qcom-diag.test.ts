// The simulated modem's DIAG face over real TCP on 127.0.0.1, driven by the @nv/qcom-diag client:
// backup → erase NV → restore gives the same items; pull → pack → sign → img → first boot restores what was pulled;
// the fault switches (split frames, interleaved log packets, bad CRCs) are survived by the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { decodeQcn, encodeQcn, packEfsImage } from '@nv/qcom-efs';
import { NODE_DEFLATE, readEfsFolder, writeEfsFolder } from '@nv/qcom-efs/node';
import { buildFsgImg } from '@nv/qcom-fsg-sign';
import { generateFsgKeys, signFsgImage, type FsgKeys } from '@nv/qcom-fsg-sign/node';
import {
  DiagClient,
  DiagDevice,
  backupToQcn,
  diagInfo,
  efsList,
  efsPull,
  memoryTransport,
  restoreFromQcn,
} from '@nv/qcom-diag';
import { openDiagClient } from '@nv/qcom-diag/node';
import {
  bootQcom,
  createQcomDevice,
  flashPartition,
  readModem,
  writeEfsFile,
  writeNvItem,
  type QcomDevice,
} from '../src/qcom.ts';
import { nodeQcomFormats } from '../src/node-qcom.ts';
import { serveQcomDiag, type QcomDiagServer } from '../src/node-qcom-diag.ts';
import { QcomDiagFace } from '../src/qcom-diag-face.ts';
import { nvErrorCodeAsync } from '../../../scripts/test-tools.ts';

const HW = 0x009600e100000000n;
const BIG = Uint8Array.from({ length: 1300 }, (_, i) => (i * 7) & 0xff);

function freshModem(rootHash: string): QcomDevice {
  const dev = createQcomDevice({
    trust: { rootHash, hwId: HW, swId: 0n },
    formats: nodeQcomFormats(),
    seed: 'diag',
    partitionSize: 256 * 1024,
  });
  bootQcom(dev); // fsg erased: an empty EFS
  writeNvItem(dev, 10, hexToBytes('1f00'));
  writeNvItem(dev, 10, hexToBytes('0d00'), 1);
  writeNvItem(dev, 441, hexToBytes('7e7d0102'));
  writeNvItem(dev, 550, hexToBytes('0835490000000000f0')); // IMEI: identity, never written
  writeNvItem(dev, 6828, hexToBytes('01'));
  writeNvItem(dev, 24997, hexToBytes('0102030405060708'));
  writeEfsFile(dev, '/nv/item_files/ims/qp_ims_dpl_config', hexToBytes('01'), 'item');
  writeEfsFile(dev, '/nv/item_files/mcfg/mcfg_autoselect_by_uim', hexToBytes('81'), 'item');
  writeEfsFile(dev, '/policyman/carrier_policy.xml', BIG, 'file');
  return dev;
}

describe('DIAG face over TCP 127.0.0.1', () => {
  let keys: FsgKeys;
  let dev: QcomDevice;
  const servers: QcomDiagServer[] = [];
  const work = mkdtempSync(join(tmpdir(), 'nv-diag-'));
  const open = async (faults = {}): Promise<{ modem: DiagDevice; server: QcomDiagServer }> => {
    const server = await serveQcomDiag(dev, { faults });
    servers.push(server);
    const client = await openDiagClient({ tcp: server.address }, { timeoutMs: 3000, resendAfterMs: 30 });
    return { modem: new DiagDevice(client), server };
  };

  beforeAll(async () => {
    keys = await generateFsgKeys({ org: 'Sim', hwId: HW, swId: 0n });
    dev = freshModem(keys.rootHash);
  }, 60_000);
  afterAll(async () => {
    for (const s of servers) await s.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('answers info, with split frames, log packets and every 5th answer corrupted', async () => {
    const { modem, server } = await open({ splitFrames: 3, logPackets: 2, badCrcEvery: 5 });
    const info = await diagInfo(modem);
    expect(info).toMatchObject({ model: 'nv-sim-qcom', efsSubsystem: 0x3e });
    const rows = (await efsList(modem, '/', { recursive: true })).entries.map((e) => `${e.type} ${e.path}`);
    expect(rows).toContain('file /policyman/carrier_policy.xml');
    expect(rows).toContain('item /nvm/num/10_1');
    expect(modem.client.stats.resends).toBeGreaterThan(0);
    expect(modem.client.stats.unsolicited).toBeGreaterThan(0);
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    await modem.client.close();
  });

  it('falls back to EFS2 subsystem 0x13 when 0x3E is a bad command', async () => {
    const server = await serveQcomDiag(dev, { efsSubsystems: [0x13] });
    servers.push(server);
    const modem = new DiagDevice(await openDiagClient({ tcp: server.address }));
    expect(await modem.efsSubsystem()).toBe(0x13);
    expect(await modem.readFile('/policyman/carrier_policy.xml')).toEqual(BIG);
    await modem.client.close();
  });

  it('backup → erase NV → restore gives the same items; the identity item is refused, not written', async () => {
    const before = readModem(dev);
    const { modem } = await open({ logPackets: 1, badCrcFirst: 2 });
    const b = await backupToQcn(modem, { ids: [0, 10, 441, 550, 1943, 6828, 24997, 30000] });
    // 10 is an array item in the modem, but a plain id scan reads index 0 only (10, 441, 550, 6828; RFNV 24997 is
    // kept as its item file); the NV info (from an NvDefinition) gives both elements of 10.
    expect(b.items).toBe(4);
    const full = await backupToQcn(modem, {
      nvInfo: [
        { id: 10, size: 2, arraySize: 2 },
        { id: 441, size: 4, arraySize: 0 },
        { id: 550, size: 9, arraySize: 0 },
        { id: 6828, size: 1, arraySize: 0 },
        { id: 24997, size: 8, arraySize: 0 },
      ],
    });
    expect(full.items).toBe(5);
    const qcnBytes = encodeQcn(full.qcn);
    const { qcn } = decodeQcn(qcnBytes);
    expect(qcn.efs.map((f) => f.path).sort()).toEqual([
      '/nv/item_files/ims/qp_ims_dpl_config',
      '/nv/item_files/mcfg/mcfg_autoselect_by_uim',
      '/nv/item_files/rfnv/00024997',
      '/policyman/carrier_policy.xml',
    ]);
    await modem.client.close();

    // Erase: every numbered item but the identity one, and the backed-up files.
    const clean = (await open()).modem;
    for (const p of ['/nvm/num/10', '/nvm/num/10_1', '/nvm/num/441', '/nvm/num/6828', '/nv/item_files/rfnv/00024997'])
      await clean.unlink(p);
    await clean.unlink('/policyman/carrier_policy.xml');
    await clean.unlink('/nv/item_files/ims/qp_ims_dpl_config');
    expect(Object.keys(readModem(dev).nv).sort()).toEqual(['550']);

    const r = await restoreFromQcn(clean, qcn);
    expect(r.refused).toEqual([expect.objectContaining({ id: 550, code: 'NV_DIAG_IDENTITY_ITEM' })]);
    expect(r.written).toBe(4 + 4);
    expect(readModem(dev)).toEqual(before);
    await clean.client.close();
  });

  it('reports a read-only item as refused with its status name', async () => {
    const server = await serveQcomDiag(dev, { readOnlyIds: [6828] });
    servers.push(server);
    const modem = new DiagDevice(await openDiagClient({ tcp: server.address }));
    const r = await restoreFromQcn(modem, {
      model: 0,
      items: [{ id: 6828, index: 0, subscription: 0, payload: hexToBytes('01') }],
      efs: [],
      extra: [],
    });
    expect(r.refused).toEqual([expect.objectContaining({ id: 6828, code: 'NV_DIAG_NV_STATUS' })]);
    expect(r.refused[0]?.reason).toContain('read-only');
    expect(await nvErrorCodeAsync(modem.nvWrite(1943, hexToBytes('00')))).toBe('NV_DIAG_IDENTITY_ITEM');
    await modem.client.close();
  });

  it('pull → pack → sign → img → first boot restores exactly what was pulled', async () => {
    const { modem } = await open({ splitFrames: 64, logPackets: 1 });
    const pulled = await efsPull(modem, '/');
    expect(pulled.skipped).toEqual([]);
    await modem.client.close();
    const dir = join(work, 'efs');
    await writeEfsFolder(dir, pulled.tree);
    const { tree } = await readEfsFolder(dir); // what `nv qcom efs pack` reads
    const tgz = packEfsImage(tree, NODE_DEFLATE).bytes;
    const signed = await signFsgImage(tgz, {
      caKey: keys.caKey,
      caCertDer: keys.caCertDer,
      rootCertDer: keys.rootCertDer,
      hwId: HW,
      swId: 0n,
    });
    const next = createQcomDevice({
      trust: { rootHash: keys.rootHash, hwId: HW, swId: 0n },
      formats: nodeQcomFormats(),
      seed: 'other-phone',
      partitionSize: 256 * 1024,
    });
    flashPartition(next, 'fsg', buildFsgImg(signed.mbn).img);
    const boot = bootQcom(next);
    expect(boot).toMatchObject({ source: 'fsg', verified: true });
    expect(readModem(next)).toEqual(readModem(dev));
  });

  it('a connection dropped in the middle of an OPEN/WRITE leaves the old file (undo)', async () => {
    const { modem } = await open();
    const before = readModem(dev).efs.find((f) => f.path === '/policyman/carrier_policy.xml');
    const { fd } = await modem.efs('open', { oflag: 0x241, mode: 0o777, path: '/policyman/carrier_policy.xml' });
    await modem.efs('write', { fd: fd as number, offset: 0, data: new Uint8Array(10) });
    await modem.client.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(readModem(dev).efs.find((f) => f.path === '/policyman/carrier_policy.xml')).toEqual(before);
  });
});

describe('DIAG face in memory', () => {
  const modem = (framing: 'hdlc' | 'length' = 'hdlc'): { dev: QcomDevice; modem: DiagDevice } => {
    const dev = freshModem('0'.repeat(64));
    const face = new QcomDiagFace(dev, { framing });
    return {
      dev,
      modem: new DiagDevice(
        new DiagClient(
          memoryTransport((b) => face.receive(b)),
          { framing },
        ),
      ),
    };
  };

  it('speaks the length-prefixed framing (after "HDLC disable") end to end', async () => {
    const { modem: m } = modem('length');
    expect(bytesToHex((await m.nvRead(441)).data.subarray(0, 4))).toBe('7e7d0102');
    expect(await m.readFile('/policyman/carrier_policy.xml')).toEqual(BIG);
  });

  it('Ctrl-C (an aborted signal) stops a restore between items, never inside one', async () => {
    const { dev, modem: m } = modem();
    const controller = new AbortController();
    const items = [441, 6828].map((id) => ({ id, index: 0, subscription: 0, payload: Uint8Array.of(0x55) }));
    let done = 0;
    const run = restoreFromQcn(
      m,
      {
        model: 0,
        items,
        efs: [{ store: 'EFS_Backup', path: '/policyman/carrier_policy.xml', data: new Uint8Array(900) }],
        extra: [],
      },
      {
        signal: controller.signal,
        onProgress: () => {
          if (++done === 1) controller.abort();
        },
      },
    );
    expect(await nvErrorCodeAsync(run)).toBe('NV_DIAG_ABORTED');
    const nv = readModem(dev).nv;
    expect(nv['441']).toBe('55000000'); // the first item was finished …
    expect(nv['6828']).toBe('01'); // … the second never started
    expect(readModem(dev).efs.find((f) => f.path === '/policyman/carrier_policy.xml')?.size).toBe(BIG.length);
  });

  it('a lost answer to unlink/mkdir (bad CRC, resend) is not reported as ENOENT/EEXIST', async () => {
    const dev = freshModem('0'.repeat(64));
    const face = new QcomDiagFace(dev, { faults: { badCrcEvery: 3 } }); // answers 3, 6, 9 … are lost
    const m = new DiagDevice(
      new DiagClient(
        memoryTransport((b) => face.receive(b)),
        { resendAfterMs: 5 },
      ),
    );
    await m.efsSubsystem(); // answer 1
    await m.stat('/'); // 2
    await m.unlink('/policyman/carrier_policy.xml'); // 3 lost; the resend (4) finds no file
    expect(m.client.stats.resends).toBe(1);
    expect(readModem(dev).efs.some((f) => f.path === '/policyman/carrier_policy.xml')).toBe(false);
    await m.mkdir('/newdir'); // 5
    await m.mkdir('/newdir2'); // 6 lost; the resend (7) sees EEXIST
    expect(m.client.stats.resends).toBe(2);
    expect(dev.efs?.get('/newdir2')?.kind).toBe('dir');
    expect(await nvErrorCodeAsync(m.mkdir('/newdir'))).toBe('NV_DIAG_EFS_ERRNO'); // 8: a real EEXIST, no resend
  });

  it('answers an unknown command with "bad command" and an NV read of an undefined index with bad parameter', async () => {
    const { modem: m } = modem();
    expect(await nvErrorCodeAsync(m.client.request(Uint8Array.of(0x7f, 1, 2)))).toBe('NV_DIAG_BAD_COMMAND');
    expect((await m.nvRead(10, { arrayIndex: 5 })).statusName).toBe('bad parameter');
    expect((await m.nvRead(10, { arrayIndex: 1 })).data.subarray(0, 3)).toEqual(Uint8Array.of(1, 0x0d, 0));
  });
});
