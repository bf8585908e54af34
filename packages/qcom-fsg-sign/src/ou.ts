/**
 * Attestation OU fields (docs/formats/fsg.md#ous). Pure and browser-safe.
 * @module
 */
import type { FsgFinding } from './errors.ts';
import { formatId } from './hash.ts';
import { OID, type ParsedCert } from './x509.ts';

/** Value width per OU name (docs/formats/fsg.md#ous). */
export const OU_WIDTH: Readonly<Record<string, number>> = Object.freeze({
  SW_ID: 16,
  HW_ID: 16,
  DEBUG: 16,
  OEM_ID: 4,
  MODEL_ID: 4,
  SW_SIZE: 8,
  SHA256: 4,
  SHA1: 4,
  CRASH_DUMP: 16,
  IN_USE_SOC_HW_VERSION: 4,
  USE_SERIAL_NUMBER_IN_SIGNING: 4,
});

/** The OU values the modem reads (bigint for 64-bit ones). */
export interface AttestationOus {
  swId?: bigint;
  hwId?: bigint;
  debug?: bigint;
  oemId?: number;
  modelId?: number;
  swSize?: number;
  /** `sha256` with `07 0001 SHA256`, else `sha1`. */
  hash: 'sha256' | 'sha1';
  crashDump?: bigint;
  /** OU 13/14 present (newer secboot options). */
  unsupported: string[];
  /** Every OU text in order. */
  texts: string[];
}

/** Result of {@link parseAttestationOus}: values plus `OU_FORMAT`/`CERT_INFO` findings. */
export interface OuParse {
  ous: AttestationOus;
  findings: FsgFinding[];
}

/**
 * Reads the attestation subject's OU RDNs as the modem does: text `II VALUE NAME`, exactly N upper-case hex digits.
 * A wrong length is ignored by the modem (warning); other digits truncate the value (error `OU_FORMAT`).
 * @example
 * parseAttestationOus(cert).ous.hwId
 */
export function parseAttestationOus(cert: ParsedCert): OuParse {
  const findings: FsgFinding[] = [];
  const ous: AttestationOus = { hash: 'sha1', unsupported: [], texts: [] };
  for (const rdn of cert.subject) {
    if (rdn.length > 1)
      findings.push({
        severity: 'warning',
        code: 'NV_FSG_CERT_INFO',
        message: `multi-valued RDN (${rdn.length} attributes); the modem reads only the first (inferred)`,
      });
    const a = rdn[0];
    if (a === undefined || a.oid !== OID.ou) continue;
    const text = a.value;
    ous.texts.push(text);
    const m = /^(.{2}) (\S+) (\S+)$/s.exec(text);
    if (!m) {
      findings.push({
        severity: 'warning',
        code: 'NV_FSG_OU_FORMAT',
        message: `OU "${text}" is not "II VALUE NAME"; the modem ignores it`,
      });
      continue;
    }
    const [, , value, name] = m as unknown as [string, string, string, string];
    const width = Object.hasOwn(OU_WIDTH, name) ? OU_WIDTH[name] : undefined; // own keys: not `constructor`, `toString`…
    if (width === undefined) {
      findings.push({ severity: 'info', code: 'NV_FSG_CERT_INFO', message: `OU "${text}" is not used by the modem` });
      continue;
    }
    if (name === 'IN_USE_SOC_HW_VERSION' || name === 'USE_SERIAL_NUMBER_IN_SIGNING') {
      ous.unsupported.push(text);
      continue;
    }
    if (value.length !== width) {
      findings.push({
        severity: 'warning',
        code: 'NV_FSG_OU_FORMAT',
        message: `OU "${text}": ${name} needs exactly ${width} digits, has ${value.length}; the modem silently ignores it`,
      });
      continue;
    }
    if (!/^[0-9A-F]+$/.test(value)) {
      findings.push({
        severity: 'error',
        code: 'NV_FSG_OU_FORMAT',
        message: `OU "${text}": ${name} digits must be 0-9A-F (upper case); the modem truncates the value at the first other character`,
      });
      continue;
    }
    const v = BigInt(`0x${value}`);
    if (name === 'SW_ID') ous.swId = v;
    else if (name === 'HW_ID') ous.hwId = v;
    else if (name === 'DEBUG') ous.debug = v;
    else if (name === 'OEM_ID') ous.oemId = Number(v);
    else if (name === 'MODEL_ID') ous.modelId = Number(v);
    else if (name === 'SW_SIZE') ous.swSize = Number(v);
    else if (name === 'SHA256') ous.hash = v === 1n ? 'sha256' : 'sha1';
    else if (name === 'CRASH_DUMP') ous.crashDump = v;
  }
  return { ous, findings };
}

/**
 * The OU texts `sign` writes, in order 01…07 (docs/formats/fsg.md#ous).
 * @example
 * attestationOuTexts({ swId: 0n, hwId: 0x009600E100000000n, oemId: 0, modelId: 0, swSize: 181 })[0] // '01 0000000000000000 SW_ID'
 */
export function attestationOuTexts(v: {
  swId: bigint;
  hwId: bigint;
  oemId: number;
  modelId: number;
  swSize: number;
  debug?: bigint;
}): string[] {
  return [
    `01 ${formatId(v.swId)} SW_ID`,
    `02 ${formatId(v.hwId)} HW_ID`,
    `03 ${formatId(v.debug ?? 2n)} DEBUG`,
    `04 ${formatId(BigInt(v.oemId), 4)} OEM_ID`,
    `05 ${formatId(BigInt(v.swSize), 8)} SW_SIZE`,
    `06 ${formatId(BigInt(v.modelId), 4)} MODEL_ID`,
    '07 0001 SHA256',
  ];
}

/**
 * JSON-ready OU values for `inspect` (hex strings).
 * @example
 * ousToJson(parseAttestationOus(cert).ous).hwId // '0x009600E100000000'
 */
export function ousToJson(o: AttestationOus): Record<string, string | number | string[]> {
  const out: Record<string, string | number | string[]> = {};
  if (o.swId !== undefined) out['swId'] = `0x${formatId(o.swId)}`;
  if (o.hwId !== undefined) out['hwId'] = `0x${formatId(o.hwId)}`;
  if (o.debug !== undefined) out['debug'] = `0x${formatId(o.debug)}`;
  if (o.oemId !== undefined) out['oemId'] = `0x${formatId(BigInt(o.oemId), 4)}`;
  if (o.modelId !== undefined) out['modelId'] = `0x${formatId(BigInt(o.modelId), 4)}`;
  if (o.swSize !== undefined) out['swSize'] = o.swSize;
  if (o.crashDump !== undefined) out['crashDump'] = `0x${formatId(o.crashDump)}`;
  out['hash'] = o.hash;
  out['texts'] = o.texts;
  return out;
}
