import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { concatBytes, encodeLatin1, hexToBytes } from '@nv/core/bytes';
import { sha256 } from '@nv/core/hash';
import { DUMMY_ROOT_SHA256 } from '@nv/qcom-fsg-sign';
import { isGzipHeader, isTarHeader, tarHeaderSum } from '@nv/qcom-fsg-sign/container';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import {
  backupQcn,
  bootQcom,
  createQcomDevice,
  erasePartition,
  flashPartition,
  installModemBuild,
  readModem,
  restoreQcn,
  writeNvItem,
  type QcomDevice,
} from '../src/qcom.ts';
import { QCOM_DUMMY_ROOT_HASH } from '../src/qcom-device.ts';
import { QCOM_ONLINE_RUNTIME_PATHS } from '../src/qcom-boot.ts';
import { decodeEfs, encodeEfs, createEfs, efsWrite } from '../src/qcom-efs-store.ts';
import { checkModemst, openModemst, sealModemst, deriveEfsKey } from '../src/qcom-cipher.ts';
import { partitionFromBytes } from '../src/qcom-partition.ts';
import {
  DUMMY_ROOT,
  HW_ID,
  OWN_ROOT,
  PRELOAD,
  TEST_ROOT,
  fakeFormats,
  fakeImg,
  fakeMbn,
  type FakeEntry,
} from './qcom-fixtures.ts';

const trust = { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n };
const SIZE = 64 * 1024;

function device(opts: Partial<Parameters<typeof createQcomDevice>[0]> = {}): QcomDevice {
  return createQcomDevice({ trust, formats: fakeFormats, partitionSize: SIZE, seed: 'unit-1', ...opts });
}
function flashPreload(
  dev: QcomDevice,
  entries: FakeEntry[] = PRELOAD,
  signer = { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n },
): void {
  flashPartition(dev, 'fsg', fakeImg(fakeMbn(entries, signer)));
}

