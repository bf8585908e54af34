/**
 * JSON summaries (`nv qcom mbn inspect`, cli.md) and re-hash after edits (docs/formats/mcfg.md#rehash).
 * @module
 */
import { bytesToHex } from '@nv/core/bytes';
import { encodeMcfgSegment, wrapSegment } from './encode.ts';
import { rewrapContainer, wrapCanonical, type HashOptions, type RewrapOptions } from './elf.ts';
import type { McfgFile, McfgFinding, SignatureVerdict } from './model.ts';
import { parseMbn } from './parse.ts';
import { decodeTrailer } from './trailer.ts';

/** The `inspect --json` shape of one file (cli.md). */
export interface McfgSummary {
  readonly format: number;
  readonly type: number;
  readonly typeName: 'HW' | 'SW' | 'unknown';
  readonly version: string;
  readonly family: number;
  readonly carrier: number;
  readonly carrierIndex: number;
  readonly container: {
    readonly kind: string;
    readonly canonical: boolean;
    readonly hashVersion: number | null;
    readonly signed: boolean;
    /**
     * `none` (unsigned), `valid`, `invalid` (stale: changed after signing), or `unverified` (no verifier, or no
     * usable certificate).
     */
    readonly signature: 'none' | 'valid' | 'invalid' | 'unverified';
    /** Per-signature checks (signed files parsed with a verifier). */
    readonly signatures?: readonly SignatureVerdict[];
  };
  readonly items: readonly {
    readonly type: number;
    readonly attributes: number;
    readonly id?: number;
    readonly path?: string;
    readonly size: number;
  }[];
  readonly trailer: {
    readonly name?: string;
    readonly version?: string;
    readonly baseVersion?: string;
    readonly iccids?: readonly string[];
    readonly iinWildcard?: boolean;
    readonly iinPrefixes?: readonly string[];
    readonly mccmnc?: readonly string[];
    readonly plmnWildcard?: boolean;
    readonly category?: number;
    readonly digest?: string;
    readonly buildId?: string;
  };
  readonly findings: readonly McfgFinding[];
}

function signatureStatus(file: McfgFile): McfgSummary['container']['signature'] {
  if (file.container.signed !== true) return 'none';
  const v = file.container.signatures ?? [];
  if (v.some((x) => x.status === 'invalid')) return 'invalid';
  const oem = v.find((x) => x.signer === 'oem');
  return oem?.status === 'valid' ? 'valid' : 'unverified';
}

const hex8 = (v: number): string => `0x${v.toString(16).toUpperCase().padStart(8, '0')}`;

/**
 * Summarises a parsed file for `inspect --json`: header, version bytes, items, decoded trailer.
 *
 * @example
 * summarizeMcfg(parseMbn(bytes)).trailer.name; // 'Commercial-TMO'
 */
export function summarizeMcfg(file: McfgFile): McfgSummary {
  const t = decodeTrailer(file.trailerTlvs);
  const mccmnc = [...(t.mccMnc ? [t.mccMnc] : []), ...(t.plmns?.list ?? [])].map(
    (p) => `${p.mcc}-${String(p.mnc).padStart(2, '0')}`,
  );
  return {
    format: file.format,
    type: file.configType,
    typeName: file.configType === 0 ? 'HW' : file.configType === 1 ? 'SW' : 'unknown',
    version: hex8(file.version),
    family: (file.version >>> 24) & 0x1f,
    carrier: (file.version >>> 8) & 0xff,
    carrierIndex: file.carrierIndex,
    container: {
      kind: file.container.kind,
      canonical: file.container.canonical,
      hashVersion: file.container.hashVersion ?? null,
      signed: file.container.signed ?? false,
      signature: signatureStatus(file),
      ...(file.container.signatures ? { signatures: file.container.signatures } : {}),
    },
    items: file.items.map((i) => {
      // Keys in this order (type, attributes, id?, path?, size), without an object spread per item.
      const o: { type: number; attributes: number; id?: number; path?: string; size?: number } = {
        type: i.type,
        attributes: i.attrib,
      };
      if (i.nvId !== undefined) o.id = i.nvId;
      if (i.path !== undefined) o.path = i.path;
      o.size = i.data.length;
      return o as McfgSummary['items'][number];
    }),
    trailer: {
      ...(t.name === undefined ? {} : { name: t.name }),
      ...(t.version === undefined ? {} : { version: hex8(t.version) }),
      ...(t.baseVersion === undefined ? {} : { baseVersion: hex8(t.baseVersion) }),
      ...(t.iins === undefined ? {} : { iccids: t.iins.list.map(String), iinWildcard: t.iins.wildcard }),
      ...(t.iinPrefixes === undefined ? {} : { iinPrefixes: t.iinPrefixes }),
      ...(mccmnc.length === 0 ? {} : { mccmnc }),
      ...(t.plmns === undefined ? {} : { plmnWildcard: t.plmns.wildcard }),
      ...(t.category === undefined ? {} : { category: t.category }),
      ...(t.digest === undefined ? {} : { digest: bytesToHex(t.digest) }),
      ...(t.buildId === undefined ? {} : { buildId: t.buildId }),
    },
    findings: file.findings,
  };
}

/**
 * Parses and summarises MBN bytes in one call (used by the corpus workers).
 * @throws NvError the {@link parseMbn} codes
 *
 * @example
 * inspectMbn(bytes).trailer.name;
 */
export function inspectMbn(bytes: Uint8Array, options: HashOptions & { path?: string } = {}): McfgSummary {
  return summarizeMcfg(parseMbn(bytes, options));
}

/**
 * Re-encodes a (possibly edited) file model and recomputes its hashes (docs/formats/mcfg.md#rehash): canonical files get the canonical
 * wrapper, others keep their container with updated sizes and digest slots; a signature becomes stale.
 *
 * @example
 * const fixed = rehashMbn({ ...parseMbn(bytes), version: 0x0501050e });
 * @throws NvError `NV_MBN_CONTAINER`
 */
export function rehashMbn(file: McfgFile | Uint8Array, options: RewrapOptions = {}): Uint8Array<ArrayBuffer> {
  const f = file instanceof Uint8Array ? parseMbn(file, options) : file;
  const segment = encodeMcfgSegment({
    format: f.format,
    configType: f.configType,
    carrierIndex: f.carrierIndex,
    spareCrc: f.spareCrc,
    version: f.version,
    items: f.items,
    trailerTlvs: f.trailerTlvs,
    trailerPad: f.trailerPad,
  });
  const suffix = f.container.suffix ?? new Uint8Array(0);
  if (f.container.kind === 'bare') return wrapSegment(segment, 'bare', undefined, { readFile: () => undefined });
  if (f.container.canonical || f.container.prefix === undefined) {
    const w = wrapCanonical(segment, options);
    if (suffix.length === 0) return w;
    const out = new Uint8Array(w.length + suffix.length);
    out.set(w);
    out.set(suffix, w.length);
    return out;
  }
  return rewrapContainer(f.container.prefix, segment, suffix, options);
}
