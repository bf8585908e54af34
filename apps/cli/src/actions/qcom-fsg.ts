import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { NvError } from '@nv/core';
import { assertCanWrite, nodeSha256, readFileLimited, writeFileAtomic } from '@nv/core/node';
import {
  buildFsgImg,
  inspectSignedImage,
  unwrapFsgImage,
  normalizeRootHash,
  parseEfsImageMeta,
  parseId,
  rootHashC,
  rootHashes,
  verifySignedImage,
  type FsgFinding,
  type ImgPartition,
} from '@nv/qcom-fsg-sign';
import {
  certificatesFrom,
  createCommandSigner,
  readFsgKeyFolder,
  readRootCertificates,
  recordedHwId,
  signFsgFile,
  writeFsgKeys,
  type SignOptions,
} from '@nv/qcom-fsg-sign/node';
import { stat } from 'node:fs/promises';
import { formatTable, type CliContext } from '../context.ts';
import { hwIdArg } from './hw-id.ts';
import { usage } from '../options.ts';

const hex16 = (v: bigint): string => `0x${v.toString(16).toUpperCase().padStart(16, '0')}`;

/**
 * Compares a HW_ID with the `hwId` keygen recorded in a keys folder (`fsg-keys.json`); a mismatch is a warning
 * (stderr note + `warnings[]` in the JSON), since the modem build, not the folder, decides.
 */
async function checkRecordedHwId(ctx: CliContext, dir: string | undefined, hwId: bigint): Promise<FsgFinding[]> {
  if (dir === undefined) return [];
  const abs = ctx.resolvePath(dir);
  if ((await stat(abs).catch(() => undefined))?.isDirectory() !== true) return [];
  const recorded = await recordedHwId(abs);
  if (recorded === undefined || recorded === hwId) return [];
  const f: FsgFinding = {
    severity: 'warning',
    code: 'NV_FSG_KEYS_HWID_MISMATCH',
    message: `--hw-id ${hex16(hwId)} differs from hwId ${hex16(recorded)} that keygen recorded in ${dir}/fsg-keys.json`,
  };
  ctx.note(`warning ${f.code}: ${f.message}`);
  return [f];
}

function date(text: string | undefined, what: string): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) usage(`${what} "${text}" is not an ISO date (e.g. 2025-01-01)`);
  return d;
}

function notes(ctx: CliContext, findings: readonly FsgFinding[]): void {
  for (const f of findings) ctx.note(`${f.severity} ${f.code}: ${f.message}`);
}

async function readMeta(ctx: CliContext, path: string | undefined) {
  if (path === undefined) return undefined;
  return parseEfsImageMeta(await readFileLimited(ctx.resolvePath(path), 64 * 1024), path);
}

/** `nv qcom fsg keygen` */
export async function fsgKeygen(
  ctx: CliContext,
  flags: {
    output: string;
    swId: string;
    hwId: string;
    oemId?: string;
    modelId?: string;
    org: string;
    keyBits: '2048' | '4096';
    exponent: '65537' | '3';
    notBefore?: string;
    serialSeed?: string;
    force?: boolean;
  },
): Promise<void> {
  const hwId = hwIdArg(flags.hwId);
  const swId = parseId(flags.swId, '--sw-id');
  const notBefore = date(flags.notBefore, '--not-before');
  if (/test/i.test(flags.org)) usage('--org must not contain "test" (keygen never writes it into names)');
  const keys = await writeFsgKeys(ctx.resolvePath(flags.output), {
    org: flags.org,
    hwId,
    swId,
    keyBits: Number(flags.keyBits) as 2048 | 4096,
    exponent: Number(flags.exponent) as 3 | 65537,
    ...(flags.oemId !== undefined ? { oemId: Number(parseId(flags.oemId, '--oem-id', 0xffffn)) } : {}),
    ...(flags.modelId !== undefined ? { modelId: Number(parseId(flags.modelId, '--model-id', 0xffffn)) } : {}),
    ...(notBefore ? { notBefore } : {}),
    ...(flags.serialSeed !== undefined ? { serialSeed: flags.serialSeed } : {}),
    force: flags.force === true,
  });
  ctx.result(
    {
      rootHash: keys.rootHash,
      dir: flags.output,
      files: Object.keys(keys.files),
      hwId: hex16(hwId),
      swId: hex16(swId),
    },
    () =>
      `keys written to ${flags.output} (root.key.pem: keep offline; sign never reads it)\nFS_SIGNED_IMG_ROOT_HASH ${keys.rootHash}\n\n${rootHashC(keys.rootHash, hwId, swId)}`,
  );
}

