/**
 * The simulated modem's boot state machine (docs/formats/fsg.md#modem-checks, docs/formats/qcn.md#overview,
 * docs/formats/efs-tar.md#pitfalls): which modemst copy, or the golden copy in fsg checked in the modem's order and
 * restored into a fresh EFS; online runtime writes.
 * @module
 */
import { NvError } from '@nv/core';
import { encodeLatin1 } from '@nv/core/bytes';
import { sha256 } from '@nv/core/hash';
import { checkBootImage } from '@nv/qcom-fsg-sign';
import { MBN_HEADER_SIZE } from '@nv/qcom-fsg-sign/container';
import { checkModemst, openModemst, type ModemstStatus } from './qcom-cipher.ts';
import { isBlankPartition, readPartition, type QcomPartition } from './qcom-partition.ts';
import {
  QCOM_EFS_MODES,
  createEfs,
  decodeEfs,
  efsNvItems,
  efsWrite,
  listEfs,
  type QcomEfs,
  type QcomEfsListing,
} from './qcom-efs-store.ts';
import type { QcomFormats, QcomFsgCheck, QcomFsgTrust, QcomTarEntry } from './qcom-formats.ts';
import { currentEfsKey, formatsOf, requireEfs, syncEfs, type QcomDevice } from './qcom-device.ts';

/** Which copy the modem booted from. */
export type QcomBootSource = 'modemst1' | 'modemst2' | 'fsg';

/** Why the modem refused the golden copy, or crashed on it. */
export interface QcomBootError {
  /** `NV_FSG_*` (verification), `NV_EFS_*` (untar) or `NV_SIM_QCOM_*` code. */
  code: string;
  message: string;
  /** Name of the failing check. */
  check: string;
  /** secboot return value when secboot refused. */
  secboot?: number;
}

/** Options of {@link bootQcom}. */
export interface QcomBootOptions {
  /**
   * Boot online (the default on a real phone) rather than offline (factory/FTM). Online, the modem writes runtime
   * state (policyman state, serving-system NVs) that a QCN or EFS dump taken afterwards carries (docs/formats/efs-tar.md#pitfalls #12).
   */
  online?: boolean;
}

/** What the modem did at boot. JSON-ready. */
export interface QcomBootResult {
  /** The copy the EFS came from. */
  source: QcomBootSource;
  /** True when the golden copy was restored after its signature verified (false for modemst boots). */
  verified: boolean;
  /** Status of each modemst copy under the current key. */
  copies: Record<'modemst1' | 'modemst2', ModemstStatus>;
  /** With a fused device: whether the fused root/HW_ID passed (docs/formats/fsg.md#modem-checks step 2). */
  fusedRoot?: boolean;
  /** Checks in the modem's order (fsg boots only). */
  checks: QcomFsgCheck[];
  /** Why the golden copy was refused or crashed the modem. */
  error?: QcomBootError;
  /** True when the modem would assert/crash (and do so again on every boot). */
  crashed: boolean;
  online: boolean;
  /** NV items now in the modem: key → hex (see `nvKeyOfPath`). */
  nv: Record<string, string>;
  /** EFS files now in the modem. */
  efs: QcomEfsListing[];
  /** Files written by the modem itself because it booted online. */
  runtimeWrites: string[];
}

/**
 * Runtime state an online modem writes into EFS (docs/formats/efs-tar.md#pitfalls #12): policy-manager state and NVs written while
 * registered. Values are derived from the seed and boot count (deterministic).
 * @example bootQcom(dev, { online: true }).runtimeWrites // QCOM_ONLINE_RUNTIME_PATHS
 */
export const QCOM_ONLINE_RUNTIME_PATHS: readonly string[] = Object.freeze([
  '/policyman/ue_mode',
  '/policyman/rat_mask',
  '/policyman/svc_mode',
]);

const SECBOOT_FAILURE = 1;

const NO_BYTES = new Uint8Array(0);

/**
 * Finds the `.mbn` in the written head of the fsg partition (no copy of the partition). When the head alone does not
 * parse, the whole partition (head + fill) is given instead, so every outcome is the one of the full partition.
 */
