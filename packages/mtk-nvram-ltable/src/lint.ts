/**
 * Table lint (docs/formats/lid-table.md#validation).
 * @module
 */
import {
  LTABLE_ENUMS,
  LTABLE_ENUM_SETS,
  LTABLE_ATTR_MASK,
  bitValue,
  decodeBits,
  defaultEnumSet,
  type LtableEnumSet,
} from './enums.ts';
import type { Ltable, LtableEntry } from './model.ts';
import { effectiveEntry, folderCategories, locationOf, lidFileNames, type LtablePlatform } from './effective.ts';
import type { LtableSeverity } from './plan.ts';

/** One lint finding. */
export interface LtableFinding {
  readonly severity: LtableSeverity;
  readonly code: string;
  readonly message: string;
  /** Entry symbol, when the finding is about one entry. */
  readonly name?: string;
  readonly lid?: number | null;
  /** JSON path of the field (`entries[3].verno`). */
  readonly path?: string;
  /** Source position (C import). */
  readonly line?: number;
  readonly column?: number;
  readonly file?: string;
}

/** Result of {@link lintLtable}: `ok` is false when any finding is an error. */
export interface LtableLintResult {
  readonly ok: boolean;
  readonly findings: LtableFinding[];
}

/** Options of {@link lintLtable}. */
export interface LtableLintOptions {
  /** Platform for the docs/formats/lid-table.md#effective-attributes rewrites (default eMMC smartphone, MSP bound to chip). */
  readonly platform?: LtablePlatform;
  /** The table this one replaces: a VERNO changed from `999` is `NV_LTABLE_VERNO_OVERFLOW` (error). */
  readonly previous?: Ltable;
}

const PREFIX_RE = /^[0-9A-Za-z]{4}$/;
const VERNO_RE = /^[0-9]{3}$/;

/**
 * Checks every docs/formats/lid-table.md#validation rule. Never throws for table content: everything is a finding.
 * @example lintLtable(sampleLtable()).ok // true
 */
