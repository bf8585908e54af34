/**
 * Data model of MCFG files: the binary view ({@link McfgFile}) and the XML view ({@link McfgXmlDocument}).
 * Spec: docs/formats/mcfg.md#xml (XML), docs/formats/mcfg.md#layout (bytes).
 * @module
 */

/** Attribute bits of an item (docs/formats/mcfg.md#attributes). */
export const MCFG_ATTR = {
  /** C: carries a value to write. */
  C: 0x01,
  /** M: muxed per carrier index. */
  M: 0x02,
  /** W: write-once. */
  W: 0x04,
  /** R: processed in restore-factory mode. */
  R: 0x08,
  /** S: payload starts with a subscription mask. */
  S: 0x10,
  /** I: one index byte after the mask. */
  I: 0x20,
  /** D: delete. */
  D: 0x40,
  /** U: write only if different. */
  U: 0x80,
} as const;

/** Version-record id (docs/formats/mcfg.md#mcfg-header). */
export const VERSION_RECORD_ID = 4995;
/** Highest NV id an NV item may carry (docs/formats/mcfg.md#xml). */
export const MAX_NV_ID = 7232;

/** One item of the MCFG segment, decoded as far as its type allows (docs/formats/mcfg.md#item-prefix…#efs-body). */
export interface McfgItem {
  /** `nv` (types 0, 1, 3 with a consistent body), `efs` (2, 4, 5, 6), `opaque` (anything else, body kept raw). */
  readonly kind: 'nv' | 'efs' | 'opaque';
  /** Item type byte (= `mcfgVariant`). */
  readonly type: number;
  /** Attribute byte (docs/formats/mcfg.md#attributes). */
  readonly attrib: number;
  /** `sp_ops` byte, normally 0 (preserved). */
  readonly spOps: number;
  /** Spare byte, normally 0 (preserved). */
  readonly spare: number;
  /** NV id (`nv`). */
  readonly nvId?: number;
  /** EFS path without NUL (`efs`). */
  readonly path?: string;
  /** Payload: NV/EFS data including mask and index bytes; for `opaque`, the whole body after the 8-byte prefix. */
  readonly data: Uint8Array;
  /** Absolute offset of the item in the file (parse only). */
  readonly offset?: number;
}

/** Result of checking one signature of a signed hash segment (see {@link SignatureVerifier}). */
export interface SignatureVerdict {
  /** `oem` (the signature a device with modem auth checks) or `qti` (v5+ Qualcomm signature). */
  readonly signer: 'oem' | 'qti';
  /**
   * `valid`: the attestation key of the chain signed this header + metadata + digest table. `invalid`: it did not
   * (the table changed since signing: stale). `unknown`: no usable certificate or an unknown scheme.
   */
  readonly status: 'valid' | 'invalid' | 'unknown';
  readonly detail: string;
}

/** Where the MCFG segment sat and how it was wrapped. */
export interface McfgContainer {
  /** `elf` (canonical docs/formats/mcfg.md#layout or not) or `bare` (segment without wrapper). */
  readonly kind: 'elf' | 'bare';
  /** True when the wrapper is exactly the docs/formats/mcfg.md#layout layout that {@link buildMbn} writes by default. */
  readonly canonical: boolean;
  /** Hash-segment version (3, 5, 6, 7), if any. */
  readonly hashVersion?: number;
  /** File offset of the MCFG data segment. */
  readonly dataOffset: number;
  /** Bytes before the data segment (needed to rebuild a non-canonical container). */
  readonly prefix?: Uint8Array;
  /** Bytes after the data segment (kept, reported as `NV_MBN_TRAILING_BYTES`). */
  readonly suffix?: Uint8Array;
  /** True when the hash segment carries a signature. */
  readonly signed?: boolean;
  /** Signature checks, when parsed with a signature verifier (`./node` `NODE_HASH_OPTIONS`). */
  readonly signatures?: readonly SignatureVerdict[];
}

/** One problem found while parsing or linting. */
export interface McfgFinding {
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  readonly message: string;
  readonly offset?: number;
  /** Item key (`nv:<id>`, `efs:<path>`, `trailer`, `tlv:<id>` …). */
  readonly path?: string;
}

