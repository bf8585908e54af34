// The inspector's decoders: each file type maps to a function of a package's PURE entry (no node:, no
// upload). A type is offered only when its package exports the decoder, so the page follows the packages
// as they grow. Results are turned into plain rows (summary) plus a JSON view with bytes shortened.

/** One file type the inspector can decode. */
export interface InspectorType {
  readonly id: 'qcn' | 'fsg' | 'mbn' | 'lid';
  readonly label: string;
  /** Whether these bytes (and name) look like this type; the first matching type decodes. */
  sniff(bytes: Uint8Array, name: string): boolean;
}

/** What the page shows for a decoded file. */
export interface InspectorResult {
  readonly type: InspectorType['id'];
  readonly summary: readonly (readonly [string, string])[];
  readonly details: unknown;
}

type Module = Record<string, unknown>;
type Decoder = (bytes: Uint8Array, name: string) => InspectorResult;

const hex = (n: number, width = 8): string => `0x${n.toString(16).toUpperCase().padStart(width, '0')}`;
const startsWith = (b: Uint8Array, magic: readonly number[]): boolean => magic.every((m, i) => b[i] === m);
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ELF = [0x7f, 0x45, 0x4c, 0x46];
const u32 = (b: Uint8Array, at: number): number =>
  ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
// qcom-fsg-sign §2.2: the .img sector carries "IMGEFS- SIGNED_IMAGE" at 40; a bare MBN v3 has version 3, src 40.
const isImgSector = (b: Uint8Array): boolean => String.fromCharCode(...b.subarray(40, 60)) === 'IMGEFS- SIGNED_IMAGE';
const isMbnV3 = (b: Uint8Array): boolean => b.length >= 40 && u32(b, 4) === 3 && u32(b, 8) === 40;

/** Replaces byte arrays by `<n bytes: hex…>` so huge payloads stay readable and JSON-safe. */
export function toDisplayJson(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) {
    const head = Array.from(value.subarray(0, 32), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `<${value.length} bytes${value.length ? `: ${head}${value.length > 32 ? ' …' : ''}` : ''}>`;
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (depth > 8) return '…';
  if (Array.isArray(value)) {
    const shown = value.slice(0, 200).map((v) => toDisplayJson(v, depth + 1));
    return value.length > 200 ? [...shown, `… ${value.length - 200} more`] : shown;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDisplayJson(v, depth + 1)]));
  }
  return value;
}

/** The first function a module exports under one of these names. */
function pick(mod: Module, names: readonly string[]): ((...args: unknown[]) => unknown) | undefined {
  for (const n of names) {
    const f = mod[n];
    if (typeof f === 'function') return f as (...args: unknown[]) => unknown;
  }
  return undefined;
}

const TYPES: Record<InspectorType['id'], InspectorType> = {
  qcn: { id: 'qcn', label: 'QCN (OLE2 compound file)', sniff: (b, n) => startsWith(b, OLE2) || /\.qcn$/i.test(n) },
  mbn: { id: 'mbn', label: 'MCFG MBN (ELF)', sniff: (b) => startsWith(b, ELF) },
  fsg: { id: 'fsg', label: 'FSG image (.mbn / .img)', sniff: (b) => isImgSector(b) || isMbnV3(b) },
  lid: { id: 'lid', label: 'MediaTek LID file', sniff: () => true },
};

