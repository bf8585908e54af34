// FSG images signed with OpenSSL by the docs/formats/fsg.md#openssl recipe (independent of the code under test), restored by
// the simulated modem with the real verifier (@nv/qcom-fsg-sign) and tar reader (@nv/qcom-efs).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '@nv/core/bytes';
import { packEfsImage, type EfsEntry } from '@nv/qcom-efs';
import { NODE_DEFLATE } from '@nv/qcom-efs/node';
import { hasTool } from '../../../scripts/test-tools.ts';
import { bootQcom, createQcomDevice, flashPartition, installModemBuild, writeNvItem } from '../src/qcom.ts';
import { QCOM_DUMMY_ROOT_HASH } from '../src/qcom-device.ts';
import { nodeQcomFormats } from '../src/node-qcom.ts';

const KEYS = String.raw`set -euo pipefail
B=basicConstraints=critical K=keyUsage=critical S=subjectKeyIdentifier=hash A=authorityKeyIdentifier=keyid
for k in root ca att; do openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_keygen_pubexp:65537 -out $k.key 2>/dev/null; done
printf "$B,CA:TRUE\n$K,keyCertSign,cRLSign\n$S\n" > root.ext
printf "$B,CA:TRUE,pathlen:0\n$K,keyCertSign,cRLSign\n$S\n$A\n" > ca.ext
printf "$B,CA:FALSE\n$K,digitalSignature\n$A\n" > att.ext
openssl req -new -key root.key -subj "/O=Sim/CN=Sim FSG Root CA" -out root.csr
openssl x509 -req -in root.csr -signkey root.key -sha256 -days 7300 -set_serial 1 -extfile root.ext -outform DER -out root.der 2>/dev/null
openssl req -new -key ca.key -subj "/O=Sim/CN=Sim FSG Attestation CA" -out ca.csr
openssl x509 -req -in ca.csr -CA root.der -CAform DER -CAkey root.key -sha256 -days 7300 -set_serial 5 -extfile ca.ext -outform DER -out ca.der 2>/dev/null
openssl dgst -sha256 -r root.der | cut -c1-64 > root.sha256`;

// $1 payload, $2 SW_ID (16 hex), $3 HW_ID (16 hex), $4 output .img
const SIGN = String.raw`set -euo pipefail
u32le(){ printf "$(printf %08x $1|sed 's/\(..\)\(..\)\(..\)\(..\)/\\x\4\\x\3\\x\2\\x\1/')"; }
hex2bin(){ printf "$(echo $1|sed 's/../\\x&/g')"; }
SW=$2 HW=$3 c=$(stat -c %s $1)
{ for v in 27 3 40 0 $((c+6400)) $c $c 256 $((c+256)) 6144; do u32le $v; done; cat $1; } > signed
openssl req -new -key att.key -subj "/O=Sim/OU=01 $SW SW_ID/OU=02 $HW HW_ID/OU=03 0000000000000002 DEBUG/OU=04 0000 OEM_ID/OU=05 $(printf %08X $((c+40))) SW_SIZE/OU=06 0000 MODEL_ID/OU=07 0001 SHA256/CN=Sim FSG Attestation" -out att.csr
openssl x509 -req -in att.csr -CA ca.der -CAform DER -CAkey ca.key -sha256 -days 7300 -set_serial 7 -extfile att.ext -outform DER -out att.der 2>/dev/null
hex2bin $(printf %016X $((0x$SW ^ 0x3636363636363636))) > si; hex2bin $(printf %016X $((0x$HW ^ 0x5C5C5C5C5C5C5C5C))) > so
openssl dgst -sha256 -binary signed > h1; cat si h1|openssl dgst -sha256 -binary > h2; cat so h2|openssl dgst -sha256 -binary > h3
openssl pkeyutl -sign -inkey att.key -pkeyopt rsa_padding_mode:pkcs1 -in h3 -out sig
cat att.der ca.der root.der > chain; head -c $((6144-$(stat -c %s chain))) /dev/zero|tr '\0' '\377' >> chain
cat signed sig chain > fs.mbn; n=$(stat -c %s fs.mbn)
{ for v in 20 3 472 0 $n $n 0 0 0 0; do u32le $v; done; printf 'IMGEFS- SIGNED_IMAGE'; head -c 452 /dev/zero; cat fs.mbn; } > $4`;

const HW = 0x009600e100000000n;
const hex16 = (v: bigint): string => v.toString(16).toUpperCase().padStart(16, '0');
const e = (path: string, type: EfsEntry['type'], data?: string): EfsEntry => ({
  path,
  type,
  mode: { item: 0o160777, file: 0o100777, dir: 0o40777, symlink: 0o120777 }[type],
  uid: 0,
  gid: 0,
  mtime: 315964800,
  ...(data !== undefined ? { data: hexToBytes(data) } : {}),
});
const PRELOAD = {
  entries: [
    e('/', 'dir'),
    e('/nvm/num/10', 'item', '1f00'),
    e('/nvm/num/10_1', 'item', '0d00'),
    e('/nv/item_files/rfnv/00024997', 'item', '0102030405060708'),
    e('/nv/item_files/ims/qp_ims_dpl_config', 'item', '01'),
  ],
};
const EVERY_ITEM = { '10': '1f00', '10_1': '0d00', '24997': '0102030405060708' };