describe('first boot from the golden copy (qcom-fsg-sign.md §4)', () => {
  it('restores every item, writes both modemst copies, then boots from modemst', () => {
    const dev = device();
    flashPreload(dev);
    const r = bootQcom(dev);
    expect(r.source).toBe('fsg');
    expect(r.verified).toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.copies).toEqual({ modemst1: 'erased', modemst2: 'erased' });
    expect(r.nv).toEqual({ '10': '1f00', '10_1': '0d00', '24997': '0102030405060708' });
    expect(r.efs.map((e) => e.path)).toEqual([
      '/nv/item_files/conf/mcfg.conf',
      '/nv/item_files/ims/qp_ims_dpl_config',
      '/nv/item_files/rfnv/00024997',
      '/nvm/num/10',
      '/nvm/num/10_1',
    ]);
    expect(r.checks.map((c) => c.name)).toEqual([
      'img-sector',
      'dummy-root',
      'sw-type',
      'sw-version',
      'root',
      'hw-id',
      'image-signature',
      'payload',
      'untar',
    ]);
    const key = deriveEfsKey('unit-1', false);
    expect(openModemst(key, dev.state.partitions.modemst1).status).toBe('sane');
    expect(openModemst(key, dev.state.partitions.modemst2).status).toBe('sane');
    const again = bootQcom(dev);
    expect(again.source).toBe('modemst2');
    expect(again.nv).toEqual(r.nv);
  });

  it('ignores fsg while a modemst copy is sane (pitfall 13) and falls back to the other copy', () => {
    const dev = device();
    flashPreload(dev);
    bootQcom(dev);
    writeNvItem(dev, 6828, hexToBytes('01'));
    flashPreload(dev, [{ path: '/nvm/num/10', kind: 'item', data: 'ffff' }]);
    const r = bootQcom(dev);
    expect(r.source).toMatch(/^modemst/);
    expect(r.nv['10']).toBe('1f00');
    expect(r.nv['6828']).toBe('01');
    erasePartition(dev, r.source as 'modemst1');
    const other = bootQcom(dev);
    expect(other.source).not.toBe(r.source);
    expect(other.source).toMatch(/^modemst/);
  });

  it('refuses a bare .mbn (no .img sector) and starts without the preload', () => {
    const dev = device();
    flashPartition(dev, 'fsg', fakeMbn(PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n }));
    const r = bootQcom(dev);
    expect(r).toMatchObject({
      source: 'fsg',
      verified: false,
      crashed: false,
      error: { code: 'NV_FSG_IMG_SECTOR_MISSING', check: 'img-sector' },
    });
    expect(r.nv).toEqual({});
  });

  it('reports an erased fsg', () => {
    const r = bootQcom(device());
    expect(r.error?.code).toBe('NV_SIM_QCOM_FSG_EMPTY');
    expect(r.efs).toEqual([]);
  });

  it('refuses a tampered image with the image-signature check and secboot 12', () => {
    const dev = device();
    flashPartition(
      dev,
      'fsg',
      fakeImg(fakeMbn(PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n }, { tamper: true })),
    );
    const r = bootQcom(dev);
    expect(r.error).toMatchObject({ code: 'NV_FSG_IMAGE_SIGNATURE', secboot: 12 });
    expect(r.nv).toEqual({});
  });

  it('checks the payload size against GOLDEN_RAM_SIZE − 512 strictly (§4 step 17)', () => {
    const mbn = fakeMbn(PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n });
    const codeSize = new DataView(mbn.buffer).getUint32(20, true);
    const tight = device({ build: { goldenRamSize: 512 + 40 + codeSize } });
    flashPartition(tight, 'fsg', fakeImg(mbn));
    expect(bootQcom(tight).error?.code).toBe('NV_FSG_TOO_LARGE');
    const roomy = device({ build: { goldenRamSize: 512 + 41 + codeSize } });
    flashPartition(roomy, 'fsg', fakeImg(mbn));
    expect(bootQcom(roomy).verified).toBe(true);
  });

  it('crashes on a payload that is neither tar nor gzip (§4 step 18), and again on the next boot', () => {
    const dev = device();
    flashPartition(
      dev,
      'fsg',
      fakeImg(
        fakeMbn(
          [],
          { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n },
          { rawCode: new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]) },
        ),
      ),
    );
    expect(bootQcom(dev)).toMatchObject({ crashed: true, error: { code: 'NV_FSG_PAYLOAD_FORMAT' } });
    expect(bootQcom(dev).crashed).toBe(true);
  });

  it('runs step 18 with the checks of @nv/qcom-fsg-sign, so the simulator and `fsg verify` agree (issue 20.3)', () => {
    // A tar header whose checksum field starts with NUL, and a gzip header cut to 9 bytes: both refused by the verifier.
    const tar = new Uint8Array(1024);
    tar.set(encodeLatin1('a.txt'), 0);
    tar.set(encodeLatin1('0000644\0'), 100);
    tar[156] = 0x30;
    tar.set(encodeLatin1(`\0${tarHeaderSum(tar).toString(8).padStart(6, '0')}\0`), 148);
    const gz9 = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0);
    for (const code of [tar, gz9]) {
      expect(isTarHeader(code) || isGzipHeader(code)).toBe(false);
      const dev = device();
      flashPartition(
        dev,
        'fsg',
        fakeImg(fakeMbn([], { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n }, { rawCode: code })),
      );
      expect(bootQcom(dev)).toMatchObject({
        crashed: true,
        error: { code: 'NV_FSG_PAYLOAD_FORMAT', check: 'payload' },
      });
    }
  });

  it('refuses the dummy root whatever its letter case, as verifySignedImage does (issue 20.3)', () => {
    const dev = device({ trust: { ...trust, rootHash: DUMMY_ROOT } });
    flashPreload(dev, PRELOAD, { rootHash: DUMMY_ROOT, hwId: HW_ID, swId: 0n });
    dev.state.build.rootHash = DUMMY_ROOT.toUpperCase();
    expect(QCOM_DUMMY_ROOT_HASH).toBe(DUMMY_ROOT_SHA256);
    expect(bootQcom(dev).error).toMatchObject({ code: 'NV_FSG_DUMMY_ROOT', check: 'dummy-root' });
  });
});