function mbnDecoder(mod: Module): Decoder | undefined {
  const parse = pick(mod, ['parseMbn']);
  if (!parse) return undefined;
  const decodeTrailer = pick(mod, ['decodeTrailer']);
  return (bytes) => {
    const file = parse(bytes) as {
      format: number;
      configType: number;
      carrierIndex: number;
      version: number;
      segmentSize: number;
      items: readonly { kind: string; type: number; attrib: number; nvId?: number; path?: string; data: Uint8Array }[];
      trailerTlvs: Uint8Array;
      container: unknown;
      findings: readonly unknown[];
    };
    const trailer = decodeTrailer
      ? (decodeTrailer(file.trailerTlvs) as { name?: string; iins?: { list: readonly number[] } })
      : undefined;
    const summary: [string, string][] = [
      ['format', String(file.format)],
      ['type', file.configType === 0 ? '0 (HW)' : `${file.configType} (SW)`],
      ['carrierIndex', String(file.carrierIndex)],
      ['version', hex(file.version)],
      ['items', String(file.items.length)],
    ];
    if (trailer?.name !== undefined) summary.push(['carrier name', trailer.name]);
    if (trailer?.iins) summary.push(['ICCID prefixes', trailer.iins.list.join(' ')]);
    for (const item of file.items) {
      summary.push([
        item.kind === 'efs' ? `EFS ${item.path ?? ''}` : `NV ${item.nvId ?? `type ${item.type}`}`,
        `${item.data.length} bytes, attributes ${hex(item.attrib, 2)}`,
      ]);
    }
    return { type: 'mbn', summary, details: toDisplayJson({ ...file, trailer }) };
  };
}

function lidDecoder(mod: Module): Decoder | undefined {
  const decode = pick(mod, ['decodeLidFile']);
  if (!decode) return undefined;
  const parseName = pick(mod, ['parseLidFileName']);
  return (bytes, name) => {
    // No table entry and no key in the browser: decode what the bytes say, ciphertext stays as is.
    const d = decode(bytes, undefined, { allowEncrypted: true, path: name }) as {
      generation: string;
      recordSize: number;
      sectionSize: number;
      decrypted: boolean;
      header?: {
        lid: number;
        totalRecords: number;
        recordSize: number;
        attr: number;
        category: number;
        checksum: number;
      };
      headerChecksumOk?: boolean;
      records: readonly { index: number; bytes: Uint8Array; checksumOk: boolean }[];
      badRecords: readonly number[];
    };
    let fileName: unknown;
    try {
      fileName = parseName?.(name);
    } catch {
      fileName = undefined;
    }
    const summary: [string, string][] = [
      ['generation', d.generation],
      ['records', String(d.records.length)],
      ['record size', String(d.recordSize)],
      ['checksums', d.badRecords.length === 0 ? 'all ok' : `bad: ${d.badRecords.join(', ')}`],
    ];
    if (d.header) {
      summary.push(
        ['LID', hex(d.header.lid, 4)],
        ['header checksum', d.headerChecksumOk ? 'ok' : 'bad'],
        ['attributes', hex(d.header.attr)],
        ['category', hex(d.header.category)],
      );
    }
    for (const r of d.records.slice(0, 16)) {
      summary.push([
        `record ${r.index}`,
        `${Array.from(r.bytes.subarray(0, 24), (b) => b.toString(16).padStart(2, '0')).join(' ')}${r.bytes.length > 24 ? ' …' : ''} (${r.checksumOk ? 'ok' : 'bad checksum'})`,
      ]);
    }
    return { type: 'lid', summary, details: toDisplayJson({ fileName, ...d }) };
  };
}

function qcnDecoder(mod: Module): Decoder | undefined {
  const decode = pick(mod, ['decodeQcn']);
  if (!decode) return undefined;
  return (bytes) => {
    const { qcn, warnings } = decode(bytes) as {
      qcn: {
        fileVersion?: readonly number[];
        model: number;
        items: readonly { id: number; index: number; subscription: number; payload: Uint8Array }[];
        efs: readonly { store: string; path: string; data: Uint8Array }[];
        extra: readonly unknown[];
      };
      warnings: readonly unknown[];
    };
    const summary: [string, string][] = [
      ['fileVersion', qcn.fileVersion ? qcn.fileVersion.join('.') : '(none)'],
      ['model', String(qcn.model)],
      ['numbered items', String(qcn.items.length)],
      ['EFS files', String(qcn.efs.length)],
      ['warnings', String(warnings.length)],
    ];
    for (const item of qcn.items.slice(0, 50))
      summary.push([
        `NV ${item.id}${item.index ? `[${item.index}]` : ''}${item.subscription ? ` sub ${item.subscription}` : ''}`,
        hexBytes(item.payload, 16),
      ]);
    for (const f of qcn.efs.slice(0, 50))
      summary.push([`${f.store} ${f.path}`, `${f.data.length} bytes: ${hexBytes(f.data, 16)}`]);
    return { type: 'qcn', summary, details: toDisplayJson({ ...qcn, warnings }) };
  };
}

