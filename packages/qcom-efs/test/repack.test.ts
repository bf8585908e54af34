/**
 * Issue 14.5–14.7, 14.9: archives our writer did NOT make. Every fixture here is produced by an independent tool —
 * GNU tar (`--format=gnu|pax|ustar|v7`), bsdtar (Debian libarchive-tools) or python3's `tarfile` — from a folder
 * made by the test; each tool group is skipped visibly when the tool is missing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { encodeLatin1 } from '@nv/core/bytes';
import { FUZZ_RUNS, hasTool, nvErrorCode as code, nvErrorCodeAsync } from '../../../scripts/test-tools.ts';
import { readEfsImage } from '../src/image.ts';
import { lintEfsImage } from '../src/lint.ts';
import { repackHostEntries } from '../src/repack.ts';
import { decodeTar, encodeEfsTar, ustarSplit } from '../src/tar.ts';
import { type EfsEntry } from '../src/tree.ts';
import { readEfsImageFile, writeEfsFolder, writeEfsImageFile } from '../src/node-efs.ts';
import { readHostTar, repackEfsArchiveFile } from '../src/node-repack.ts';
import { NODE_DEFLATE } from '../src/node-zlib.ts';

let dir: string;
/** Base-system extras used inside a test for an extra case only (not the test's subject): never a CI failure. */
const optionalTool = (name: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const D60 = 'd'.repeat(60);
const F50 = 'f'.repeat(50);
/** 126 bytes as an EFS path: over 99, splittable into a ustar prefix (/nv/item_files/ddd…) and name (fff…). */
const LONG = `/nv/item_files/${D60}/${F50}`;
/** 98 characters: `./` + it is 100 bytes (GNU tar stores it with a long-name record), `/` + it is 99 (fits V7). */
const EDGE = `nv/item_files/${'e'.repeat(98 - 'nv/item_files/'.length)}`;

const read = (f: string): Uint8Array => new Uint8Array(readFileSync(f));
const tarOf = (f: string): Uint8Array => {
  const b = read(f);
  return b[0] === 0x1f && b[1] === 0x8b ? readEfsImage(b, NODE_DEFLATE, { strictTypeflag: false }).tar : b;
};
function decodeError(tar: Uint8Array): NvError {
  try {
    decodeTar(tar);
  } catch (e) {
    return e as NvError;
  }
  throw new Error('decodeTar accepted the archive');
}

/** A host folder as a user has it after editing an EFS: short item files, a conf list, a policyman XML. */
function makeFolder(root: string, withLong: boolean): void {
  mkdirSync(join(root, 'nv/item_files/conf'), { recursive: true });
  mkdirSync(join(root, 'nvm/num'), { recursive: true });
  mkdirSync(join(root, 'policyman'), { recursive: true });
  writeFileSync(join(root, 'nv/item_files/x'), Uint8Array.of(1, 2));
  writeFileSync(join(root, 'nvm/num/10'), Uint8Array.of(0x1f, 0));
  writeFileSync(join(root, 'nv/item_files/conf/mcfg.conf'), '/nv/item_files/x\n');
  writeFileSync(join(root, 'policyman/device_config.xml'), '<policy/>\n');
  if (withLong) {
    mkdirSync(join(root, `nv/item_files/${D60}`), { recursive: true });
    writeFileSync(join(root, LONG.slice(1)), Uint8Array.of(7));
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nv-efs-foreign-'));
  makeFolder(join(dir, 'short'), false);
  makeFolder(join(dir, 'long'), true);
  mkdirSync(join(dir, 'edge'));
  makeFolder(join(dir, 'edge'), false);
  writeFileSync(join(dir, 'edge', EDGE), Uint8Array.of(9));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gnuTar = (format: string, src: string, out: string, extra: string[] = []): string => {
  execFileSync('tar', [`--format=${format}`, ...extra, '-C', join(dir, src), '-cf', join(dir, out), '.']);
  return join(dir, out);
};
const pyTar = (format: 'GNU' | 'PAX' | 'USTAR', src: string, out: string): string => {
  execFileSync('python3', [
    '-c',
    'import tarfile,sys\nwith tarfile.open(sys.argv[1],"w",format=getattr(tarfile,sys.argv[2]+"_FORMAT")) as t: t.add(sys.argv[3],arcname=".")',
    join(dir, out),
    format,
    join(dir, src),
  ]);
  return join(dir, out);
};

describe.skipIf(!hasTool('tar'))(
  'GNU tar archives: ls/lint see the real names, lint fails them (issue 14.5, needs GNU tar)',
  () => {
    it('--format=gnu long names: strict read names the GNU long-name header; ls reads the full name; lint errors', () => {
      const f = gnuTar('gnu', 'long', 'gnu-long.tar');
      const e = decodeError(read(f));
      expect(e.code).toBe('NV_EFS_BAD_TAR_TYPEFLAG');
      expect(e.message).toMatch(/GNU long-name header \(typeflag L, "\.\/\.\/@LongLink"\)/);
      const image = readEfsImage(read(f), NODE_DEFLATE, { strictTypeflag: false });
      const paths = image.tree.entries.map((x) => x.path);
      expect(paths).toContain(LONG);
      // never a name cut at the 100-byte field (the old reader wrote /nv/item_files/ddd…/fffffffffffffffffffffff)
      expect(paths.some((p) => p !== LONG && LONG.startsWith(p) && p.length > `/nv/item_files/${D60}`.length)).toBe(
        false,
      );
      expect(image.members?.find((m) => m.path === `./${LONG.slice(1)}`)?.longName).toBe('gnu');
      const lint = lintEfsImage(image);
      expect(lint.ok).toBe(false);
      expect(lint.findings.filter((x) => x.severity === 'error').map((x) => x.code)).toContain(
        'NV_EFS_BAD_TAR_TYPEFLAG',
      );
    });

    it('fuzz: mutated GNU long-name and pax tars through the non-strict reader give NvError or a tree', () => {
      const seeds = [read(gnuTar('gnu', 'long', 'fz-gnu.tar')), read(gnuTar('pax', 'long', 'fz-pax.tar'))];
      fc.assert(
        fc.property(
          fc.nat(1),
          fc.array(fc.tuple(fc.nat(8191), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
          (which, edits) => {
            const b = (seeds[which] as Uint8Array).slice();
            for (const [at, v] of edits) b[at % b.length] = v;
            const c = code(() => lintEfsImage(readEfsImage(b, NODE_DEFLATE, { strictTypeflag: false })));
            expect(typeof c).toBe('string');
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
    });

    it('--format=pax: the cause named is the pax header, not an "empty . part" of ./PaxHeaders/.', () => {
      const f = gnuTar('pax', 'long', 'pax.tar');
      const e = decodeError(read(f));
      expect(e.code).toBe('NV_EFS_BAD_TAR_TYPEFLAG');
      expect(e.message).toMatch(/pax extended header \(typeflag x/);
      expect(e.message).not.toMatch(/empty/);
      const image = readEfsImage(read(f), NODE_DEFLATE, { strictTypeflag: false });
      expect(image.tree.entries.map((x) => x.path)).toContain(LONG);
      expect(lintEfsImage(image).ok).toBe(false);
    });

    it('--format=ustar: the POSIX prefix is honoured, so lint and pack --format ustar agree: a warning, not an error (issue 14.7)', () => {
      const f = gnuTar('ustar', 'long', 'ustar.tar');
      const image = readEfsImage(read(f), NODE_DEFLATE, { strictTypeflag: false });
      expect(image.tree.entries.map((x) => x.path)).toContain(LONG);
      const lint = lintEfsImage(image);
      expect(lint.ok).toBe(true);
      expect(lint.findings.find((x) => x.path === LONG)?.severity).toBe('warning');
      // the host tar lost the item bits (docs/formats/efs-tar.md#pitfalls #7) and wrote ./ names: lint says so and names repack
      expect(lint.findings.map((x) => x.message).join('\n')).toMatch(/no entry has file-type bits[^\n]*efs repack/);
    });

    it('--format=v7 (trailing-slash folders, NUL typeflag) reads as folders and files', () => {
      const f = gnuTar('v7', 'short', 'v7.tar');
      const tree = readEfsImage(read(f), NODE_DEFLATE).tree;
      expect(tree.entries.find((x) => x.path === '/nv/item_files')?.type).toBe('dir');
      expect(tree.entries.find((x) => x.path === '/nvm/num/10')?.data).toEqual(Uint8Array.of(0x1f, 0));
    });
  },
);

describe.skipIf(!hasTool('python3'))('python3 tarfile archives (issue 14.5, needs python3)', () => {
  it('GNU_FORMAT and PAX_FORMAT long names: full name read, lint error; USTAR_FORMAT: prefix read, lint ok', () => {
    for (const fmt of ['GNU', 'PAX'] as const) {
      const f = pyTar(fmt, 'long', `py-${fmt}.tar`);
      expect(decodeError(read(f)).code).toBe('NV_EFS_BAD_TAR_TYPEFLAG');
      const image = readEfsImage(read(f), NODE_DEFLATE, { strictTypeflag: false });
      expect(image.tree.entries.map((x) => x.path)).toContain(LONG);
      expect(lintEfsImage(image).ok).toBe(false);
    }
    const u = readEfsImage(read(pyTar('USTAR', 'long', 'py-USTAR.tar')), NODE_DEFLATE);
    expect(u.tree.entries.map((x) => x.path)).toContain(LONG);
    expect(lintEfsImage(u).ok).toBe(true);
  });
});

describe('pack --format vs lint (issue 14.7): every suggestion is accepted by the command it names', () => {
  const entry = (path: string): EfsEntry => ({
    path,
    type: 'item',
    mode: 0o160777,
    uid: 0,
    gid: 0,
    mtime: 315964800,
    data: Uint8Array.of(1),
  });
  it('v7 refuses a 126-B name and names ustar; ustar packs it; lint of that tar is ok with a warning', () => {
    let msg = '';
    try {
      encodeEfsTar({ entries: [entry(LONG)] });
    } catch (e) {
      msg = (e as NvError).message;
      expect((e as NvError).code).toBe('NV_EFS_TAR_NAME_TOO_LONG');
    }
    expect(msg).toMatch(/format "ustar"/);
    const { tar } = encodeEfsTar({ entries: [entry(LONG)] }, { format: 'ustar' });
    const image = readEfsImage(tar, NODE_DEFLATE); // strict: no typeflag the modem rejects
    const lint = lintEfsImage(image);
    expect(lint.ok).toBe(true);
    const f = lint.findings.find((x) => x.path === LONG);
    expect(f?.severity).toBe('warning');
    expect(f?.message).toMatch(/efs pack --format ustar/);
    // the folder lint (no tar yet) gives the same verdict and suggestion
    expect(lintEfsImage({ tree: { entries: [entry(LONG)] }, warnings: [] }).ok).toBe(true);
  });
  it.skipIf(!hasTool('tar'))('GNU tar reads our ustar prefix as the same name (needs GNU tar)', () => {
    const { tar } = encodeEfsTar({ entries: [entry(LONG)] }, { format: 'ustar' });
    writeFileSync(join(dir, 'ours-ustar.tar'), tar);
    const names = execFileSync('tar', ['-tPf', join(dir, 'ours-ustar.tar')], { encoding: 'utf8' }).split('\n');
    expect(names).toContain(LONG);
  });
  it('a name no ustar prefix can split is an error in both pack and lint', () => {
    const odd = `/${'z'.repeat(120)}`;
    expect(ustarSplit(encodeLatin1(odd))).toBe(-1);
    expect(code(() => encodeEfsTar({ entries: [entry(odd)] }, { format: 'ustar' }))).toBe('NV_EFS_TAR_NAME_TOO_LONG');
    const lint = lintEfsImage({ tree: { entries: [entry(odd)] }, warnings: [] });
    expect(lint.ok).toBe(false);
    expect(lint.findings.find((x) => x.path === odd)?.message).toMatch(/shorten the path/);
  });
});

describe.skipIf(!hasTool('tar'))('efs repack (issue 14.6, fixtures by GNU tar)', () => {
  const check = async (input: string, out: string) => {
    const r = await repackEfsArchiveFile(input, join(dir, out));
    const img = await readEfsImageFile(join(dir, out)); // strict device reader
    const byPath = new Map(img.tree.entries.map((e) => [e.path, e]));
    expect(byPath.get('/nv/item_files/x')).toMatchObject({ type: 'item', mode: 0o160777 });
    expect(byPath.get('/nvm/num/10')).toMatchObject({ type: 'item', mode: 0o160777 });
    expect(byPath.get('/nv/item_files/conf/mcfg.conf')).toMatchObject({ type: 'file', mode: 0o100777 });
    expect(byPath.get('/policyman/device_config.xml')?.type).toBe('file');
    expect(byPath.get('/nv')).toMatchObject({ type: 'dir', mode: 0o040777 });
    expect(img.tree.entries.every((e) => e.uid === 0 && e.gid === 0)).toBe(true);
    // device tar: names absolute, `/` first, V7 (no magic)
    expect(img.members?.[0]?.path).toBe('/');
    expect(img.members?.every((m) => m.path.startsWith('/'))).toBe(true);
    expect(img.tar.subarray(257, 263).every((b) => b === 0)).toBe(true);
    expect(lintEfsImage(img).ok).toBe(true);
    return r;
  };
  it('gnu, pax, ustar, v7: device form, each repair listed', async () => {
    for (const fmt of ['gnu', 'pax', 'ustar', 'v7']) {
      const r = await check(gnuTar(fmt, 'short', `r-${fmt}.tar`, ['--owner=1000', '--group=1000']), `o-${fmt}.tgz`);
      const kinds = new Set(r.repairs.map((x) => x.repair));
      expect(kinds).toContain('name');
      expect(kinds).toContain('item-bit');
      expect(kinds).toContain('owner');
      if (fmt === 'pax') expect(kinds).toContain('pax-header');
      expect(r.repairs.find((x) => x.path === '/nvm/num/10' && x.repair === 'item-bit')?.message).toMatch(
        /0644 → 0160777/,
      );
    }
  });
  it.skipIf(!hasTool('bsdtar'))('bsdtar (libarchive) pax archives too (needs Debian libarchive-tools)', async () => {
    execFileSync('bsdtar', ['--format', 'pax', '-C', join(dir, 'short'), '-czf', join(dir, 'r-bsd.tgz'), '.']);
    const r = await check(join(dir, 'r-bsd.tgz'), 'o-bsd.tgz');
    expect(r.repairs.some((x) => x.repair === 'item-bit')).toBe(true);
  });
  it('a GNU long-name entry that fits 99 B once rooted is kept (long-name repair); a 126-B name is an error, no output', async () => {
    const r = await check(gnuTar('gnu', 'edge', 'r-edge.tar'), 'o-edge.tgz');
    expect(r.repairs.find((x) => x.repair === 'long-name')?.path).toBe(`/${EDGE}`);
    expect(
      await nvErrorCodeAsync(repackEfsArchiveFile(gnuTar('gnu', 'long', 'r-long.tar'), join(dir, 'o-long.tgz'))),
    ).toBe('NV_EFS_TAR_NAME_TOO_LONG');
    expect(existsSync(join(dir, 'o-long.tgz'))).toBe(false);
  });
  it('hard links become copies, FIFOs are dropped, symlinks stay', async () => {
    const src = join(dir, 'links');
    makeFolder(src, false);
    linkSync(join(src, 'nvm/num/10'), join(src, 'nvm/num/11'));
    symlinkSync('/nvm/num/10', join(src, 'nvm/num/12'));
    if (optionalTool('mkfifo')) execFileSync('mkfifo', [join(src, 'nvm/fifo')]);
    const r = await repackEfsArchiveFile(gnuTar('gnu', 'links', 'r-links.tar'), join(dir, 'o-links.tgz'));
    const tree = (await readEfsImageFile(join(dir, 'o-links.tgz'))).tree;
    const one = tree.entries.find((e) => e.path === '/nvm/num/11');
    expect(one?.data).toEqual(Uint8Array.of(0x1f, 0));
    expect(r.repairs.map((x) => x.repair)).toContain('hard-link');
    expect(tree.entries.find((e) => e.path === '/nvm/num/12')).toMatchObject({
      type: 'symlink',
      target: '/nvm/num/10',
    });
    if (optionalTool('mkfifo')) {
      expect(r.repairs.some((x) => x.path === '/nvm/fifo' && x.repair === 'dropped')).toBe(true);
      expect(tree.entries.some((e) => e.path === '/nvm/fifo')).toBe(false);
    }
  });
  it('unpack → GNU tar of the folder → repack gives back the original tar bytes (kinds from the .nv-efs.json)', async () => {
    const entries: EfsEntry[] = [
      { path: '/nvm/num/10', type: 'item', mode: 0o160777, uid: 0, gid: 0, mtime: 315964800, data: Uint8Array.of(1) },
      // an item whose name defaultKind would call a regular file: only the manifest/reference knows
      {
        path: '/policyman/x.xml',
        type: 'item',
        mode: 0o160777,
        uid: 0,
        gid: 0,
        mtime: 315964800,
        data: Uint8Array.of(2),
      },
      { path: '/big', type: 'file', mode: 0o100666, uid: 0, gid: 0, mtime: 0, data: new Uint8Array(600).fill(3) },
    ];
    await writeEfsImageFile(join(dir, 'orig.tgz'), { entries });
    const orig = await readEfsImageFile(join(dir, 'orig.tgz'));
    await writeEfsFolder(join(dir, 'unpacked'), orig.tree);
    execFileSync('tar', ['--format=gnu', '-C', join(dir, 'unpacked'), '-czf', join(dir, 'host.tgz'), '.']);
    const r = await repackEfsArchiveFile(join(dir, 'host.tgz'), join(dir, 'back.tgz'));
    expect(r.repairs.map((x) => x.repair)).toContain('manifest');
    expect(Buffer.from(tarOf(join(dir, 'back.tgz'))).equals(Buffer.from(orig.tar))).toBe(true);
    // without the manifest, --reference gives the same result; with neither, defaultKind makes x.xml a file
    execFileSync('tar', [
      '--format=gnu',
      '--exclude=./.nv-efs.json',
      '-C',
      join(dir, 'unpacked'),
      '-czf',
      join(dir, 'bare.tgz'),
      '.',
    ]);
    await repackEfsArchiveFile(join(dir, 'bare.tgz'), join(dir, 'ref.tgz'), { reference: orig.tree });
    expect(Buffer.from(tarOf(join(dir, 'ref.tgz'))).equals(Buffer.from(orig.tar))).toBe(true);
    const guessed = await repackEfsArchiveFile(join(dir, 'bare.tgz'), join(dir, 'noref.tgz'));
    const noref = (await readEfsImageFile(join(dir, 'noref.tgz'))).tree;
    expect(noref.entries.find((e) => e.path === '/policyman/x.xml')?.type).toBe('file');
    // never a silent guess (a real FSG dump: 266 of 706 files typed wrongly by defaultKind)
    expect(guessed.warnings.find((w) => w.code === 'NV_EFS_REPACK_KIND_GUESSED')?.message).toMatch(/^3 file/);
    const withRef = await repackEfsArchiveFile(join(dir, 'bare.tgz'), join(dir, 'ref2.tgz'), { reference: orig.tree });
    expect(withRef.warnings.some((w) => w.code === 'NV_EFS_REPACK_KIND_GUESSED')).toBe(false);
  });
  it('--strip-components drops the top folder of `tar czf x.tgz efs/`; bzip2 input is named', async () => {
    execFileSync('tar', ['-C', dir, '-czf', join(dir, 'top.tgz'), 'short']);
    await repackEfsArchiveFile(join(dir, 'top.tgz'), join(dir, 'o-top.tgz'), { stripComponents: 1 });
    const t = (await readEfsImageFile(join(dir, 'o-top.tgz'))).tree;
    expect(t.entries.some((e) => e.path === '/nvm/num/10')).toBe(true);
    if (optionalTool('bzip2')) {
      execFileSync('tar', ['-C', join(dir, 'short'), '-cjf', join(dir, 'x.tbz'), '.']);
      expect(await nvErrorCodeAsync(repackEfsArchiveFile(join(dir, 'x.tbz'), join(dir, 'o-x.tgz')))).toBe(
        'NV_EFS_CONTAINER_UNKNOWN',
      );
    }
  });
  it('fuzz: hostile archives give an NvError or a tree, never another exception', async () => {
    const seed = read(gnuTar('pax', 'short', 'fuzz-seed.tar'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          fc
            .array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
            .map((edits) => {
              const b = seed.slice();
              for (const [at, v] of edits) b[at] = v;
              return b;
            }),
          fc.nat(seed.length).map((n) => seed.slice(0, n)),
        ),
        async (bytes) => {
          const c = await nvErrorCodeAsync(
            (async () => {
              const r = repackHostEntries(await readHostTar(bytes));
              if (r.tree.entries.length > 0) encodeEfsTar(r.tree);
            })(),
          );
          expect(typeof c).toBe('string');
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('unpack --force replaces only what unpack wrote (issue 14.9)', () => {
  const tree = {
    entries: [
      { path: '/nvm/num/10', type: 'item', mode: 0o160777, uid: 0, gid: 0, mtime: 0, data: Uint8Array.of(1) },
    ] as EfsEntry[],
  };
  it('refuses a folder holding the input; refuses foreign files and keeps them; replaces its own output', async () => {
    const out = join(dir, 'unp');
    mkdirSync(out);
    writeFileSync(join(out, 'fs_image.tar.gz'), 'input');
    const e1 = await nvErrorCodeAsync(
      writeEfsFolder(out, tree, { force: true, inputs: [join(out, 'fs_image.tar.gz')] }),
    );
    expect(e1).toBe('NV_EXISTS');
    expect(readFileSync(join(out, 'fs_image.tar.gz'), 'utf8')).toBe('input');
    // no manifest: not unpack's folder
    expect(await nvErrorCodeAsync(writeEfsFolder(out, tree, { force: true }))).toBe('NV_EXISTS');
    expect(readdirSync(out)).toEqual(['fs_image.tar.gz']);
    rmSync(join(out, 'fs_image.tar.gz'));
    await writeEfsFolder(out, tree);
    writeFileSync(join(out, 'nvm/notes.txt'), 'mine');
    expect(await nvErrorCodeAsync(writeEfsFolder(out, tree, { force: true }))).toBe('NV_EXISTS');
    expect(readFileSync(join(out, 'nvm/notes.txt'), 'utf8')).toBe('mine');
    rmSync(join(out, 'nvm/notes.txt'));
    writeFileSync(join(out, 'nvm/num/10'), 'edited'); // a file unpack wrote: --force may replace it
    await writeEfsFolder(out, tree, { force: true });
    expect(read(join(out, 'nvm/num/10'))).toEqual(Uint8Array.of(1));
  });
});
