/**
 * TEST-ONLY stand-ins for the format packages, used until `@nv/qcom-fsg-sign` and `@nv/qcom-efs` are committed.
 * They are deliberately NOT the real formats (no MBN header semantics, no X.509, no tar): a "signed image" here is a
 * 40-byte header, a gzip'd JSON entry list as the code, and a JSON "signer" block standing in for signature + chain.
 * They let the tests drive the device's state machine (which copy, fused root first, dummy root, failures mapped to
 * the modem's reaction) with the modem's check names and codes; the real-bytes happy path needs the real packages.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { NvError } from '@nv/core';
import { bytesEqual, bytesToHex, concatBytes, decodeUtf8, encodeLatin1, encodeUtf8, hexToBytes } from '@nv/core/bytes';
import { sha256 } from '@nv/core/hash';
import type { QcomFormats, QcomFsgCheck, QcomFsgTrust, QcomTarEntry } from '../src/qcom.ts';

export const OWN_ROOT = 'a16984e397f7a16a5649597cb07811e30aa2fb1ba951c38ca46053f4a574dd7f';
export const TEST_ROOT = '8ffc3d6475917adf5e86e2bed4ad902f4033f493391674e11f085becd24e052f';
export const DUMMY_ROOT = 'd58522cd602a501c3a798d201533ae31f924272b0b76f159fe81753b5fcfce60';
export const HW_ID = 0x009600e100000000n;

/** A fake tar entry: `typeflag` other than 0/5/2 stands for GNU/pax entries. */
export interface FakeEntry {
  path: string;
  kind: QcomTarEntry['kind'];
  data?: string;
  mode?: number;
  typeflag?: string;
}

function u32s(...v: number[]): Uint8Array {
  const b = new Uint8Array(v.length * 4);
  const dv = new DataView(b.buffer);
  v.forEach((x, i) => dv.setUint32(i * 4, x, true));
  return b;
}

/** Fake `.mbn`: header(27,3,40,0,size,code…) ‖ gzip(JSON entries) ‖ u32 len ‖ JSON signer. */
export function fakeMbn(
  entries: FakeEntry[],
  signer: { rootHash: string; hwId: bigint; swId: bigint },
  opts: { rawCode?: Uint8Array; tamper?: boolean } = {},
): Uint8Array {
  const code = opts.rawCode ?? new Uint8Array(gzipSync(encodeUtf8(JSON.stringify(entries))));
  const digest = bytesToHex(sha256(code));
  const sig = encodeUtf8(
    JSON.stringify({ rootHash: signer.rootHash, hwId: signer.hwId.toString(), swId: signer.swId.toString(), digest }),
  );
  const header = u32s(27, 3, 40, 0, code.length + 4 + sig.length, code.length, code.length, 4 + sig.length, 0, 0);
  const mbn = concatBytes(header, code, u32s(sig.length), sig);
  if (opts.tamper) mbn[45] = (mbn[45] as number) ^ 0x01;
  return mbn;
}

/** Fake `.img`: 512-byte sector with the magic at 40 and len(.mbn) at 16, then the `.mbn`. */
export function fakeImg(mbn: Uint8Array): Uint8Array {
  const sector = new Uint8Array(512);
  sector.set(u32s(20, 3, 472, 0, mbn.length, mbn.length), 0);
  sector.set(encodeLatin1('IMGEFS- SIGNED_IMAGE'), 40);
  return concatBytes(sector, mbn);
}

const u32at = (b: Uint8Array, o: number): number =>
  new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(o, true);

