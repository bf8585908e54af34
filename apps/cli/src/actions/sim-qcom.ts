import { basename } from 'node:path';
import { NvError } from '@nv/core';
import { parseBigInteger } from '@nv/core/numbers';
import { NODE_DEFLATE } from '@nv/qcom-efs/node';
import { readFileLimited } from '@nv/core/node';
import { hasQcomDevice, loadQcomDevice, saveQcomDevice } from '@nv/device-sim/qcom/node';
import {
  QCOM_DEFAULT_PARTITION_SIZE,
  autoselectPath,
  bootQcom,
  flashPartition,
  installModemBuild,
  packageQcomFormats,
  createQcomDevice,
  insertSim,
  mcfgConfigFromMbn,
  pdcLoad,
  writeEfsFile,
  type QcomDevice,
  type QcomFormats,
  type QcomPdcLoadResult,
} from '@nv/device-sim/qcom';
import { UsageFailure, formatTable, type CliContext } from '../context.ts';
import { usage } from '../options.ts';
import { hwIdArg } from './hw-id.ts';

const MAX_PARTITION = 64 * 1024 * 1024;

async function loadState(ctx: CliContext, dir: string, formats?: QcomFormats): Promise<QcomDevice | undefined> {
  const abs = ctx.resolvePath(dir);
  return (await hasQcomDevice(abs)) ? loadQcomDevice(abs, formats) : undefined;
}

async function saveState(ctx: CliContext, dev: QcomDevice, dir: string): Promise<void> {
  await saveQcomDevice(dev, ctx.resolvePath(dir));
}

/** Flags of `nv sim qcom mcfg`. */
export interface SimQcomMcfgFlags {
  mbn?: string[];
  iccid: string;
  plmn?: string;
  slot: number;
  autoselect?: number;
  family: number;
  format: number;
  state?: string;
}

/** `nv sim qcom mcfg`: load MBNs over PDC, insert a SIM, report the selection and what the modem wrote. */
export async function simQcomMcfg(ctx: CliContext, flags: SimQcomMcfgFlags): Promise<void> {
  const mbns = flags.mbn ?? [];
  if (mbns.length === 0) usage('give at least one --mbn <file>');
  let dev = flags.state !== undefined ? await loadState(ctx, flags.state) : undefined;
  if (dev === undefined) {
    dev = createQcomDevice({
      trust: { rootHash: '0'.repeat(64), hwId: 0n, swId: 0n },
      build: { mcfgFamily: flags.family, mcfgFormat: flags.format },
      partitionSize: 256 * 1024,
    });
  }
  bootQcom(dev); // from modemst when the saved device has a sane copy, else an empty EFS (fsg erased)
  if (flags.autoselect !== undefined || dev.efs?.get(autoselectPath(flags.slot)) === undefined) {
    writeEfsFile(dev, autoselectPath(flags.slot), new Uint8Array([flags.autoselect ?? 0x81]), 'item');
  }
  const loaded: ({ file: string } & QcomPdcLoadResult)[] = [];
  const used = new Set(dev.state.pdc.configs.map((c) => c.id));
  for (const file of mbns) {
    const bytes = await readFileLimited(ctx.resolvePath(file));
    let id = basename(file);
    for (let n = 2; used.has(id); n++) id = `${basename(file)}#${n}`;
    used.add(id);
    const r = pdcLoad(dev, id, mcfgConfigFromMbn(bytes, file));
    loaded.push({ file, ...r });
  }
  const change = insertSim(dev, flags.slot, {
    iccid: flags.iccid,
    ...(flags.plmn !== undefined ? { plmn: flags.plmn } : {}),
  });
  if (flags.state !== undefined) await saveState(ctx, dev, flags.state);
  const active = dev.state.pdc.active.sw[String(flags.slot)] ?? null;
  const result = {
    selected: change.selection.selected,
    ...(change.selection.name !== undefined ? { name: change.selection.name } : {}),
    outcome: change.selection.outcome,
    detail: change.selection.detail,
    rejected: change.selection.rejected ?? [],
    autoselect: change.selection.autoselect,
    active,
    activation: change.activation
      ? {
          id: change.activation.id,
          outcome: change.activation.outcome,
          detail: change.activation.detail,
          restoreFactory: change.activation.restoreFactory,
        }
      : null,
    switchedBy: change.switchedBy ?? null,
    applied: change.activation?.applied ?? [],
    loaded,
  };
  ctx.result(result, () => {
    const lines = [
      `loaded:   ${loaded.map((l) => `${l.id} ${l.outcome.replace('NV_SIM_MCFG_', '')}`).join(', ')}`,
      `selected: ${result.selected ?? '(none)'}${result.name ? ` (${result.name})` : ''} — ${result.outcome.replace('NV_SIM_MCFG_', '')}: ${result.detail}`,
    ];
    // Why nothing (or not that one) was chosen: refused loads and configs that did not match, as in the JSON.
    for (const l of loaded)
      if (!l.ok) lines.push(`  refused ${l.id}: ${l.outcome.replace('NV_SIM_MCFG_', '')} — ${l.detail}`);
    for (const r of result.rejected) lines.push(`  not chosen ${r.id}: ${r.reason}`);
    if (change.activation)
      lines.push(`activation: ${change.activation.outcome.replace('NV_SIM_MCFG_', '')} — ${change.activation.detail}`);
    if (result.applied.length > 0)
      lines.push(
        formatTable(
          result.applied.map((a) => [a.key, a.target, a.action]),
          ['item', 'target', 'action'],
        ),
      );
    return lines.join('\n');
  });
  if (change.activation && change.activation.outcome !== 'APPLIED' && change.activation.outcome !== 'NOOP_SAME_VERSION')
    ctx.fail();
}