/** A parsed MCFG MBN (docs/formats/mcfg.md#parse). */
export interface McfgFile {
  readonly format: number;
  /** 0 HW, 1 SW. */
  readonly configType: number;
  readonly itemCount: number;
  readonly carrierIndex: number;
  readonly spareCrc: number;
  /** Header version word (docs/formats/mcfg.md#version). */
  readonly version: number;
  readonly items: readonly McfgItem[];
  /** Trailer TLV bytes as stored (after `MCFG_TRL`). */
  readonly trailerTlvs: Uint8Array;
  /** Pad bytes before the back-pointer (1…4 zero bytes in a canonical file). */
  readonly trailerPad: Uint8Array;
  readonly container: McfgContainer;
  /** Non-fatal problems seen while parsing (hash mismatches, odd items …). */
  readonly findings: readonly McfgFinding[];
  /** Size of the MCFG segment. */
  readonly segmentSize: number;
}

/** A `Member` element (docs/formats/mcfg.md#values): its type, element count and value text as written. */
export interface McfgXmlMember {
  /** `uint8`, `int16`, `uint216`, `string` … */
  readonly type: string;
  /** Element count; absent means "the number of values". */
  readonly sizeOf?: number;
  /** Value text, whitespace-separated numbers or a string. */
  readonly value: string;
  /** `name` attribute (ignored by the generator, kept for people). */
  readonly name?: string;
}

/** Attributes shared by item elements. */
export interface McfgXmlItemCommon {
  /** `mcfgAttributes` (hex, low 8 bits); absent ⇒ 0. */
  readonly attributes?: number;
  /** `mcfgVariant`; absent ⇒ vendor default (0 for NV, 2 for EFS). */
  readonly variant?: number;
  /** `subscription_mask` (dialect 2). */
  readonly subscriptionMask?: number;
  readonly members: readonly McfgXmlMember[];
}

/** One item element of the XML, in document order (docs/formats/mcfg.md#xml). */
export type McfgXmlElement =
  | ({ readonly kind: 'NvItemData'; readonly id: number } & McfgXmlItemCommon)
  | ({ readonly kind: 'NvEfsItemData'; readonly path: string } & McfgXmlItemCommon)
  | ({ readonly kind: 'NvEfsFile'; readonly targetPath: string; readonly buildPath: string } & McfgXmlItemCommon)
  | ({ readonly kind: 'NvEfsDir'; readonly targetPath: string; readonly buildPath: string } & McfgXmlItemCommon)
  | { readonly kind: 'GroupFile'; readonly buildPath: string; readonly version: string; readonly attributes?: number }
  | {
      readonly kind: 'NvPrlFile';
      readonly buildPath: string;
      readonly attributes?: number;
      readonly prlVersion?: string;
    }
  | {
      readonly kind: 'RawItem';
      readonly type: number;
      readonly attrib: number;
      readonly spOps: number;
      readonly spare: number;
      readonly body: Uint8Array;
    };

/** An MCFG XML document (docs/formats/mcfg.md#xml). */
export interface McfgXmlDocument {
  /** 1 (JO, format 3) or 2 (`McfgXmlVersion="2.0"`, format 4). */
  readonly dialect: 1 | 2;
  /** `McfgXmlVersion` text as written, if any. */
  readonly xmlVersion?: string;
  /** `nv:format`: header format when it is not the dialect default. */
  readonly format?: number;
  readonly config: { readonly carrierIndex: number; readonly version: number; readonly type: number };
  readonly elements: readonly McfgXmlElement[];
  /** `NvTrlRecord` members = raw TLV bytes. */
  readonly trailer: readonly McfgXmlMember[];
  /** `nv:spareCrc`. */
  readonly spareCrc?: number;
  /** `nv:trailerPad`: pad bytes when not the canonical 1…4 zeros. */
  readonly trailerPad?: Uint8Array;
  /** `nv:container`: sidecar name of the bytes before the data segment, or `bare`. */
  readonly container?: string;
  /** `nv:suffix`: sidecar name of bytes after the data segment. */
  readonly suffix?: string;
  /** True when the document uses `nv:` extensions. */
  readonly usesExtensions?: boolean;
}

/**
 * Reads the files an XML names by `buildPath` (`NvEfsFile`, `NvEfsDir`, `GroupFile`, `NvPrlFile`, sidecars).
 * `./node` provides one relative to the XML file.
 */
export interface FileResolver {
  /** Bytes of a file; throw or return undefined when missing. */
  readFile(path: string): Uint8Array | undefined;
  /** Entries of a folder (names only, no `.`/`..`); needed only for `NvEfsDir`. */
  listDir?(path: string): { files: string[]; dirs: string[] } | undefined;
}

/** A resolver that has no files (inline-only XML). */
export const NO_FILES: FileResolver = Object.freeze({ readFile: () => undefined });
