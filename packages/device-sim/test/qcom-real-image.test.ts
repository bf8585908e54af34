import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes, hexToBytes } from '@nv/core/bytes';
import { gzipSync } from 'node:zlib';
import { packEfsImage, type EfsEntry } from '@nv/qcom-efs';
import { NODE_DEFLATE } from '@nv/qcom-efs/node';
import { encodeImgSector, encodeMbnHeader, signingHeader } from '@nv/qcom-fsg-sign/container';
import { hasTool } from '../../../scripts/test-tools.ts';
import {
  backupQcn,
  bootQcom,
  createQcomDevice,
  flashPartition,
  installModemBuild,
  packageQcomFormats,
  restoreQcn,
  writeNvItem,
  type QcomFormats,
} from '../src/qcom.ts';
import { decodeQcn } from '@nv/qcom-efs';

// secboot's checks (docs/formats/fsg.md#modem-checks steps 4–16) come from @nv/qcom-fsg-sign's verifier, which is not committed yet: this stub
// accepts every image, so these tests cover steps 0, 1, 17, 18 and 19 with real container and tar bytes.
const acceptAll: QcomFormats['authenticate'] = () => ({
  ok: true,
  checks: [{ name: 'SECBOOT_STUB', ok: true, detail: 'verifier not bound in this test' }],
});
const formats = packageQcomFormats({ deflate: NODE_DEFLATE, authenticate: acceptAll });
const trust = {
  rootHash: 'a16984e397f7a16a5649597cb07811e30aa2fb1ba951c38ca46053f4a574dd7f',
  hwId: 0x009600e100000000n,
  swId: 0n,
};

const e = (path: string, type: EfsEntry['type'], data?: string): EfsEntry => ({
  path,
  type,
  mode: { item: 0o160777, file: 0o100777, dir: 0o40777, symlink: 0o120777 }[type],
  uid: 0,
  gid: 0,
  mtime: 315964800,
  ...(data !== undefined ? { data: hexToBytes(data) } : {}),
});

/** payload → .mbn (header ‖ code ‖ 256-B signature placeholder ‖ FF chain) → .img, with @nv/qcom-fsg-sign's encoders. */
function img(payload: Uint8Array): Uint8Array {
  const mbn = concatBytes(
    encodeMbnHeader(signingHeader(payload.length, 256)),
    payload,
    new Uint8Array(256),
    new Uint8Array(6144).fill(0xff),
  );
  return concatBytes(encodeImgSector({ mbnSize: mbn.length }), mbn);
}

function device() {
  return createQcomDevice({ trust, formats, partitionSize: 256 * 1024, seed: 'real' });
}

describe('first boot from a real .img (qcom-fsg-sign containers, qcom-efs tar/gzip)', () => {
  it('EFS tree → V7 tar → gzip → .mbn → .img → first boot has every item, with item kinds', () => {
    const tree = {
      entries: [
        e('/', 'dir'),
        e('/nvm', 'dir'),
        e('/nvm/num', 'dir'),
        e('/nvm/num/10', 'item', '1f00'),
        e('/nvm/num/10_1', 'item', '0d00'),
        e('/nv/item_files/rfnv/00024997', 'item', '0102030405060708'),
        e('/nv/item_files/conf/mcfg.conf', 'file', '2f6e760a'),
      ],
    };
    const dev = device();
    const tar = packEfsImage(tree, NODE_DEFLATE, { gzip: false }).bytes;
    flashPartition(dev, 'fsg', img(packEfsImage(tree, NODE_DEFLATE).bytes));
    const r = bootQcom(dev);
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ source: 'fsg', verified: true });
    expect(r.nv).toEqual({ '10': '1f00', '10_1': '0d00', '24997': '0102030405060708' });
    expect(r.efs.map((x) => [x.path, x.kind, x.mode.toString(8)])).toEqual([
      ['/nv/item_files/conf/mcfg.conf', 'file', '100777'],
      ['/nv/item_files/rfnv/00024997', 'item', '160777'],
      ['/nvm/num/10', 'item', '160777'],
      ['/nvm/num/10_1', 'item', '160777'],
    ]);
    // A plain tar (no gzip) is valid FSG content too (docs/formats/efs-tar.md#compress).
    const plain = device();
    flashPartition(plain, 'fsg', img(tar));
    expect(bootQcom(plain).nv['10']).toBe('1f00');
  });

  it('a bare .mbn in fsg is refused with NV_FSG_IMG_SECTOR_MISSING (real container check)', () => {
    const tar = packEfsImage({ entries: [e('/', 'dir'), e('/nvm/num/10', 'item', '1f00')] }, NODE_DEFLATE, {
      gzip: false,
    }).bytes;
    const bare = img(tar).subarray(512);
    const dev = device();
    flashPartition(dev, 'fsg', bare);
    expect(bootQcom(dev).error?.code).toBe('NV_FSG_IMG_SECTOR_MISSING');
  });

  it('a corrupted tar header checksum makes the modem assert (qcom-efs.md §5 #3)', () => {
    const tar = packEfsImage({ entries: [e('/', 'dir'), e('/nvm/num/10', 'item', '1f00')] }, NODE_DEFLATE, {
      gzip: false,
    }).bytes;
    const bad = tar.slice();
    bad[512 + 10] = (bad[512 + 10] as number) ^ 0x01; // a name byte of the second header
    const dev = device();
    flashPartition(dev, 'fsg', img(new Uint8Array(gzipSync(bad))));
    expect(bootQcom(dev)).toMatchObject({ crashed: true, error: { code: 'NV_EFS_BAD_TAR_CHECKSUM' } });
  });
});