export function lintLtable(table: Ltable, options: LtableLintOptions = {}): LtableLintResult {
  const findings: LtableFinding[] = [];
  const gen = table.generation;
  const enumSet: LtableEnumSet | undefined = table.enumSet ?? defaultEnumSet(gen);
  if (enumSet === undefined) {
    findings.push({
      severity: 'error',
      code: 'NV_LTABLE_ENUMSET_REQUIRED',
      message: 'a maui table needs an enum set (maui-1, maui-2 or maui-3; spec §4.3)',
      path: 'enumSet',
    });
    return { ok: false, findings };
  }
  const defs = LTABLE_ENUMS[enumSet];
  const platform = options.platform ?? {};
  const seenLid = new Map<number, string>();
  const seenName = new Set<string>();
  const seenPrefix = new Map<string, string>();
  const prevByName = new Map((options.previous?.entries ?? []).map((e) => [e.name, e]));
  table.entries.forEach((e: LtableEntry, i: number) => {
    const at = `entries[${i}]`;
    const f = (severity: LtableSeverity, code: string, message: string, field?: string): void => {
      findings.push({
        severity,
        code,
        message: `${e.name}: ${message}`,
        name: e.name,
        lid: e.lid,
        path: field !== undefined ? `${at}.${field}` : at,
        ...(e.source !== undefined ? { file: e.source.file, line: e.source.line } : {}),
      });
    };
    if (e.lid !== null) {
      const other = seenLid.get(e.lid);
      if (other !== undefined)
        f('error', 'NV_LTABLE_DUP_LID', `LID 0x${e.lid.toString(16)} is also used by ${other}`, 'lid');
      else seenLid.set(e.lid, e.name);
      if (e.lid > 0xffff) f('error', 'NV_LTABLE_LID_RANGE', `LID 0x${e.lid.toString(16)} is over 0xFFFF`, 'lid');
    }
    if (seenName.has(e.name)) f('error', 'NV_LTABLE_DUP_NAME', 'symbol used twice', 'name');
    seenName.add(e.name);
    const pOther = seenPrefix.get(e.prefix);
    if (pOther !== undefined)
      f(
        'error',
        'NV_LTABLE_DUP_PREFIX',
        `prefix ${JSON.stringify(e.prefix)} is also used by ${pOther}: their files would collide`,
        'prefix',
      );
    else seenPrefix.set(e.prefix, e.name);
    if (!PREFIX_RE.test(e.prefix))
      f('error', 'NV_LTABLE_BAD_PREFIX', `prefix ${JSON.stringify(e.prefix)} is not 4 × [0-9A-Za-z]`, 'prefix');
    const vernoText = e.unresolved?.['verno'];
    if (vernoText !== undefined && e.verno === '') {
      // The C source never gave a value: say which define is missing rather than `VERNO ""` (issue 15.6).
      const m = /VER(?:_LID)?\s*\(\s*(\w+)\s*\)/.exec(vernoText);
      f(
        'error',
        'NV_LTABLE_BAD_VERNO',
        m
          ? `VERNO unknown: ${m[1]}_VERNO is not defined (add #define ${m[1]}_VERNO "000")`
          : `VERNO ${JSON.stringify(vernoText)} is not a string literal after macro expansion`,
        'verno',
      );
    } else if (!VERNO_RE.test(e.verno))
      f('error', 'NV_LTABLE_BAD_VERNO', `VERNO ${JSON.stringify(e.verno)} is not 3 decimal digits`, 'verno');
    const prev = prevByName.get(e.name);
    if (prev !== undefined && prev.verno === '999' && e.verno !== '999')
      f(
        'error',
        'NV_LTABLE_VERNO_OVERFLOW',
        'VERNO bumped from 999: create a new LID with a new prefix starting at 000 (§5)',
        'verno',
      );
    else if (e.verno === '999')
      f(
        'warning',
        'NV_LTABLE_VERNO_OVERFLOW',
        'VERNO is 999: the next change needs a new LID (new prefix, VERNO 000)',
        'verno',
      );
    if (!Number.isInteger(e.size) || e.size <= 0 || e.size >= 2 ** 32)
      f('error', 'NV_LTABLE_BAD_SIZE', `record size ${e.size} is not 1..2^32-1`, 'size');
    if (!Number.isInteger(e.records) || e.records <= 0 || e.records > 65535)
      f('error', 'NV_LTABLE_BAD_RECORDS', `record count ${e.records} is not 1..65535`, 'records');
    // Names must exist in the enum set; names of another generation get GEN_MISMATCH.
    for (const [kind, names, field] of [
      ['attributes', e.attributes, 'attributes'],
      ['categories', e.categories, 'categories'],
    ] as const) {
      for (const n of names) {
        if (bitValue(defs[kind], n) !== undefined) continue;
        const other = LTABLE_ENUM_SETS.find((s) => bitValue(LTABLE_ENUMS[s][kind], n) !== undefined);
        if (other !== undefined)
          f('error', 'NV_LTABLE_GEN_MISMATCH', `${n} is a ${other} name, not valid under ${enumSet}`, field);
        else
          f(
            'error',
            kind === 'attributes' ? 'NV_LTABLE_UNKNOWN_ATTR' : 'NV_LTABLE_UNKNOWN_CATEGORY',
            `${n} is not in the ${enumSet} enum`,
            field,
          );
      }
    }
    const attrDec = decodeBits(defs.attributes, e.attr);
    if (attrDec.unknown !== 0 || e.attr > LTABLE_ATTR_MASK[gen])
      f(
        'error',
        'NV_LTABLE_UNKNOWN_ATTR',
        `attr bits 0x${(attrDec.unknown || e.attr).toString(16)} are not in the ${enumSet} enum`,
        'attr',
      );
    const catDec = decodeBits(defs.categories, e.category);
    if (catDec.unknown !== 0)
      f(
        'error',
        'NV_LTABLE_UNKNOWN_CATEGORY',
        `category bits 0x${catDec.unknown.toString(16)} are not in the ${enumSet} enum`,
        'category',
      );
    for (const n of e.attributes)
      if (defs.attributes.find((b) => b.name === n)?.unverified === true)
        f(
          'warning',
          'NV_LTABLE_UNVERIFIED_BIT',
          `${n} is a later-build moly-b bit whose behaviour is unverified (§4.1)`,
          'attributes',
        );
    const attrs = new Set(e.attributes);
    const cats = new Set(e.categories);
    // Default length: byte defaults must cover a record (all records with MULTI_DEFAULT).
    if (e.default.kind === 'bytes' && e.default.hex !== undefined) {
      const have = e.default.hex.length / 2;
      const need = attrs.has('MULTI_DEFAULT') ? e.size * e.records : e.size;
      if (have < need)
        f(
          'error',
          'NV_LTABLE_DEFAULT_LENGTH',
          `byte default has ${have} bytes, needs ${need}${attrs.has('MULTI_DEFAULT') ? ' (size × records with MULTI_DEFAULT)' : ''}`,
          'default',
        );
    }
    if (gen !== 'maui') {
      const backups = ['MULTIPLE', 'BACKUP_RAW', 'BACKUP_FAT'].filter((n) => attrs.has(n));
      if (cats.has('CALIBRAT') && backups.length > 1)
        f(
          'error',
          'NV_LTABLE_ATTR_CONFLICT',
          `CALIBRAT with ${backups.join(' + ')}: these are mutually exclusive (§7)`,
          'attributes',
        );
      if (attrs.has('MULTI_DEFAULT') && (e.default.kind === 'zero' || e.default.kind === 'ff'))
        f(
          'error',
          'NV_LTABLE_ATTR_CONFLICT',
          `MULTI_DEFAULT with the shared ${e.default.kind.toUpperCase()} default`,
          'attributes',
        );
      if (cats.has('FUNC_DEFAULT') && e.default.kind !== 'func')
        f('error', 'NV_LTABLE_ATTR_CONFLICT', 'FUNC_DEFAULT category without an NVRAM_DEFAULT_FUNC default', 'default');
      if (!cats.has('FUNC_DEFAULT') && e.default.kind === 'func')
        f(
          'error',
          'NV_LTABLE_ATTR_CONFLICT',
          'NVRAM_DEFAULT_FUNC default without the FUNC_DEFAULT category',
          'categories',
        );
      const otpBad = ['WRITEPROTECT', 'MULTIPLE', 'MSP'].filter((n) => attrs.has(n));
      if (cats.has('OTP') && otpBad.length > 0)
        f('error', 'NV_LTABLE_ATTR_CONFLICT', `OTP with ${otpBad.join(', ')}`, 'attributes');
      if (
        (cats.has('SECUPACK') || cats.has('CUSTOM_SENSITIVE')) &&
        !(attrs.has('CONFIDENTIAL') && attrs.has('MULTIPLE'))
      ) {
        f(
          'warning',
          'NV_LTABLE_CONFIDENTIAL_REQUIRED',
          `${cats.has('SECUPACK') ? 'SECUPACK' : 'CUSTOM_SENSITIVE'} without CONFIDENTIAL|MULTIPLE`,
          'attributes',
        );
      }
      const folderBits = folderCategories(e.categories, gen);
      if (folderBits.length > 1) {
        const loc = locationOf(e.categories, gen, platform);
        f(
          'warning',
          'NV_LTABLE_CATEGORY_SHADOWED',
          `categories ${folderBits.join(' + ')} select different folders; ${folderBits[0]} wins (${loc.folder})`,
          'categories',
        );
      }
      // Boot-time rewrites (docs/formats/lid-table.md#effective-attributes) that change the on-disk names.
      const eff = effectiveEntry(e, gen, platform);
      const declared = lidFileNames(e.prefix, e.verno, attrs.has('MULTIPLE'), gen);
      const actual = lidFileNames(e.prefix, e.verno, eff.attributes.includes('MULTIPLE'), gen);
      if (declared.join() !== actual.join()) {
        f(
          'info',
          'NV_LTABLE_REWRITE_RENAMES',
          `boot-time rewrite ${eff.rules.join(', ')} changes the files from ${declared.join('+')} to ${actual.join('+')} (§7)`,
          'attributes',
        );
      }
    }
  });
  return { ok: !findings.some((x) => x.severity === 'error'), findings };
}