function locateFsg(formats: QcomFormats, fsg: QcomPartition): ReturnType<QcomFormats['locateFsg']> {
  const first = fsg.extents[0];
  if (fsg.extents.length === 1 && first !== undefined && first.offset === 0) {
    try {
      return formats.locateFsg(first.bytes);
    } catch (e) {
      if (!NvError.isInstance(e)) throw e;
    }
  }
  return formats.locateFsg(readPartition(fsg));
}

function entriesToEfs(entries: readonly QcomTarEntry[]): QcomEfs {
  const efs = createEfs();
  for (const e of entries) {
    if (e.path === '/' || e.path === '') continue;
    if (e.kind === 'dir') efs.set(e.path, { kind: 'dir', mode: e.mode || QCOM_EFS_MODES.dir, data: new Uint8Array(0) });
    else if (e.kind === 'symlink')
      efs.set(e.path, {
        kind: 'symlink',
        mode: e.mode || QCOM_EFS_MODES.symlink,
        data: new Uint8Array(0),
        ...(e.target !== undefined ? { target: e.target } : {}),
      });
    else {
      // The entry's bytes are the EFS file (no copy): readPayload hands over fresh views of the inflated tar.
      efsWrite(efs, e.path, NO_BYTES, e.kind);
      const node = efs.get(e.path) as { mode: number; data: Uint8Array };
      node.mode = e.mode || QCOM_EFS_MODES[e.kind];
      node.data = e.data;
    }
  }
  return efs;
}

// NV_EFS codes that are an assertion / fatal error in the modem's untar (docs/formats/efs-tar.md#pitfalls #3–#5, #10), not a clean refusal.
const CRASH_CODES = new Set([
  'NV_EFS_BAD_TAR_CHECKSUM',
  'NV_EFS_BAD_TAR_PADDING',
  'NV_EFS_BAD_TAR_TYPEFLAG',
  'NV_EFS_BAD_GZIP_HEADER',
  'NV_EFS_BAD_TAR_NUMBER',
]);

/**
 * Boots the simulated modem. With a sane modemst copy (the newer of the two under the current key) the EFS comes
 * from it and fsg is ignored (docs/formats/fsg.md#modem-checks step 0, docs/formats/efs-tar.md#pitfalls #13). Otherwise the golden copy in fsg is checked in the
 * modem's order — sector, fused root first (if fused), dummy root, secboot steps 4–16, size, payload format, untar —
 * and restored into a fresh EFS, which is then written to both modemst copies. A refused golden copy leaves an empty
 * EFS (the modem starts without the preloaded NVs, docs/formats/fsg.md#modem-checks note) which is written back too.
 *
 * @example
 * flashPartition(dev, 'fsg', img); const r = bootQcom(dev); r.source === 'fsg' && r.verified;
 * @throws NvError `NV_SIM_QCOM_COPY_CORRUPT` when a sane-tagged copy holds malformed records.
 */
