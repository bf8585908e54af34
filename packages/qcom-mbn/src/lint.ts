/**
 * Lint of MCFG MBN files and MCFG XML (docs/formats/mcfg.md#validation): every rule as a finding with its code and severity.
 * @module
 */
import { NvError } from '@nv/core';
import { buildMbn, type BuildMbnOptions } from './build.ts';
import type { HashOptions } from './elf.ts';
import { MAX_NV_ID, MCFG_ATTR, NO_FILES, type FileResolver, type McfgFile, type McfgFinding } from './model.ts';
import { isDuplicateAllowed, isForbiddenEfsPath, isForbiddenNvId, itemKey } from './rules.ts';
import { parseMbn } from './parse.ts';
import { decodeTrailer } from './trailer.ts';
import { parseMcfgXml } from './xml.ts';

/** Options of {@link lintMbn}. */
export interface LintOptions extends HashOptions {
  /** `jo` (format 3, family 5, payload ≤ 255, unknown types are errors) or `v4` (format 4). */
  readonly target?: 'jo' | 'v4';
  /** Expected family byte AA of the version (docs/formats/mcfg.md#version), e.g. 5 for JO. */
  readonly family?: number;
  /**
   * `device` (default for MBNs): judge the file as the modem does; the generator's own rules (forbidden items,
   * NV ids over 7232, duplicate keys) are only `info`. `build` (default for XML): add those rules as the vendor
   * generator applies them, for files you are about to ship.
   */
  readonly profile?: LintProfile;
}

/** Lint profiles: what the modem accepts (`device`) or what the vendor generator accepts (`build`). */
export type LintProfile = 'device' | 'build';

/** Result of a lint: `ok` when there is no error-severity finding. */
export interface LintResult {
  readonly ok: boolean;
  readonly findings: readonly McfgFinding[];
}

function done(findings: McfgFinding[]): LintResult {
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}

/**
 * Lints a parsed file (semantic rules of docs/formats/mcfg.md#validation; structural findings come from {@link parseMbn}).
 *
 * @example
 * const { ok, findings } = lintMcfgFile(parseMbn(bytes), { target: 'jo' });
 */