describe.skipIf(!hasTool('openssl') || !hasTool('bash'))(
  'first boot from OpenSSL-signed FSG images (needs Debian openssl, bash)',
  () => {
    let dir: string;
    let root: string;
    const sign = async (sw: bigint, hw: bigint, name: string): Promise<Uint8Array> => {
      execFileSync('bash', ['-c', SIGN, 'sign', 'payload.tar.gz', hex16(sw), hex16(hw), name], {
        cwd: dir,
        stdio: 'pipe',
      });
      return new Uint8Array(await readFile(join(dir, name)));
    };
    const device = (opts: { rootHash?: string; swId?: bigint; hwId?: bigint; allowDummyKey?: boolean } = {}) =>
      createQcomDevice({
        trust: { rootHash: opts.rootHash ?? root, hwId: opts.hwId ?? HW, swId: opts.swId ?? 0n },
        formats: nodeQcomFormats(),
        seed: 'signed',
        partitionSize: 256 * 1024,
        build: { allowDummyKey: opts.allowDummyKey ?? false },
      });

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'nv-sim-signed-'));
      execFileSync('bash', ['-c', KEYS], { cwd: dir, stdio: 'pipe' });
      root = (await readFile(join(dir, 'root.sha256'), 'utf8')).trim();
      await writeFile(join(dir, 'payload.tar.gz'), packEfsImage(PRELOAD, NODE_DEFLATE, { pad512: true }).bytes);
    }, 60_000);
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    }, 30_000);

    it('happy path: EFS tree → V7 tar → gzip (512-padded) → OpenSSL-signed .mbn → .img → first boot has every item', async () => {
      const dev = device();
      flashPartition(dev, 'fsg', await sign(0n, HW, 'ok.img'));
      const r = bootQcom(dev);
      expect(r.error).toBeUndefined();
      expect(r).toMatchObject({ source: 'fsg', verified: true, crashed: false });
      expect(r.nv).toEqual(EVERY_ITEM);
      expect(r.checks.map((c) => c.name)).toEqual(
        expect.arrayContaining([
          'img-sector',
          'dummy-root',
          'sw-type',
          'root',
          'hw-id',
          'image-signature',
          'payload',
          'untar',
        ]),
      );
      expect(bootQcom(dev).source).toMatch(/^modemst/);
    }, 30_000);

    it('scenario, signing with a public test root — damage: a build left on the QDST dummy root refuses every golden copy', async () => {
      const dev = device({ rootHash: QCOM_DUMMY_ROOT_HASH });
      flashPartition(dev, 'fsg', await sign(0n, HW, 'dummy.img'));
      expect(bootQcom(dev)).toMatchObject({ verified: false, error: { code: 'NV_FSG_DUMMY_ROOT' }, nv: {} });
    }, 30_000);

    it("scenario, test root — damage: trusting a root whose key is public lets anyone's image in; an image under another root is untrusted", async () => {
      // This run's root key sits in a temp dir like a published test key: whoever has it signs images the modem accepts.
      const trustsPublic = device();
      flashPartition(trustsPublic, 'fsg', await sign(0n, HW, 'attacker.img'));
      expect(bootQcom(trustsPublic).verified).toBe(true);
      // Protection: the build trusts only the OEM's own root: the same image is refused (secboot 11).
      const own = device({ rootHash: 'a16984e397f7a16a5649597cb07811e30aa2fb1ba951c38ca46053f4a574dd7f' });
      flashPartition(own, 'fsg', await sign(0n, HW, 'attacker2.img'));
      const r = bootQcom(own);
      expect(r.error).toMatchObject({ code: 'NV_FSG_UNTRUSTED_ROOT', secboot: 11 });
      expect(r.nv).toEqual({});
    }, 30_000);

    it('scenario, SW_ID/HW_ID mismatch — damage: the default moved to 0x1B, wrong HW_ID; protection: ids from the build', async () => {
      const a = device({ swId: 0x1bn });
      flashPartition(a, 'fsg', await sign(0n, HW, 'sw0.img'));
      expect(bootQcom(a)).toMatchObject({ error: { code: 'NV_FSG_SWID_TYPE_MISMATCH', secboot: 13 }, nv: {} });
      const b = device();
      flashPartition(b, 'fsg', await sign(0n, HW | 1n, 'hw1.img'));
      expect(bootQcom(b)).toMatchObject({ error: { code: 'NV_FSG_HWID_MISMATCH', secboot: 15 }, nv: {} });
      const c = device({ swId: 0x1bn });
      flashPartition(c, 'fsg', await sign(0x1bn, HW, 'sw1b.img'));
      expect(bootQcom(c).nv).toEqual(EVERY_ITEM);
    }, 30_000);

    it('a fused device verifies with the fused root first; unfused → fused loses calibration (key change)', async () => {
      const img = await sign(0n, HW, 'fused.img');
      const dev = device();
      flashPartition(dev, 'fsg', img);
      bootQcom(dev);
      writeNvItem(dev, 24998, hexToBytes('aabb'));
      installModemBuild(dev, { blowFuses: { rootHash: root, hwId: HW } });
      const r = bootQcom(dev);
      expect(r).toMatchObject({ source: 'fsg', fusedRoot: true, verified: true });
      expect(r.checks.find((c) => c.name === 'fuse')?.ok).toBe(true);
      expect(r.nv['24998']).toBeUndefined();
    }, 30_000);
  },
);