export function bootQcom(device: QcomDevice, options: QcomBootOptions = {}): QcomBootResult {
  const state = device.state;
  const online = options.online ?? false;
  state.bootCount += 1;
  const key = currentEfsKey(state);
  // Both copies are checked window by window; only the one the modem boots from is decrypted whole.
  const c1 = checkModemst(key, state.partitions.modemst1);
  const c2 = checkModemst(key, state.partitions.modemst2);
  const copies = { modemst1: c1.status, modemst2: c2.status };
  const base = { copies, online, runtimeWrites: [] as string[] };

  let pick: 'modemst1' | 'modemst2' | undefined;
  if (c1.status === 'sane' && c2.status === 'sane') pick = c2.generation > c1.generation ? 'modemst2' : 'modemst1';
  else if (c1.status === 'sane') pick = 'modemst1';
  else if (c2.status === 'sane') pick = 'modemst2';
  if (pick !== undefined) {
    const opened = openModemst(key, state.partitions[pick]);
    if (opened.plaintext === undefined) throw new Error(`${pick} was sane when checked and is not when opened`);
    const plain = opened.plaintext;
    device.efs = decodeEfs(plain, { path: pick, baseOffset: 52 });
    const writes = online ? writeOnlineState(device) : [];
    return finish(device, {
      ...base,
      source: pick,
      verified: false,
      checks: [],
      crashed: false,
      runtimeWrites: writes,
    });
  }

  // Golden copy (fsg).
  const checks: QcomFsgCheck[] = [];
  const refuse = (check: string, code: string, message: string, crashed = false, secboot?: number): QcomBootResult => {
    device.efs = createEfs();
    if (!crashed) syncEfs(device, true);
    const error: QcomBootError = { code, message, check, ...(secboot !== undefined ? { secboot } : {}) };
    const writes = online && !crashed ? writeOnlineState(device) : [];
    return finish(device, { ...base, source: 'fsg', verified: false, checks, error, crashed, runtimeWrites: writes });
  };

  const fsg = state.partitions.fsg;
  if (isBlankPartition(fsg)) {
    checks.push({ name: 'img-sector', ok: false, detail: 'fsg is erased', code: 'NV_SIM_QCOM_FSG_EMPTY' });
    return refuse(
      'img-sector',
      'NV_SIM_QCOM_FSG_EMPTY',
      'no sane modemst copy and fsg is erased: the modem starts with an empty EFS',
    );
  }
  let located;
  try {
    located = locateFsg(formatsOf(device), fsg);
    checks.push({ name: 'img-sector', ok: true, detail: `.mbn of ${located.mbn.length} bytes at 512` });
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    checks.push({ name: 'img-sector', ok: false, detail: e.message, code: e.code });
    return refuse('img-sector', e.code, e.message);
  }
  // docs/formats/fsg.md#modem-checks steps 3, 17, 18: the checks of `@nv/qcom-fsg-sign` (its verifySignedImage runs the same ones).
  const code = located.mbn.subarray(MBN_HEADER_SIZE, MBN_HEADER_SIZE + located.codeSize);
  const boot = checkBootImage(code, {
    rootHash: state.build.rootHash,
    allowDummyKey: state.build.allowDummyKey,
    ...(state.build.goldenRamSize > 0 ? { ramSize: state.build.goldenRamSize } : {}),
  });

  // docs/formats/fsg.md#modem-checks step 2: a fused device tries the fused root and HW_ID first; success skips to step 17.
  let fusedRoot: boolean | undefined;
  let authenticated = false;
  const swId = BigInt(state.build.swId);
  if (state.fuses.blown) {
    const a = safeAuthenticate(device, located.mbn, {
      rootHash: state.fuses.rootHash as string,
      hwId: BigInt(state.fuses.hwId as string),
      swId,
    });
    fusedRoot = a.ok;
    const failed = a.checks.find((c) => !c.ok);
    checks.push({
      name: 'fuse',
      ok: a.ok,
      detail: a.ok
        ? 'verified with the fused root and HW_ID'
        : `fused root failed at ${failed?.name ?? '?'}: trying the configured root`,
      ...(failed?.code ? { code: failed.code } : {}),
    });
    authenticated = a.ok;
  }
  if (!authenticated) {
    // docs/formats/fsg.md#modem-checks step 3: the configured root is the public dummy key.
    if (!boot.dummyRoot.ok) {
      checks.push({
        name: 'dummy-root',
        ok: false,
        detail: 'the configured root is the public QDST dummy root',
        code: 'NV_FSG_DUMMY_ROOT',
      });
      return withFused(
        refuse(
          'dummy-root',
          'NV_FSG_DUMMY_ROOT',
          'the modem build is configured with the public QDST root (d58522cd…): it refuses the golden copy',
        ),
        fusedRoot,
      );
    }
    checks.push({ name: 'dummy-root', ok: true, detail: 'configured root is not the dummy root' });
    const a = safeAuthenticate(device, located.mbn, {
      rootHash: state.build.rootHash,
      hwId: BigInt(state.build.hwId),
      swId,
    });
    checks.push(...a.checks);
    if (!a.ok) {
      const failed = a.checks.find((c) => !c.ok);
      return withFused(
        refuse(
          failed?.name ?? 'auth',
          failed?.code ?? 'NV_FSG_IMAGE_SIGNATURE',
          failed?.detail ?? 'secboot refused the image',
          false,
          failed?.secboot ?? SECBOOT_FAILURE,
        ),
        fusedRoot,
      );
    }
  }

  // docs/formats/fsg.md#modem-checks step 17: code offset + code_size < buf_size (strict), buf_size = GOLDEN_RAM_SIZE − 512.
  if (!boot.size.skipped) {
    const ok = boot.size.ok;
    checks.push({ name: 'size', ok, detail: boot.size.detail, ...(ok ? {} : { code: 'NV_FSG_TOO_LARGE' }) });
    if (!ok)
      return withFused(refuse('size', 'NV_FSG_TOO_LARGE', `the payload does not fit: ${boot.size.detail}`), fusedRoot);
  }
  // docs/formats/fsg.md#modem-checks step 18: neither tar nor gzip → the modem crashes.
  const kind = boot.payloadKind;
  checks.push({
    name: 'payload',
    ok: kind !== undefined,
    detail: kind ?? 'neither gzip (1F 8B 08, flags 5–7 clear) nor tar',
    ...(kind ? {} : { code: 'NV_FSG_PAYLOAD_FORMAT' }),
  });
  if (kind === undefined)
    return withFused(
      refuse(
        'payload',
        'NV_FSG_PAYLOAD_FORMAT',
        'the payload is neither tar nor gzip: the modem crashes (on every boot)',
        true,
      ),
      fusedRoot,
    );
  // docs/formats/fsg.md#modem-checks step 19: untar into a fresh EFS.
  let entries: QcomTarEntry[];
  try {
    entries = formatsOf(device).readPayload(code);
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    const crash = CRASH_CODES.has(e.code);
    checks.push({ name: 'untar', ok: false, detail: e.message, code: e.code });
    return withFused(
      refuse(
        'untar',
        e.code,
        crash ? `the modem asserts while untarring (repeats every boot): ${e.message}` : e.message,
        crash,
      ),
      fusedRoot,
    );
  }
  checks.push({ name: 'untar', ok: true, detail: `${entries.length} entries` });
  device.efs = entriesToEfs(entries);
  syncEfs(device, true);
  const writes = online ? writeOnlineState(device) : [];
  return finish(device, {
    ...base,
    source: 'fsg',
    verified: true,
    checks,
    crashed: false,
    runtimeWrites: writes,
    ...(fusedRoot !== undefined ? { fusedRoot } : {}),
  });
}