export function lintMcfgFile(file: McfgFile, options: LintOptions = {}): LintResult {
  const out: McfgFinding[] = [...file.findings];
  const add = (
    severity: McfgFinding['severity'],
    code: string,
    message: string,
    offset?: number,
    path?: string,
  ): void => {
    out.push({
      severity,
      code,
      message,
      ...(offset === undefined ? {} : { offset }),
      ...(path === undefined ? {} : { path }),
    });
  };
  const jo = options.target === 'jo';
  const build = options.profile === 'build';
  /** Severity of a generator-only rule: as given under `--profile build`, info otherwise. */
  const gen = (severity: McfgFinding['severity']): McfgFinding['severity'] => (build ? severity : 'info');
  const genNote = build ? '' : ' (generator rule; the modem applies it — see --profile build)';
  const family = options.family ?? (jo ? 5 : undefined);
  if (jo && file.format !== 3)
    add('error', 'NV_MBN_FORMAT', `target jo needs format 3, the file has ${file.format} (the JO modem rejects it)`);
  if (options.target === 'v4' && file.format !== 4)
    add('error', 'NV_MBN_FORMAT', `target v4 needs format 4, the file has ${file.format}`);
  if (family !== undefined && file.version >>> 24 !== family) {
    add(
      'error',
      'NV_MBN_COMPAT',
      `header version 0x${file.version.toString(16).padStart(8, '0')} has family 0x${(file.version >>> 24).toString(16)}, the target needs 0x${family.toString(16)}`,
    );
  }
  const dialect = file.format === 4 ? 2 : 1;
  const seen = new Map<string, { offset: number; action: 'write' | 'delete' }>();
  for (const item of file.items) {
    const key = itemKey(item) ?? `type ${item.type}`;
    const at = item.offset;
    if (item.type < 1 || item.type > 6) {
      add(
        jo ? 'error' : 'warning',
        'NV_MBN_ITEM_TYPE_UNKNOWN',
        `item type ${item.type} is not 1…6${jo ? '; the JO modem refuses the whole SW config' : ''}`,
        at,
        key,
      );
      if (item.kind === 'opaque') continue;
    }
    if (item.kind === 'opaque') continue;
    const a = item.attrib;
    const c = (a & MCFG_ATTR.C) !== 0;
    const d = (a & MCFG_ATTR.D) !== 0;
    if (!c && !d && (a & MCFG_ATTR.M) === 0)
      add(
        'error',
        'NV_MBN_ATTR_NO_ACTION',
        `${key}: attributes 0x${a.toString(16).padStart(2, '0')} have none of C, D, M; the modem does nothing (JO: invalidates the config)`,
        at,
        key,
      );
    if (c && d)
      add('warning', 'NV_MBN_ATTR_CONFLICT', `${key}: both C (write) and D (delete) are set; C wins`, at, key);
    let o = 0;
    if (a & MCFG_ATTR.S && !(item.kind === 'nv' && item.nvId === 257)) {
      const mask = item.data[0];
      if (mask === undefined || mask === 0 || mask > 0x0f)
        add(
          'error',
          'NV_MBN_SUBS_MASK',
          `${key}: subscription mask ${mask === undefined ? 'missing' : `0x${mask.toString(16)}`} (must be 1…0x0F)`,
          at,
          key,
        );
      o = 1;
    }
    if (a & MCFG_ATTR.I) {
      if (item.data.length <= o)
        add('error', 'NV_MBN_INDEX_MISSING', `${key}: the I bit (0x20) is set but there is no index byte`, at, key);
      o++;
    }
    if (d && !c && item.data.length > o)
      add(
        'warning',
        'NV_MBN_DELETE_DATA',
        `${key}: a delete item carries ${item.data.length - o} data bytes the modem ignores`,
        at,
        key,
      );
    if (item.kind === 'nv') {
      const id = item.nvId!;
      if (id > MAX_NV_ID)
        add(
          gen('error'),
          'NV_MBN_NV_ID_RANGE',
          `NV ${id} is over ${MAX_NV_ID}; use an EFS item under /nv/item_files/${genNote}`,
          at,
          key,
        );
      if (isForbiddenNvId(id))
        add(
          gen('error'),
          'NV_MBN_FORBIDDEN_ITEM',
          `NV ${id} is on the generator's forbidden list (§2.4)${genNote}`,
          at,
          key,
        );
      if (id === 257 && c) {
        const data = item.data;
        const bits = data.length >= 8 ? (data[3]! | (data[4]! << 8) | (data[5]! << 16) | (data[6]! << 24)) >>> 0 : -1;
        const prl = data.subarray(8);
        if (data.length < 10 || bits !== prl.length * 8 || ((prl[0]! << 8) | prl[1]!) !== prl.length || data[7] !== 1) {
          add(
            'error',
            'NV_MBN_PRL',
            `NV 257 (PRL): sub-header (size ${bits} bits, valid ${data[7]}) does not match ${prl.length} PRL bytes`,
            at,
            key,
          );
        }
      }
    } else {
      const p = item.path!;
      if (!p.startsWith('/') || p.length > 127)
        add('error', 'NV_MBN_EFS_PATH', `EFS path "${p}" must be absolute and at most 127 characters`, at, key);
      else if ((a & MCFG_ATTR.S || item.type === 4) && p.length + 15 > 127)
        add('warning', 'NV_MBN_EFS_PATH', `EFS path "${p}" is too long for _SubscriptionNN to be appended`, at, key);
      if (isForbiddenEfsPath(p))
        add(
          gen('error'),
          'NV_MBN_FORBIDDEN_ITEM',
          `EFS path ${p} is refused by the generator (§2.4)${genNote}`,
          at,
          key,
        );
    }
    const action = d && !c ? 'delete' : 'write';
    const prev = seen.get(key);
    if (prev !== undefined && !isDuplicateAllowed(item)) {
      // The modem applies items in order: a write then a delete of the same key is a sequence, not a duplicate.
      const sameAction = prev.action === action;
      if (build || sameAction)
        add(
          build ? (dialect === 1 ? 'warning' : 'error') : 'info',
          'NV_MBN_DUPLICATE',
          `${key} appears more than once (first at offset ${prev.offset}${sameAction ? '' : `, as a ${prev.action}; this one is a ${action}`})${build ? '' : '; the modem applies both in order, the later wins'}`,
          at,
          key,
        );
    }
    seen.set(key, { offset: prev?.offset ?? at ?? 0, action });
  }
  const t = decodeTrailer(file.trailerTlvs);
  if (!t.tlvs.some((x) => x.id === 0))
    add('error', 'NV_MBN_TLV_FORMAT', 'trailer TLV 0 (format) is missing', undefined, 'trailer');
  if (t.version === undefined)
    add(
      'error',
      'NV_MBN_TLV_VERSION_MISSING',
      'trailer TLV 1 (config version) is missing; PDC refuses the load',
      undefined,
      'trailer',
    );
  else {
    if (t.version !== file.version)
      add(
        'warning',
        'NV_MBN_VERSION_MISMATCH',
        `header version 0x${file.version.toString(16).padStart(8, '0')} differs from trailer TLV 1 0x${t.version.toString(16).padStart(8, '0')}`,
        undefined,
        'trailer',
      );
    if (family !== undefined && t.version >>> 24 !== family)
      add(
        'error',
        'NV_MBN_COMPAT',
        `trailer TLV 1 family 0x${(t.version >>> 24).toString(16)} is not the target's 0x${family.toString(16)}; PDC returns INCOMPATIBLE`,
        undefined,
        'tlv:1',
      );
  }
  if (file.configType === 1 && t.iins === undefined && t.plmns === undefined && t.iinPrefixes === undefined) {
    add(
      'warning',
      'NV_MBN_NO_SELECTOR',
      'SW config without IIN list, PLMN list or IIN prefixes: autoselect never picks it',
      undefined,
      'trailer',
    );
  }
  if (jo && 20 + file.trailerTlvs.length + 4 - 16 > 255)
    add(
      'warning',
      'NV_MBN_TRAILER_PAYLOAD_BYTE',
      `trailer payload is ${file.trailerTlvs.length + 8} bytes; JO reads it as one byte (≤ 255)`,
      undefined,
      'trailer',
    );
  if (
    file.container.signed === true &&
    !out.some((f) => f.code === 'NV_MBN_SIGNATURE_STALE') &&
    out.some((f) => f.code === 'NV_MBN_HASH_MISMATCH' || f.code === 'NV_MBN_HEADER_HASH_MISMATCH')
  ) {
    add(
      'warning',
      'NV_MBN_SIGNATURE_STALE',
      'the file is signed and its hashes no longer match; the signature is stale (fatal only if modem auth is fused)',
    );
  }
  return done(out);
}

