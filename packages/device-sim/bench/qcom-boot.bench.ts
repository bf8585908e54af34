// First boot of a realistic golden copy (2 300 entries, ~2.4 MB tar, like a known MSM8916-class fs_image.tar.gz) on
// the simulated Qualcomm device: locate the .mbn, inflate, untar (@nv/qcom-efs), restore, seal both modemst copies.
// Reference: the minimum any restore must do, in process with Node's native code: gunzipSync + one SHA-256 over the tar.
// The signature check is stubbed (the @nv/qcom-fsg-sign verifier is timed in that package's bench).
import { bench, describe } from 'vitest';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { concatBytes } from '@nv/core/bytes';
import { packEfsImage, type EfsEntry } from '@nv/qcom-efs';
import { NODE_DEFLATE } from '@nv/qcom-efs/node';
import { encodeImgSector, encodeMbnHeader, signingHeader } from '@nv/qcom-fsg-sign/container';
import { printRatio } from '../../../scripts/bench-ratio.ts';
import { bootQcom, createQcomDevice, flashPartition, packageQcomFormats } from '../src/qcom.ts';

const entries: EfsEntry[] = [{ path: '/', type: 'dir', mode: 0o40777, uid: 0, gid: 0, mtime: 315964800 }];
for (let d = 0; d < 20; d++)
  entries.push({ path: `/nv/item_files/d${d}`, type: 'dir', mode: 0o40777, uid: 0, gid: 0, mtime: 315964800 });
for (let i = 0; i < 2280; i++) {
  const big = i % 10 === 0;
  const data = new Uint8Array(big ? 600 : 1 + (i % 120)).map((_, j) => (i * 31 + j) & 0xff);
  entries.push({
    path: i % 2 ? `/nvm/num/${i}` : `/nv/item_files/d${i % 20}/f${i}`,
    type: big ? 'file' : 'item',
    mode: big ? 0o100777 : 0o160777,
    uid: 0,
    gid: 0,
    mtime: 315964800,
    data,
  });
}
const packed = packEfsImage({ entries }, NODE_DEFLATE);
const gz = packed.bytes;
const mbn = concatBytes(
  encodeMbnHeader(signingHeader(gz.length, 256)),
  gz,
  new Uint8Array(256),
  new Uint8Array(6144).fill(0xff),
);
const img = concatBytes(encodeImgSector({ mbnSize: mbn.length }), mbn);
const formats = packageQcomFormats({ deflate: NODE_DEFLATE, authenticate: () => ({ ok: true, checks: [] }) });
const size = `${entries.length} entries, tar ${(packed.tarBytes / 1024).toFixed(0)} KiB, gz ${(gz.length / 1024).toFixed(0)} KiB`;

function ours(): void {
  const dev = createQcomDevice({
    trust: { rootHash: 'a'.repeat(64), hwId: 0n, swId: 0n },
    formats,
    partitionSize: 4 * 1024 * 1024,
  });
  flashPartition(dev, 'fsg', img);
  const r = bootQcom(dev);
  if (!r.verified) throw new Error(r.error?.message);
}
function reference(): void {
  createHash('sha256').update(gunzipSync(gz)).digest();
}

describe(`qcom first boot (${size})`, () => {
  bench('device-sim bootQcom (fsg restore + seal both copies)', ours);
  bench('node:zlib gunzip + node:crypto sha256', reference);
});

await printRatio('qcom first boot', size, ours, reference);