/** secboot refuses what it cannot parse: a parser NvError becomes a failed check (secboot 1, failure). */
function safeAuthenticate(
  device: QcomDevice,
  mbn: Uint8Array,
  trust: QcomFsgTrust,
): ReturnType<QcomFormats['authenticate']> {
  try {
    return formatsOf(device).authenticate(mbn, trust);
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    return {
      ok: false,
      checks: [{ name: 'auth-parse', ok: false, detail: e.message, code: e.code, secboot: SECBOOT_FAILURE }],
    };
  }
}

function withFused(r: QcomBootResult, fusedRoot: boolean | undefined): QcomBootResult {
  return fusedRoot === undefined ? r : { ...r, fusedRoot };
}

function finish(device: QcomDevice, r: Omit<QcomBootResult, 'nv' | 'efs'>): QcomBootResult {
  const efs = device.efs ?? createEfs();
  return { ...r, nv: efsNvItems(efs), efs: listEfs(efs) };
}

/** The modem goes online: writes its runtime state (deterministic from seed and boot count). Returns the paths. */
function writeOnlineState(device: QcomDevice): string[] {
  const efs = requireEfs(device);
  const seedBytes = sha256(encodeLatin1(`online|${device.state.seed}|${device.state.bootCount}`));
  QCOM_ONLINE_RUNTIME_PATHS.forEach((p, i) => efsWrite(efs, p, seedBytes.subarray(i * 4, i * 4 + 4), 'item'));
  syncEfs(device);
  return [...QCOM_ONLINE_RUNTIME_PATHS];
}