/**
 * Lints MBN bytes: structural errors from the parser become findings, then {@link lintMcfgFile}.
 *
 * @example
 * const { ok, findings } = lintMbn(bytes, { target: 'jo' });
 */
export function lintMbn(bytes: Uint8Array, options: LintOptions = {}): LintResult {
  let file: McfgFile;
  try {
    file = parseMbn(bytes, options);
  } catch (error) {
    if (!NvError.isInstance(error)) throw error;
    return done([
      {
        severity: 'error',
        code: error.code,
        message: error.message,
        ...(error.offset === undefined ? {} : { offset: error.offset }),
      },
    ]);
  }
  return lintMcfgFile(file, options);
}

/**
 * Lints MCFG XML: parse and build errors, builder warnings, `nv:` extensions (info), then the lint of the built MBN.
 *
 * @example
 * const { ok } = lintMcfgXml(xmlText, NO_FILES, { target: 'jo' });
 */
export function lintMcfgXml(
  text: string,
  resolver: FileResolver = NO_FILES,
  options: LintOptions & Pick<BuildMbnOptions, 'dialect'> = {},
): LintResult {
  const out: McfgFinding[] = [];
  try {
    const doc = parseMcfgXml(text, options.dialect === undefined ? {} : { dialect: options.dialect });
    if (doc.usesExtensions === true)
      out.push({
        severity: 'info',
        code: 'NV_MBN_XML_EXTENSION',
        message: 'the XML uses nv: extensions; the vendor generator cannot build it',
      });
    const bytes = buildMbn(doc, resolver, { ...options, onWarning: (f) => out.push(f) });
    // A loop, not push(...findings): 10⁵ findings as arguments overflow the stack.
    for (const f of lintMbn(bytes, { ...options, profile: options.profile ?? 'build' }).findings)
      if (f.code !== 'NV_MBN_NONCANONICAL_CONTAINER') out.push(f);
  } catch (error) {
    if (!NvError.isInstance(error)) throw error;
    out.push({
      severity: 'error',
      code: error.code,
      message: error.message,
      ...(error.path === undefined ? {} : { path: error.path }),
    });
  }
  return done(out);
}