/** `nv qcom fsg sign` */
export async function fsgSign(
  ctx: CliContext,
  input: string,
  flags: {
    keys?: string;
    hwId: string;
    swId: string;
    oemId?: string;
    modelId?: string;
    attestCert?: string;
    attestKey?: string;
    signerCmd?: string;
    caCert?: string;
    rootCert?: string;
    notBefore?: string;
    serialSeed?: string;
    allowTestRoot?: boolean;
    meta?: string;
    output: string;
    force?: boolean;
  },
): Promise<void> {
  const hwId = hwIdArg(flags.hwId);
  const swId = parseId(flags.swId, '--sw-id');
  if (flags.signerCmd !== undefined && flags.attestCert === undefined)
    usage('--signer-cmd needs --attest-cert (the certificate of the key the command signs with)');
  if (flags.attestCert !== undefined && flags.attestKey === undefined && flags.signerCmd === undefined)
    usage('--attest-cert needs --attest-key or --signer-cmd');
  if (flags.keys === undefined && (flags.caCert === undefined || flags.rootCert === undefined))
    usage('give --keys <dir> (from keygen), or --ca-cert and --root-cert');
  const notBefore = date(flags.notBefore, '--not-before');
  const certFile = async (p: string): Promise<Uint8Array> =>
    certificatesFrom(await readFileLimited(ctx.resolvePath(p), 1024 * 1024), p)[0] as Uint8Array;
  const base =
    flags.keys !== undefined &&
    (flags.attestCert === undefined || flags.attestKey !== undefined || flags.caCert === undefined)
      ? await readFsgKeyFolder(ctx.resolvePath(flags.keys))
      : undefined;
  const options: SignOptions = {
    caCertDer: flags.caCert !== undefined ? await certFile(flags.caCert) : (base?.caCertDer as Uint8Array),
    rootCertDer: flags.rootCert !== undefined ? await certFile(flags.rootCert) : (base?.rootCertDer as Uint8Array),
    ...(base ? { caKey: base.caKey } : {}),
    hwId,
    swId,
    ...(flags.oemId !== undefined ? { oemId: Number(parseId(flags.oemId, '--oem-id', 0xffffn)) } : {}),
    ...(flags.modelId !== undefined ? { modelId: Number(parseId(flags.modelId, '--model-id', 0xffffn)) } : {}),
    ...(flags.attestCert !== undefined ? { attestCertDer: await certFile(flags.attestCert) } : {}),
    ...(flags.attestKey !== undefined
      ? { attestKey: createPrivateKeyFrom(await readFile(ctx.resolvePath(flags.attestKey), 'utf8'), flags.attestKey) }
      : {}),
    ...(flags.signerCmd !== undefined ? { signer: createCommandSigner(flags.signerCmd, { cwd: ctx.io.cwd }) } : {}),
    ...(notBefore ? { notBefore } : {}),
    ...(flags.serialSeed !== undefined ? { serialSeed: flags.serialSeed } : {}),
    allowTestRoot: flags.allowTestRoot === true,
  };
  const warnings = await checkRecordedHwId(ctx, flags.keys, hwId);
  const meta = await readMeta(ctx, flags.meta);
  if (meta) options.meta = meta;
  // Reads the payload straight into the signed image (one copy in memory), refuses a signed input
  // (NV_FSG_SIGNED_INPUT, naming the unwrap command) and writes the .mbn atomically.
  const r = await signFsgFile(ctx.resolvePath(input), ctx.resolvePath(flags.output), {
    ...options,
    path: input,
    force: flags.force === true,
  });
  notes(
    ctx,
    r.verify.findings.filter((f) => f.severity !== 'info'),
  );
  ctx.result(
    {
      rootHash: r.rootHash,
      hash: r.hash,
      size: r.size,
      output: flags.output,
      hwId: hex16(hwId),
      swId: hex16(swId),
      warnings,
    },
    () =>
      `signed ${input} → ${flags.output} (${r.size} bytes)\nroot ${r.rootHash}\nH3   ${r.hash}\nnext: nv qcom fsg img ${flags.output} --meta efs_image_meta.bin -o ${flags.output}.img`,
  );
}