describe('scenario: signing with a public test root', () => {
  it('damage: a build left with the dummy QDST root refuses the golden copy; a test-root image is untrusted', () => {
    const dummy = device({ trust: { ...trust, rootHash: DUMMY_ROOT } });
    flashPreload(dummy, PRELOAD, { rootHash: DUMMY_ROOT, hwId: HW_ID, swId: 0n });
    const r = bootQcom(dummy);
    expect(r.error).toMatchObject({ code: 'NV_FSG_DUMMY_ROOT', check: 'dummy-root' });
    expect(r.nv).toEqual({});
    const own = device();
    flashPreload(own, PRELOAD, { rootHash: TEST_ROOT, hwId: HW_ID, swId: 0n });
    expect(bootQcom(own).error).toMatchObject({ code: 'NV_FSG_UNTRUSTED_ROOT', secboot: 11 });
  });
  it('protection: own root in the build and in the image → every item restored', () => {
    const dev = device();
    flashPreload(dev);
    expect(Object.keys(bootQcom(dev).nv)).toHaveLength(3);
  });
  it('FEATURE_FS_TAR_ALLOW_DUMMY_KEY lets a dummy-root build accept a dummy-signed image (lab only)', () => {
    const dev = device({ trust: { ...trust, rootHash: DUMMY_ROOT }, build: { allowDummyKey: true } });
    flashPreload(dev, PRELOAD, { rootHash: DUMMY_ROOT, hwId: HW_ID, swId: 0n });
    expect(bootQcom(dev).verified).toBe(true);
  });
});

describe('scenario: SW_ID / HW_ID mismatch', () => {
  it('damage: SW_ID type 0x1B against a build with 0 → SWID_TYPE_MISMATCH (13); HW_ID …01 → HWID_MISMATCH (15); lower version → rollback (14)', () => {
    const a = device();
    flashPreload(a, PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0x1bn });
    expect(bootQcom(a).error).toMatchObject({ code: 'NV_FSG_SWID_TYPE_MISMATCH', secboot: 13 });
    const b = device();
    flashPreload(b, PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID | 1n, swId: 0n });
    const rb = bootQcom(b);
    expect(rb.error).toMatchObject({ code: 'NV_FSG_HWID_MISMATCH', secboot: 15 });
    expect(rb.nv).toEqual({});
    const c = device({ trust: { ...trust, swId: 0x2_0000_0000n } });
    flashPreload(c, PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0x1_0000_0000n });
    expect(bootQcom(c).error?.code).toBe('NV_FSG_SWID_ROLLBACK');
  });
  it('protection: ids taken from the modem build → verified', () => {
    const dev = device({ trust: { ...trust, swId: 0x1bn } });
    flashPreload(dev, PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0x1bn });
    expect(bootQcom(dev).verified).toBe(true);
  });
});

describe('scenario: temporary NVs from online mode (qcom-efs.md §5 #12)', () => {
  it('damage: a QCN taken after an online boot carries the runtime state', () => {
    const dev = device();
    flashPreload(dev);
    const r = bootQcom(dev, { online: true });
    expect(r.runtimeWrites).toEqual(QCOM_ONLINE_RUNTIME_PATHS);
    const qcnPaths = fakeFormats.fromQcn!(backupQcn(dev), []).map((e) => e.path);
    for (const p of QCOM_ONLINE_RUNTIME_PATHS) expect(qcnPaths).toContain(p);
  });
  it('protection: dumped offline, the QCN holds only the preload', () => {
    const dev = device();
    flashPreload(dev);
    bootQcom(dev, { online: false });
    const qcnPaths = fakeFormats.fromQcn!(backupQcn(dev), []).map((e) => e.path);
    expect(qcnPaths.filter((p) => p.startsWith('/policyman/'))).toEqual([]);
    expect(qcnPaths).toContain('/nvm/num/10');
  });
  it('online values are deterministic per seed and boot', () => {
    const run = (): string => {
      const d = device();
      flashPreload(d);
      bootQcom(d, { online: true });
      return JSON.stringify(readModem(d).nv) + JSON.stringify(readModem(d).efs);
    };
    expect(run()).toBe(run());
  });
});