export const fakeFormats: QcomFormats = {
  locateFsg(partition) {
    if (new TextDecoder('latin1').decode(partition.subarray(40, 60)) !== 'IMGEFS- SIGNED_IMAGE') {
      throw new NvError('NV_FSG_IMG_SECTOR_MISSING', 'no IMGEFS sector at offset 0 (a bare .mbn was flashed?)', {
        offset: 40,
      });
    }
    const mbn = partition.subarray(512, 512 + u32at(partition, 16));
    return { mbn, codeSize: u32at(mbn, 20) };
  },
  authenticate(mbn, trust: QcomFsgTrust) {
    const codeSize = u32at(mbn, 20);
    const code = mbn.subarray(40, 40 + codeSize);
    const sigLen = u32at(mbn, 40 + codeSize);
    const s = JSON.parse(decodeUtf8(mbn.subarray(44 + codeSize, 44 + codeSize + sigLen))) as {
      rootHash: string;
      hwId: string;
      swId: string;
      digest: string;
    };
    const sw = BigInt(s.swId);
    const hw = BigInt(s.hwId);
    const checks: QcomFsgCheck[] = [];
    const step = (name: string, ok: boolean, detail: string, code: string, secboot: number): boolean => {
      checks.push({ name, ok, detail, ...(ok ? {} : { code, secboot }) });
      return ok;
    };
    const ok =
      step(
        'sw-type',
        (sw & 0xffffffffn) === (trust.swId & 0xffffffffn),
        `OU type ${sw & 0xffffffffn} vs build ${trust.swId & 0xffffffffn}`,
        'NV_FSG_SWID_TYPE_MISMATCH',
        13,
      ) &&
      step('sw-version', sw >> 32n >= trust.swId >> 32n, 'version', 'NV_FSG_SWID_ROLLBACK', 14) &&
      step('root', s.rootHash === trust.rootHash, `root ${s.rootHash.slice(0, 8)}…`, 'NV_FSG_UNTRUSTED_ROOT', 11) &&
      step('hw-id', hw === trust.hwId, `OU HW_ID ${hw.toString(16)}`, 'NV_FSG_HWID_MISMATCH', 15) &&
      step('image-signature', bytesEqual(hexToBytes(s.digest), sha256(code)), 'digest', 'NV_FSG_IMAGE_SIGNATURE', 12);
    return { ok, checks };
  },
  readPayload(payload) {
    const list = JSON.parse(decodeUtf8(new Uint8Array(gunzipSync(payload)))) as FakeEntry[];
    return list.map((e, i) => {
      if (e.typeflag !== undefined && !['0', '5', '2'].includes(e.typeflag)) {
        throw new NvError('NV_EFS_BAD_TAR_TYPEFLAG', `entry ${i} (${e.path}) has typeflag ${e.typeflag}`, {
          offset: i * 512 + 156,
          path: e.path,
        });
      }
      return { path: e.path, kind: e.kind, mode: e.mode ?? 0, data: hexToBytes(e.data ?? '') };
    });
  },
  toQcn(entries) {
    return encodeUtf8(JSON.stringify(entries.map((e) => ({ path: e.path, kind: e.kind, data: bytesToHex(e.data) }))));
  },
  fromQcn(qcn) {
    return (JSON.parse(decodeUtf8(qcn)) as { path: string; kind: 'item' | 'file'; data: string }[]).map((e) => ({
      ...e,
      mode: 0,
      data: hexToBytes(e.data),
    }));
  },
};

/** A preload with NV 10, an indexed NV, an RFNV calibration item and an EFS item. */
export const PRELOAD: FakeEntry[] = [
  { path: '/', kind: 'dir' },
  { path: '/nvm', kind: 'dir' },
  { path: '/nvm/num', kind: 'dir' },
  { path: '/nvm/num/10', kind: 'item', data: '1f00' },
  { path: '/nvm/num/10_1', kind: 'item', data: '0d00' },
  { path: '/nv/item_files/rfnv/00024997', kind: 'item', data: '0102030405060708' },
  { path: '/nv/item_files/ims/qp_ims_dpl_config', kind: 'item', data: '01' },
  {
    path: '/nv/item_files/conf/mcfg.conf',
    kind: 'file',
    data: bytesToHex(encodeLatin1('/nv/item_files/mcfg/mcfg_autoselect_by_uim\n')),
  },
];