describe('scenario: fused vs non-fused key on upgrade, with a real QCN (@nv/qcom-efs)', () => {
  function calibrated() {
    const tree = {
      entries: [
        e('/', 'dir'),
        e('/nvm/num/10', 'item', '1f00'),
        e('/nvm/num/10_1', 'item', '0d00'),
        e('/nv/item_files/rfnv/00024997', 'item', '0102030405060708'),
      ],
    };
    const dev = device();
    flashPartition(dev, 'fsg', img(packEfsImage(tree, NODE_DEFLATE).bytes));
    bootQcom(dev);
    writeNvItem(dev, 6828, hexToBytes('01')); // factory-station NV
    writeNvItem(dev, 24998, hexToBytes('aabbccdd')); // per-unit RF calibration (RFNV)
    return dev;
  }
  it('damage: blowing the fuses changes the EFS key; the next boot restores only the preload', () => {
    const dev = calibrated();
    installModemBuild(dev, { blowFuses: { rootHash: trust.rootHash, hwId: trust.hwId } });
    const r = bootQcom(dev);
    expect(r.copies).toEqual({ modemst1: 'tag-mismatch', modemst2: 'tag-mismatch' });
    expect(r.source).toBe('fsg');
    expect(r.nv).toEqual({ '10': '1f00', '10_1': '0d00', '24997': '0102030405060708' });
  });
  it('protection: a QPST-style QCN backup before and restore after keeps every NV', () => {
    const dev = calibrated();
    const before = bootQcom(dev).nv;
    const qcn = backupQcn(dev);
    expect([...qcn.subarray(0, 8)]).toEqual([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(
      decodeQcn(qcn)
        .qcn.items.map((i) => i.id)
        .sort((a, b) => a - b),
    ).toEqual([10, 10, 6828]);
    installModemBuild(dev, { blowFuses: { rootHash: trust.rootHash, hwId: trust.hwId } });
    bootQcom(dev);
    restoreQcn(dev, qcn);
    const after = bootQcom(dev);
    expect(after.source).toMatch(/^modemst/);
    expect(after.nv).toEqual(before);
    expect(after.nv['24998']).toBe('aabbccdd');
  });
});

describe.skipIf(!hasTool('tar') || !hasTool('gzip'))(
  'scenario: GNU/pax tar entries (needs Debian GNU tar, gzip)',
  () => {
    let dir: string;
    const long = 'nv/item_files/modem/' + 'x'.repeat(90); // > 99 bytes: GNU writes an 'L' entry, pax an 'x' header
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'nv-sim-tar-'));
      await mkdir(join(dir, 'root/nvm/num'), { recursive: true });
      await mkdir(join(dir, 'root/nv/item_files/modem'), { recursive: true });
      await writeFile(join(dir, 'root/nvm/num/10'), hexToBytes('1f00'));
      await writeFile(join(dir, 'root', long), hexToBytes('01'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const gnuTarGz = async (format: string, paths: string[]): Promise<Uint8Array> => {
      execFileSync('tar', [
        `--format=${format}`,
        '--owner=0',
        '--group=0',
        '-C',
        join(dir, 'root'),
        '-cf',
        join(dir, 'x.tar'),
        ...paths,
      ]);
      execFileSync('gzip', ['-nf', join(dir, 'x.tar')]);
      return new Uint8Array(await readFile(join(dir, 'x.tar.gz')));
    };

    it('damage: a pax or GNU long-name tar crashes the modem (typeflag x / L) on every boot', async () => {
      for (const [format, flag] of [
        ['pax', 'x'],
        ['gnu', 'L'],
      ] as const) {
        const dev = device();
        flashPartition(dev, 'fsg', img(await gnuTarGz(format, ['nvm', long])));
        const r = bootQcom(dev);
        expect(r, format).toMatchObject({ crashed: true, error: { code: 'NV_EFS_BAD_TAR_TYPEFLAG', check: 'untar' } });
        expect(r.error?.message).toContain(flag);
        expect(bootQcom(dev).crashed).toBe(true);
      }
    });

    it('damage: a GNU re-tar loses the item type bits: items come back as regular files (§5 #7)', async () => {
      const dev = device();
      flashPartition(dev, 'fsg', img(await gnuTarGz('gnu', ['nvm'])));
      const r = bootQcom(dev);
      expect(r.verified).toBe(true);
      expect(r.efs.find((x) => x.path === '/nvm/num/10')?.kind).toBe('file');
    });

    it('protection: the same content packed as V7 by @nv/qcom-efs boots with item files', () => {
      const dev = device();
      const tgz = packEfsImage({ entries: [e('/', 'dir'), e('/nvm/num/10', 'item', '1f00')] }, NODE_DEFLATE).bytes;
      flashPartition(dev, 'fsg', img(tgz));
      const r = bootQcom(dev);
      expect(r.crashed).toBe(false);
      expect(r.efs.find((x) => x.path === '/nvm/num/10')?.kind).toBe('item');
    });
  },
);
