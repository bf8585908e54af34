import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import { encodeCfb, hasCfbSignature } from '../src/cfb.ts';
import { sniffContainer } from '../src/sniff.ts';

const vectors = join(import.meta.dirname, '../../qcom-fsg-sign/test/vectors');

// issue 20.2: container sniffing is one function with one owner (the CLI and device-sim call it).
describe('sniffContainer', () => {
  it('recognises the signed containers of qcom-fsg-sign (committed vectors)', () => {
    expect(sniffContainer(readFileSync(join(vectors, 'fs.mbn')))).toBe('mbn');
    expect(sniffContainer(readFileSync(join(vectors, 'fs.mbn.img')))).toBe('img');
    expect(sniffContainer(readFileSync(join(vectors, 'fs_image.tar.gz')))).toBe('gzip');
  });

  it('recognises ELF and CFB by their magic, and nothing in empty or erased data', () => {
    expect(sniffContainer(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46, 1, 1, 1))).toBe('elf');
    expect(sniffContainer(encodeCfb([]))).toBe('cfb');
    expect(sniffContainer(new Uint8Array(0))).toBeUndefined();
    expect(sniffContainer(new Uint8Array(4096))).toBeUndefined();
    expect(sniffContainer(new Uint8Array(4096).fill(0xff))).toBeUndefined();
  });

  it('CFB needs all 8 signature bytes (the CLI used to look at the first 2)', () => {
    expect(hasCfbSignature(Uint8Array.of(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1))).toBe(true);
    expect(hasCfbSignature(Uint8Array.of(0xd0, 0xcf, 0, 0, 0, 0, 0, 0))).toBe(false);
    expect(sniffContainer(Uint8Array.of(0xd0, 0xcf, 0, 0, 0, 0, 0, 0))).toBeUndefined();
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => {
        sniffContainer(b);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it.skipIf(!hasTool('tar') || !hasTool('gsf'))('agrees with GNU tar and gsf', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-sniff-'));
    try {
      writeFileSync(join(dir, 'a.txt'), 'hello');
      execFileSync('tar', ['-C', dir, '-cf', join(dir, 'a.tar'), 'a.txt']);
      expect(sniffContainer(readFileSync(join(dir, 'a.tar')))).toBe('tar');
      execFileSync('gsf', ['createole', join(dir, 'a.ole'), join(dir, 'a.txt')], { stdio: 'ignore' });
      expect(sniffContainer(readFileSync(join(dir, 'a.ole')))).toBe('cfb');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