function fsgDecoder(mod: Module): Decoder | undefined {
  const inspect = pick(mod, ['inspectSignedImage']);
  if (!inspect) return undefined;
  return (bytes, name) => {
    const r = inspect(bytes, name) as {
      container: string;
      header: Record<string, number>;
      sector?: { imageId: number; dest: number; magicOk: boolean };
      certs: readonly { subject: string; sha256: string; keyBits: number | null }[];
      ou: Record<string, unknown>;
      rootHash: string | null;
      knownRoot: { label: string } | null;
      cLines: string | null;
      findings: readonly { severity: string; code: string; message: string }[];
      code: { size: number; format: string };
    };
    const summary: [string, string][] = [['container', r.container]];
    for (const [k, v] of Object.entries(r.header)) summary.push([`header.${k}`, `${v} (${hex(v)})`]);
    if (r.sector) summary.push(['sector.imageId', String(r.sector.imageId)], ['sector.dest', hex(r.sector.dest)]);
    summary.push(['payload', `${r.code.format}, ${r.code.size} bytes`]);
    for (const [k, v] of Object.entries(r.ou)) summary.push([`OU ${k}`, Array.isArray(v) ? v.join(' ') : String(v)]);
    r.certs.forEach((c, i) =>
      summary.push([`cert ${i}`, `${c.subject} (${c.keyBits ?? '?'} bits) sha256 ${c.sha256}`]),
    );
    summary.push(['rootHash', r.rootHash ?? '(none)']);
    if (r.knownRoot) summary.push(['known root', r.knownRoot.label]);
    for (const f of r.findings) summary.push([`${f.severity} ${f.code}`, f.message]);
    if (r.cLines) summary.push(['fs_signed_img_param.c', r.cLines]);
    return { type: 'fsg', summary, details: toDisplayJson(r) };
  };
}

const hexBytes = (b: Uint8Array, max: number): string =>
  `${Array.from(b.subarray(0, max), (x) => x.toString(16).padStart(2, '0')).join(' ')}${b.length > max ? ' …' : ''}`;

/** Loads the packages' pure entries and returns the decoders they make available. */
export async function loadDecoders(): Promise<{
  types: InspectorType[];
  decode(bytes: Uint8Array, name: string): InspectorResult;
}> {
  const [efs, fsg, mbn, lid] = (await Promise.all([
    import('@nv/qcom-efs'),
    import('@nv/qcom-fsg-sign'),
    import('@nv/qcom-mbn'),
    import('@nv/mtk-lid-file'),
  ])) as Module[];
  const decoders: Partial<Record<InspectorType['id'], Decoder>> = {
    qcn: qcnDecoder(efs!),
    fsg: fsgDecoder(fsg!),
    mbn: mbnDecoder(mbn!),
    lid: lidDecoder(lid!),
  };
  const order: InspectorType['id'][] = ['qcn', 'mbn', 'fsg', 'lid'];
  const types = order.filter((id) => decoders[id]).map((id) => TYPES[id]);
  return {
    types,
    decode(bytes, name) {
      const type = types.find((t) => t.sniff(bytes, name));
      const decoder = type ? decoders[type.id] : undefined;
      if (!type || !decoder) throw new Error('no decoder for this file');
      return decoder(bytes, name);
    },
  };
}