function createPrivateKeyFrom(pem: string, path: string) {
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw new NvError('NV_FSG_KEYS_DIR', `${path} is not a PEM private key`, { path, cause });
  }
}

/** `nv qcom fsg img` */
export async function fsgImg(
  ctx: CliContext,
  input: string,
  flags: { meta?: string; partition: ImgPartition; output: string; force?: boolean },
): Promise<void> {
  const mbn = await readFileLimited(ctx.resolvePath(input));
  const meta = await readMeta(ctx, flags.meta);
  const r = buildFsgImg(mbn, { partition: flags.partition, path: input, ...(meta ? { meta } : {}) });
  await writeFileAtomic(ctx.resolvePath(flags.output), r.img, { force: flags.force === true });
  notes(ctx, r.findings);
  ctx.result(
    { size: r.size, dest: r.dest, partition: flags.partition, output: flags.output, findings: r.findings },
    () =>
      `${flags.output}: ${r.size} bytes, ${flags.partition} sector, image_dest_ptr 0x${r.dest.toString(16).padStart(8, '0')}\nflash it to fsg, then erase modemst1/modemst2 (and fsc)`,
  );
}

/** `nv qcom fsg inspect` */
export async function fsgInspect(ctx: CliContext, input: string): Promise<void> {
  const r = inspectSignedImage(await readFileLimited(ctx.resolvePath(input)), input);
  ctx.result(r, () => {
    const h = r.header;
    const lines = [
      `${input}: ${r.container}${r.trailingBytes ? ` (+${r.trailingBytes} bytes after the image)` : ''}`,
      `header: id ${h.imageId}, v${h.version}, src ${h.imageSrc}, dest 0x${h.imageDest.toString(16)}, image ${h.imageSize}, code ${h.codeSize} (${r.code.format}), signature ${h.signatureSize} @${r.signature.offset}, chain ${h.certChainSize} @${r.chain.offset}`,
      formatTable(
        r.certs.map((c, i) => [String(i), c.subject, `RSA-${c.keyBits ?? '?'} e=${c.exponent ?? '?'}`, c.sha256]),
        ['#', 'subject', 'key', 'sha256'],
      ),
      `OU: ${Object.entries(r.ou)
        .filter(([k]) => k !== 'texts')
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ')}`,
      `root ${r.rootHash ?? '(none)'}${r.knownRoot ? ` — KNOWN ${r.knownRoot.kind.toUpperCase()} KEY: ${r.knownRoot.label}` : ''}`,
      ...(r.cLines ? ['', 'the modem build needs (diff against fs_signed_img_param.c):', r.cLines] : []),
      ...r.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`),
    ];
    return lines.join('\n');
  });
}

/** `nv qcom fsg verify` */
export async function fsgVerify(
  ctx: CliContext,
  input: string,
  flags: {
    rootHash?: string;
    root?: string;
    hwId?: string;
    swId?: string;
    meta?: string;
    fuseRootHash?: string;
    fuseHwId?: string;
    allowDummyKey?: boolean;
    asPartition?: boolean;
    strict?: boolean;
  },
): Promise<void> {
  if ((flags.rootHash === undefined) === (flags.root === undefined))
    usage('give exactly one of --root-hash <hex> or --root <cert|keys dir>');
  const rootHash =
    flags.rootHash !== undefined
      ? normalizeRootHash(flags.rootHash)
      : rootHashes(await readRootCertificates([ctx.resolvePath(flags.root as string)])).rootHash;
  const hwId = flags.hwId !== undefined ? hwIdArg(flags.hwId) : undefined;
  const warnings = hwId !== undefined ? await checkRecordedHwId(ctx, flags.root, hwId) : [];
  const meta = await readMeta(ctx, flags.meta);
  const verified = verifySignedImage(await readFileLimited(ctx.resolvePath(input)), {
    rootHash,
    ...(hwId !== undefined ? { hwId } : {}),
    ...(flags.swId !== undefined ? { swId: parseId(flags.swId, '--sw-id') } : {}),
    ...(meta ? { meta } : {}),
    ...(flags.fuseRootHash !== undefined ? { fuseRootHash: normalizeRootHash(flags.fuseRootHash) } : {}),
    ...(flags.fuseHwId !== undefined ? { fuseHwId: hwIdArg(flags.fuseHwId, '--fuse-hw-id') } : {}),
    allowDummyKey: flags.allowDummyKey === true,
    asPartition: flags.asPartition === true,
    strict: flags.strict === true,
    path: input,
    sha256: nodeSha256,
  });
  const r = warnings.length > 0 ? { ...verified, findings: [...warnings, ...verified.findings] } : verified;
  ctx.result(r, () =>
    [
      formatTable(
        r.checks.map((c) => [
          String(c.step),
          c.name,
          c.skipped
            ? c.ok
              ? 'skip'
              : 'n/a'
            : c.ok
              ? 'ok'
              : `FAIL ${c.code ?? ''}${c.secboot !== undefined ? ` (secboot ${c.secboot})` : ''}`,
          c.detail,
        ]),
        ['step', 'check', 'result', 'detail'],
      ),
      ...r.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`),
      r.ok
        ? 'OK: the modem accepts this image'
        : `REFUSED: ${r.modemResult.ok ? 'strict policy (known test key)' : `${r.modemResult.name} ${r.modemResult.code ?? ''}`}`,
    ].join('\n'),
  );
  if (!r.ok) ctx.fail();
}