describe('scenario: factory-info NVs in a shared preload', () => {
  const IMEI = 550;
  it('damage: a preload dumped from unit A clones its IMEI into unit B; protection: filtered preload clones nothing', () => {
    const unitA = device({ seed: 'A' });
    flashPreload(unitA);
    bootQcom(unitA);
    writeNvItem(unitA, IMEI, hexToBytes('083a5a2010325476')); // written by the factory station on unit A only
    const dump = fakeFormats.fromQcn!(backupQcn(unitA), []);
    const toPreload = (entries: typeof dump): FakeEntry[] =>
      entries.map((e) => ({ path: e.path, kind: e.kind, data: Buffer.from(e.data).toString('hex') }));
    const unitB = device({ seed: 'B' });
    flashPreload(unitB, toPreload(dump));
    expect(bootQcom(unitB).nv[String(IMEI)]).toBe('083a5a2010325476');
    const unitC = device({ seed: 'C' });
    flashPreload(unitC, toPreload(dump.filter((e) => e.path !== `/nvm/num/${IMEI}`)));
    const rc = bootQcom(unitC);
    expect(rc.nv[String(IMEI)]).toBeUndefined();
    expect(rc.nv['24997']).toBe('0102030405060708');
  });
});

describe('scenario: fused vs non-fused EFS key on upgrade (qcom-fsg-sign.md §7)', () => {
  function calibrated(): QcomDevice {
    const dev = device();
    flashPreload(dev);
    bootQcom(dev);
    writeNvItem(dev, 24998, hexToBytes('aabbccdd')); // per-unit RF calibration, written after the preload
    return dev;
  }
  it('damage: installing a build that blows the fuses changes the EFS key, modemst no longer decrypts, calibration is lost', () => {
    const dev = calibrated();
    installModemBuild(dev, { blowFuses: { rootHash: OWN_ROOT, hwId: HW_ID } });
    const r = bootQcom(dev);
    expect(r.copies).toEqual({ modemst1: 'tag-mismatch', modemst2: 'tag-mismatch' });
    expect(r.source).toBe('fsg');
    expect(r.fusedRoot).toBe(true);
    expect(r.checks[1]?.name).toBe('fuse');
    expect(r.nv['24998']).toBeUndefined();
    expect(r.nv['10']).toBe('1f00');
  });
  it('protection: QCN backup before, restore after → calibration kept', () => {
    const dev = calibrated();
    const qcn = backupQcn(dev);
    installModemBuild(dev, { blowFuses: { rootHash: OWN_ROOT, hwId: HW_ID } });
    bootQcom(dev);
    restoreQcn(dev, qcn);
    const r = bootQcom(dev);
    expect(r.source).toMatch(/^modemst/);
    expect(r.nv['24998']).toBe('aabbccdd');
  });
  it('a fused device whose fused root fails falls back to the configured root (§4 step 2 → 3)', () => {
    const dev = device({ fuses: { rootHash: TEST_ROOT, hwId: HW_ID } });
    flashPreload(dev);
    const r = bootQcom(dev);
    expect(r.fusedRoot).toBe(false);
    expect(r.verified).toBe(true);
  });
});

describe('scenario: GNU/pax tar entries', () => {
  it('damage: a pax header entry makes the modem assert on every boot; protection: V7 entries restore', () => {
    const pax: FakeEntry[] = [{ path: '/PaxHeaders/10', kind: 'file', typeflag: 'x' }, ...PRELOAD];
    const dev = device();
    flashPreload(dev, pax);
    const r = bootQcom(dev);
    expect(r).toMatchObject({ crashed: true, error: { code: 'NV_EFS_BAD_TAR_TYPEFLAG', check: 'untar' } });
    expect(bootQcom(dev).crashed).toBe(true);
    const ok = device();
    flashPreload(
      ok,
      PRELOAD.map((e) => ({ ...e, typeflag: e.kind === 'dir' ? '5' : '0' })),
    );
    expect(bootQcom(ok).verified).toBe(true);
  });
});