/** Flags of `nv sim qcom boot`. */
export interface SimQcomBootFlags {
  fsg?: string;
  modemst1?: string;
  modemst2?: string;
  rootHash: string;
  hwId: string;
  swId: string;
  fused?: boolean;
  fuseRootHash?: string;
  fuseHwId?: string;
  online?: boolean;
  goldenRamSize?: number;
  allowDummyKey?: boolean;
  seed?: string;
  state?: string;
}

function bigId(text: string, what: string): bigint {
  try {
    return parseBigInteger(text, { what, min: 0n, max: 0xffff_ffff_ffff_ffffn });
  } catch (e) {
    if (NvError.isInstance(e)) throw new UsageFailure(e);
    throw e;
  }
}

function rootHashArg(text: string, what: string): string {
  const h = text.replace(/^0x/i, '').replace(/[:\s]/g, '');
  if (!/^[0-9a-fA-F]{64}$/.test(h)) usage(`${what} must be 64 hex digits (SHA-256 of the root certificate DER)`);
  return h.toLowerCase();
}

/** `nv sim qcom boot`: flash fsg (and optional modemst copies), boot the simulated modem, report what it restored. */
export async function simQcomBoot(ctx: CliContext, flags: SimQcomBootFlags): Promise<void> {
  const trust = {
    rootHash: rootHashArg(flags.rootHash, '--root-hash'),
    hwId: hwIdArg(flags.hwId, '--hw-id'),
    swId: bigId(flags.swId, '--sw-id'),
  };
  const fuse =
    flags.fused || flags.fuseRootHash !== undefined || flags.fuseHwId !== undefined
      ? {
          rootHash:
            flags.fuseRootHash !== undefined ? rootHashArg(flags.fuseRootHash, '--fuse-root-hash') : trust.rootHash,
          hwId: flags.fuseHwId !== undefined ? hwIdArg(flags.fuseHwId, '--fuse-hw-id') : trust.hwId,
        }
      : undefined;
  if (flags.fsg === undefined && flags.state === undefined)
    usage('give --fsg <img> (or --state <dir> of a simulated device that has one)');
  const formats = packageQcomFormats({ deflate: NODE_DEFLATE });
  const images: Partial<Record<'fsg' | 'modemst1' | 'modemst2', Uint8Array>> = {};
  for (const p of ['fsg', 'modemst1', 'modemst2'] as const) {
    const f = flags[p];
    if (f !== undefined) images[p] = await readFileLimited(ctx.resolvePath(f), MAX_PARTITION);
  }
  let dev = flags.state !== undefined ? await loadState(ctx, flags.state, formats) : undefined;
  if (dev === undefined) {
    const size = Math.max(
      QCOM_DEFAULT_PARTITION_SIZE,
      ...Object.values(images).map((b) => Math.ceil(b.length / 4096) * 4096),
    );
    dev = createQcomDevice({
      trust,
      formats,
      partitionSize: size,
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      build: { allowDummyKey: flags.allowDummyKey === true, goldenRamSize: flags.goldenRamSize ?? 0 },
      ...(fuse ? { fuses: fuse } : {}),
    });
  } else {
    installModemBuild(dev, { trust, ...(fuse && !dev.state.fuses.blown ? { blowFuses: fuse } : {}) });
    dev.state.build.allowDummyKey = flags.allowDummyKey === true;
    if (flags.goldenRamSize !== undefined) dev.state.build.goldenRamSize = flags.goldenRamSize;
  }
  for (const [p, bytes] of Object.entries(images) as ['fsg' | 'modemst1' | 'modemst2', Uint8Array][]) {
    try {
      flashPartition(dev, p, bytes);
    } catch (e) {
      throw NvError.isInstance(e) ? e.withPath(flags[p] as string) : e;
    }
  }
  const r = bootQcom(dev, { online: flags.online === true });
  if (flags.state !== undefined) await saveState(ctx, dev, flags.state);
  ctx.result(r, () => {
    const lines = [
      `source:   ${r.source}${r.verified ? ' (signature verified)' : ''}`,
      `copies:   modemst1 ${r.copies.modemst1}, modemst2 ${r.copies.modemst2}`,
    ];
    if (r.error)
      lines.push(`${r.crashed ? 'CRASHED' : 'refused'}: ${r.error.code} at ${r.error.check} — ${r.error.message}`);
    if (r.checks.length > 0)
      lines.push(
        formatTable(
          r.checks.map((c) => [c.ok ? 'ok' : 'FAIL', c.name, c.detail]),
          ['', 'check', 'detail'],
        ),
      );
    lines.push(`NV items: ${Object.keys(r.nv).length}, EFS files: ${r.efs.length}`);
    if (r.efs.length > 0) lines.push(formatTable(r.efs.map((f) => [f.kind, String(f.size), f.path])));
    return lines.join('\n');
  });
  if (r.error !== undefined) ctx.fail();
}