/** `nv qcom fsg root-hash` */
export async function fsgRootHash(
  ctx: CliContext,
  inputs: string[],
  flags: { c?: boolean; hwId?: string; swId?: string },
): Promise<void> {
  const ders = await readRootCertificates(inputs.map((p) => ctx.resolvePath(p)));
  const r = rootHashes(ders);
  const hwId = flags.hwId !== undefined ? hwIdArg(flags.hwId) : undefined;
  const swId = flags.swId !== undefined ? parseId(flags.swId, '--sw-id') : undefined;
  const c = rootHashC(r.rootHash, hwId, swId);
  ctx.result({ rootHash: r.rootHash, roots: r.roots, ...(flags.c ? { c } : {}) }, () =>
    flags.c
      ? c.trimEnd()
      : ders.length > 1
        ? [...r.roots.map((h, i) => `${h}  ${inputs[i] ?? ''}`), `${r.rootHash}  (aggregate)`].join('\n')
        : r.rootHash,
  );
}

/** `nv qcom fsg unwrap` (issue 16.5): the payload exactly as signed, and the old signer's root hash. */
export async function fsgUnwrap(
  ctx: CliContext,
  input: string,
  flags: { output: string; force?: boolean },
): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  const r = unwrapFsgImage(await readFileLimited(ctx.resolvePath(input)), input);
  await writeFileAtomic(out, r.payload, { force: flags.force === true });
  const json = {
    size: r.size,
    signed: r.signed,
    rootHash: r.rootHash,
    knownRoot: r.knownRoot,
    container: r.container,
    format: r.format,
    offset: r.offset,
    trailingBytes: r.trailingBytes,
    output: flags.output,
  };
  ctx.result(
    json,
    () =>
      `${input} (${r.container}) → ${flags.output}: ${r.size} bytes of ${r.format} payload, exactly as signed\n` +
      `old root ${r.rootHash ?? '(none)'}${r.knownRoot !== null ? ` (${r.knownRoot.label})` : ''}\n` +
      `next: nv qcom fsg sign ${flags.output} --keys <your keys> --hw-id … --sw-id … -o ${flags.output}.mbn\n`,
  );
}