describe('modemst copies (simulated cipher)', () => {
  it('round-trips an EFS and rejects other keys', () => {
    const efs = createEfs();
    efsWrite(efs, '/nvm/num/10', hexToBytes('1f00'));
    const k1 = deriveEfsKey('s', false);
    const sealed = sealModemst(k1, encodeEfs(efs), 7);
    const opened = openModemst(k1, partitionFromBytes(sealed));
    expect(opened.status).toBe('sane');
    expect(opened.generation).toBe(7);
    expect([...decodeEfs(opened.plaintext!).keys()]).toEqual(['/', '/nvm', '/nvm/num', '/nvm/num/10']);
    expect(openModemst(deriveEfsKey('s', true, OWN_ROOT), partitionFromBytes(sealed)).status).toBe('tag-mismatch');
    expect(openModemst(deriveEfsKey('other', false), partitionFromBytes(sealed)).status).toBe('tag-mismatch');
  });
  it('fuzz: mutated copies are never sane with wrong bytes, and decodeEfs only throws NvError', () => {
    const efs = createEfs();
    efsWrite(efs, '/nvm/num/10', hexToBytes('1f00'));
    efsWrite(efs, '/policyman/device_config.xml', new Uint8Array(300).fill(65));
    const key = deriveEfsKey('s', false);
    const plain = encodeEfs(efs);
    const sealed = sealModemst(key, plain, 1);
    fc.assert(
      fc.property(fc.nat(sealed.length - 1), fc.integer({ min: 1, max: 255 }), fc.nat(sealed.length), (pos, x, cut) => {
        const m = sealed.slice(0, Math.max(cut, pos + 1));
        m[pos] = (m[pos] as number) ^ x;
        const o = openModemst(key, partitionFromBytes(m));
        expect(o.status).not.toBe('sane');
        expect(checkModemst(key, partitionFromBytes(m))).toEqual({ status: o.status, generation: o.generation });
        const p = plain.slice(0, Math.min(cut, plain.length));
        if (pos < p.length) p[pos] = (p[pos] as number) ^ x;
        try {
          decodeEfs(p);
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('the keystream is the xorshift128 of the module doc, word by word, for any length (a reference written from it)', () => {
    // Reference: seed = SHA-256(key ‖ "ks"), x|1, y, z, w big-endian words; one xorshift128 step per 4 bytes, its word
    // little-endian over the bytes. Independent of the unrolled implementation.
    const reference = (key: Uint8Array, plain: Uint8Array): Uint8Array => {
      const seed = new DataView(sha256(concatBytes(key, encodeLatin1('ks'))).buffer);
      let [x, y, z, w] = [seed.getUint32(0) | 1, seed.getUint32(4), seed.getUint32(8), seed.getUint32(12)];
      const out = new Uint8Array(plain.length);
      for (let i = 0; i < plain.length; i++) {
        if (i % 4 === 0) {
          const t = x ^ (x << 11);
          [x, y, z] = [y, z, w];
          w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
        }
        out[i] = (plain[i] as number) ^ ((w >>> (8 * (i % 4))) & 0xff);
      }
      return out;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.string(), (plain, seed) => {
        const key = deriveEfsKey(seed, false);
        const sealed = sealModemst(key, plain, 3);
        expect(sealed.subarray(52)).toEqual(reference(key, plain));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('checkModemst gives openModemst verdict over windows: a copy of 1 MiB × 2 + 7 bytes, sane and damaged in its last window', () => {
    const key = deriveEfsKey('w', false);
    const plain = new Uint8Array(2 * 1024 * 1024 + 7).map((_, i) => (i * 31) & 0xff);
    const sealed = sealModemst(key, plain, 9);
    expect(checkModemst(key, partitionFromBytes(sealed))).toEqual({ status: 'sane', generation: 9 });
    expect(openModemst(key, partitionFromBytes(sealed)).plaintext).toEqual(plain);
    const bad = sealed.slice();
    bad[bad.length - 2] = (bad[bad.length - 2] as number) ^ 1;
    expect(checkModemst(key, partitionFromBytes(bad))).toEqual({ status: 'tag-mismatch', generation: 9 });
    expect(checkModemst(deriveEfsKey('v', false), partitionFromBytes(sealed)).status).toBe('tag-mismatch');
  });
});
