/**
 * Signing a 3 MB tar.gz: `signFsgImage` (hash + attestation cert + RSA + self-check verify) against the spec §6
 * OpenSSL pipeline (3 × `openssl dgst` + `openssl pkeyutl -sign`, spawned) in the same run. Also verify and hash alone.
 */
import { bench, describe } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes } from '@nv/core/bytes';
import { imageHash } from '../src/hash.ts';
import { verifySignedImage } from '../src/verify.ts';
import { nodeSha256 } from '@nv/core/node';
import { certificatesFrom, signFsgImage } from '../src/node.ts';
import { printRatio } from '../../../scripts/bench-ratio.ts';

const V = join(import.meta.dirname, '../test/vectors');
const der = (n: string): Uint8Array => certificatesFrom(new Uint8Array(readFileSync(join(V, n))))[0] as Uint8Array;
const tgz = concatBytes(
  Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3),
  new Uint8Array(randomBytes(3 * 1024 * 1024 - 10)),
);
const options = {
  caCertDer: der('test-ca.crt.pem'),
  rootCertDer: der('test-root.crt.pem'),
  attestCertDer: der('test-att.crt.pem'),
  attestKey: createPrivateKey(readFileSync(join(V, 'test-att.key.pem'), 'utf8')),
  hwId: 0x009600e100000000n,
  swId: 0n,
  allowTestRoot: true,
};
const work = mkdtempSync(join(tmpdir(), 'nv-fsg-bench-'));
writeFileSync(join(work, 'tgz'), tgz);
writeFileSync(join(work, 'si'), Buffer.from('3636363636363636', 'hex'));
writeFileSync(join(work, 'so'), Buffer.from('5cca5cbd5c5c5c5c', 'hex'));
const header = new Uint8Array(40);
writeFileSync(join(work, 'signed'), concatBytes(header, tgz));
const script = `cd '${work}' && openssl dgst -sha256 -binary signed > h1 && cat si h1 | openssl dgst -sha256 -binary > h2 && cat so h2 | openssl dgst -sha256 -binary > h3 && openssl pkeyutl -sign -inkey '${join(V, 'test-att.key.pem')}' -pkeyopt rsa_padding_mode:pkcs1 -in h3 -out sig`;
const openssl = (): void => {
  execFileSync('bash', ['-c', script]);
};
const ours = async (): Promise<void> => {
  await signFsgImage(tgz, options);
};
const signed = (await signFsgImage(tgz, options)).mbn;
const root = readFileSync(join(V, 'root-sha256.txt'), 'utf8').trim();

describe('sign a 3 MiB fs_image.tar.gz', () => {
  bench('signFsgImage (incl. self-check verify)', ours);
  bench('openssl dgst ×3 + pkeyutl (reference, spawned)', openssl);
  bench('verifySignedImage (node sha256)', () => {
    verifySignedImage(signed, { rootHash: root, hwId: options.hwId, swId: 0n, sha256: nodeSha256 });
  });
  bench('imageHash (pure @nv/core sha256)', () => {
    imageHash(concatBytes(header, tgz), 0n, options.hwId);
  });
});

await printRatio('fsg sign', '3 MiB', ours, openssl);
