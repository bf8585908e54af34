/**
 * MCFG XML dialect (docs/formats/mcfg.md#xml): lossless parse with fast-xml-parser (docs/formats/index.md#libraries options) into
 * {@link McfgXmlDocument}, and a canonical writer (docs/formats/mcfg.md#to-xml: tab indent, `0x` upper-case hex attributes).
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NvError } from '@nv/core';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import type { McfgXmlDocument, McfgXmlElement, McfgXmlMember } from './model.ts';

/** Largest XML text accepted (an MCFG XML is at most a few MiB). */
export const MAX_XML_CHARS: number = 64 * 1024 * 1024;
/** Namespace of our `nv:` extension attributes and elements (docs/formats/mcfg.md#to-xml). */
export const NV_XML_NAMESPACE: string = 'urn:nv:mcfg:1';

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Options of {@link parseMcfgXml}. */
export interface ParseMcfgXmlOptions {
  /** Force a dialect instead of reading `McfgXmlVersion`. */
  readonly dialect?: 1 | 2;
  /** Document name used in errors. */
  readonly path?: string;
  /** A `GroupFile` fragment: `NvTrlRecord` is optional. */
  readonly fragment?: boolean;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  preserveOrder: true,
  trimValues: false,
  commentPropName: '#comment',
});

function tagOf(node: Node): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

function attrs(node: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(node[':@'] ?? {})) out[k.slice(2)] = v;
  return out;
}

function childrenOf(node: Node, tag: string): Node[] {
  const c = node[tag];
  return Array.isArray(c) ? (c as Node[]) : [];
}

function textOf(node: Node, tag: string): string {
  return childrenOf(node, tag)
    .map((c) => (typeof c['#text'] === 'string' ? c['#text'] : ''))
    .join('');
}

function decimal(value: string | undefined, what: string, path: string, required: true): number;
function decimal(value: string | undefined, what: string, path: string, required?: false): number | undefined;
function decimal(value: string | undefined, what: string, path: string, required = false): number | undefined {
  if (value === undefined) {
    if (required) throw new NvError('NV_MBN_XML_ATTR', `${path}: attribute ${what} is required`, { path });
    return undefined;
  }
  // docs/formats/mcfg.md#values: decimal only; the vendor reads "0x47" as 0, we refuse it.
  if (!/^\s*\d+\s*$/.test(value) || value.trim().length > 10) {
    throw new NvError(
      'NV_MBN_XML_ATTR',
      `${path}: ${what}="${value}" must be a decimal number (this field is never hex)`,
      { path },
    );
  }
  return Number(value.trim());
}

function hexAttr(value: string | undefined, what: string, path: string): number | undefined {
  if (value === undefined) return undefined;
  // docs/formats/mcfg.md#values: always hex, 0x optional ("19" = 0x19), low 8 bits.
  const m = /^\s*(?:0[xX])?([0-9a-fA-F]{1,8})\s*$/.exec(value);
  if (!m)
    throw new NvError('NV_MBN_XML_ATTR', `${path}: ${what}="${value}" must be hexadecimal (0x optional)`, { path });
  return Number.parseInt(m[1]!, 16) & 0xff;
}

function parseMember(node: Node, path: string): McfgXmlMember {
  const a = attrs(node);
  const sizeOf = decimal(a['sizeOf'], 'sizeOf', path);
  const type = a['type'];
  if (type === undefined) throw new NvError('NV_MBN_XML_ATTR', `${path}: Member needs a type (e.g. uint8)`, { path });
  const value = textOf(node, 'Member');
  return {
    type,
    value,
    ...(sizeOf === undefined ? {} : { sizeOf }),
    ...(a['name'] === undefined ? {} : { name: a['name'] }),
  };
}

function parseMembers(node: Node, tag: string, path: string): McfgXmlMember[] {
  const out: McfgXmlMember[] = [];
  for (const child of childrenOf(node, tag)) {
    const t = tagOf(child);
    if (t === undefined || t === '#text' || t === '#comment') continue;
    if (t !== 'Member')
      throw new NvError('NV_MBN_XML_UNKNOWN_ELEMENT', `${path}: <${t}> is not allowed here (only <Member>)`, { path });
    out.push(parseMember(child, `${path}/Member[${out.length}]`));
  }
  return out;
}

/**
 * Parses MCFG XML (docs/formats/mcfg.md#xml) without losing any value text (fast-xml-parser with the docs/formats/index.md#libraries lossless options).
 *
 * @example
 * const doc = parseMcfgXml('<NvData><NvConfigurationData type="1" version="0x0501050D" carrierIndex="0"/><NvTrlRecord/></NvData>');
 * @throws NvError `NV_MBN_XML_SYNTAX`, `NV_MBN_XML_ROOT`, `NV_MBN_XML_CONFIG`, `NV_MBN_XML_UNKNOWN_ELEMENT`,
 *   `NV_MBN_XML_ATTR`, `NV_MBN_XML_DIALECT`, `NV_MBN_XML_TRAILER_COUNT`, `NV_LIMIT`
 */
export function parseMcfgXml(text: string, options: ParseMcfgXmlOptions = {}): McfgXmlDocument {
  if (typeof text !== 'string') throw new TypeError('parseMcfgXml expects a string');
  const docPath = options.path ?? 'NvData';
  if (text.length > MAX_XML_CHARS)
    throw new NvError('NV_LIMIT', `XML is ${text.length} characters, over ${MAX_XML_CHARS}`, { path: options.path });
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(text);
  } catch (cause) {
    // e.g. a stack overflow on absurd nesting: still a malformed document, not a crash.
    throw new NvError('NV_MBN_XML_SYNTAX', `XML could not be validated: ${(cause as Error).message}`, {
      path: options.path,
      cause,
    });
  }
  if (valid !== true) {
    throw new NvError(
      'NV_MBN_XML_SYNTAX',
      `XML is malformed at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
      {
        path: options.path,
        data: { line: valid.err.line, col: valid.err.col },
      },
    );
  }
  let tree: Node[];
  try {
    tree = parser.parse(text) as Node[];
  } catch (cause) {
    throw new NvError('NV_MBN_XML_SYNTAX', `XML could not be parsed: ${(cause as Error).message}`, {
      path: options.path,
      cause,
    });
  }
  const roots = tree.filter((n) => {
    const t = tagOf(n);
    return t !== undefined && t !== '#text' && t !== '#comment' && !t.startsWith('?');
  });
  const root = roots[0];
  if (roots.length !== 1 || root === undefined || tagOf(root) !== 'NvData') {
    throw new NvError(
      'NV_MBN_XML_ROOT',
      `the root element must be <NvData>, found ${roots.map((r) => `<${tagOf(r)}>`).join(', ') || 'none'}`,
      { path: options.path },
    );
  }
  const ra = attrs(root);
  const xmlVersion = ra['McfgXmlVersion'];
  const dialect: 1 | 2 = options.dialect ?? (xmlVersion !== undefined && xmlVersion.trim().startsWith('2') ? 2 : 1);
  let usesExtensions = false;
  const format = decimal(ra['nv:format'], 'nv:format', docPath);
  const spareCrc = decimal(ra['nv:spareCrc'], 'nv:spareCrc', docPath);
  let trailerPad: Uint8Array | undefined;
  if (ra['nv:trailerPad'] !== undefined) {
    try {
      trailerPad = hexToBytes(ra['nv:trailerPad'], 'nv:trailerPad');
    } catch (cause) {
      throw new NvError('NV_MBN_XML_ATTR', `nv:trailerPad must be hex bytes`, { path: docPath, cause });
    }
  }
  for (const k of Object.keys(ra)) if (k.startsWith('nv:')) usesExtensions = true;

  let config: McfgXmlDocument['config'] | undefined;
  let trailer: McfgXmlMember[] | undefined;
  let trailerCount = 0;
  const elements: McfgXmlElement[] = [];
  let index = 0;
  for (const node of childrenOf(root, 'NvData')) {
    const tag = tagOf(node);
    if (tag === undefined || tag === '#comment') continue;
    if (tag === '#text') {
      if (String(node['#text']).trim() !== '')
        throw new NvError(
          'NV_MBN_XML_UNKNOWN_ELEMENT',
          `text "${String(node['#text']).trim().slice(0, 40)}" directly inside <NvData>`,
          { path: docPath },
        );
      continue;
    }
    const a = attrs(node);
    const path = `${docPath}/${tag}[${index++}]`;
    const common = (): { attributes?: number; variant?: number; subscriptionMask?: number } => {
      const attributes = hexAttr(a['mcfgAttributes'], 'mcfgAttributes', path);
      const variant = decimal(a['mcfgVariant'], 'mcfgVariant', path);
      const subscriptionMask = hexAttr(a['subscription_mask'], 'subscription_mask', path);
      if (subscriptionMask !== undefined && dialect === 1) {
        throw new NvError(
          'NV_MBN_XML_DIALECT',
          `${path}: subscription_mask is a dialect-2 attribute; in dialect 1 the mask is the first Member (or set McfgXmlVersion="2.0")`,
          { path },
        );
      }
      return {
        ...(attributes === undefined ? {} : { attributes }),
        ...(variant === undefined ? {} : { variant }),
        ...(subscriptionMask === undefined ? {} : { subscriptionMask }),
      };
    };
    const required = (name: string): string => {
      const v = a[name];
      if (v === undefined) throw new NvError('NV_MBN_XML_ATTR', `${path}: attribute ${name} is required`, { path });
      return v;
    };
    switch (tag) {
      case 'NvConfigurationData': {
        if (config !== undefined)
          throw new NvError('NV_MBN_XML_CONFIG', `NvConfigurationData appears more than once`, { path });
        const v = a['version'];
        const m = v === undefined ? null : /^\s*(?:0[xX])?([0-9a-fA-F]{1,8})\s*$/.exec(v);
        if (!m)
          throw new NvError('NV_MBN_XML_CONFIG', `${path}: version="${v ?? ''}" must be a hex u32 such as 0x0501050D`, {
            path,
          });
        let type: number;
        let carrierIndex: number;
        try {
          type = decimal(a['type'], 'type', path, true);
          carrierIndex = decimal(a['carrierIndex'], 'carrierIndex', path) ?? 0;
        } catch (cause) {
          throw new NvError('NV_MBN_XML_CONFIG', (cause as Error).message, { path, cause });
        }
        if (carrierIndex > 0xffff || type > 0xffff)
          throw new NvError('NV_MBN_XML_CONFIG', `${path}: type and carrierIndex must fit in 16 bits`, { path });
        config = { carrierIndex, version: Number.parseInt(m[1]!, 16), type };
        break;
      }
      case 'NvItemData':
        elements.push({
          kind: 'NvItemData',
          id: decimal(a['id'], 'id', path, true),
          ...common(),
          members: parseMembers(node, tag, path),
        });
        break;
      case 'NvEfsItemData':
        elements.push({
          kind: 'NvEfsItemData',
          path: required('fullpathname'),
          ...common(),
          members: parseMembers(node, tag, path),
        });
        break;
      case 'NvEfsFile':
      case 'NvEfsDir':
        elements.push({
          kind: tag,
          targetPath: required('targetPath'),
          buildPath: a['buildPath'] ?? '',
          ...common(),
          members: parseMembers(node, tag, path),
        });
        break;
      case 'GroupFile': {
        const attributes = hexAttr(a['mcfgAttributes'], 'mcfgAttributes', path);
        elements.push({
          kind: 'GroupFile',
          buildPath: required('buildPath'),
          version: a['version'] ?? '',
          ...(attributes === undefined ? {} : { attributes }),
        });
        break;
      }
      case 'NvPrlFile': {
        const attributes = hexAttr(a['mcfgAttributes'], 'mcfgAttributes', path);
        elements.push({
          kind: 'NvPrlFile',
          buildPath: required('buildPath'),
          ...(attributes === undefined ? {} : { attributes }),
          ...(a['prlVersion'] === undefined ? {} : { prlVersion: a['prlVersion'] }),
        });
        break;
      }
      case 'NvTrlRecord':
        trailerCount++;
        trailer = parseMembers(node, tag, path);
        break;
      case 'nv:RawItem': {
        usesExtensions = true;
        const hex = textOf(node, tag).replace(/\s+/g, '');
        let body: Uint8Array;
        try {
          body = hexToBytes(hex, 'nv:RawItem');
        } catch (cause) {
          throw new NvError('NV_MBN_XML_ATTR', `${path}: nv:RawItem body must be hex bytes`, { path, cause });
        }
        const byte = (name: string, radixHex: boolean): number => {
          const v = radixHex ? hexAttr(a[name], name, path) : decimal(a[name], name, path);
          if (v === undefined || v > 0xff)
            throw new NvError('NV_MBN_XML_ATTR', `${path}: ${name} must be a byte`, { path });
          return v;
        };
        elements.push({
          kind: 'RawItem',
          type: byte('type', false),
          attrib: byte('attrib', true),
          spOps: byte('spOps', false),
          spare: byte('spare', false),
          body,
        });
        break;
      }
      default:
        throw new NvError('NV_MBN_XML_UNKNOWN_ELEMENT', `${path}: <${tag}> is not an MCFG element (§2.1)`, { path });
    }
  }
  if (config === undefined) throw new NvError('NV_MBN_XML_CONFIG', 'NvConfigurationData is missing', { path: docPath });
  if (options.fragment === true && trailerCount === 0) trailer = [];
  else if (trailerCount !== 1 || trailer === undefined) {
    throw new NvError('NV_MBN_XML_TRAILER_COUNT', `the XML must have exactly one NvTrlRecord, found ${trailerCount}`, {
      path: docPath,
    });
  }
  return {
    dialect,
    ...(xmlVersion === undefined ? {} : { xmlVersion }),
    ...(format === undefined ? {} : { format }),
    config,
    elements,
    trailer,
    ...(spareCrc === undefined ? {} : { spareCrc }),
    ...(trailerPad === undefined ? {} : { trailerPad }),
    ...(ra['nv:container'] === undefined ? {} : { container: ra['nv:container'] }),
    ...(ra['nv:suffix'] === undefined ? {} : { suffix: ra['nv:suffix'] }),
    ...(usesExtensions ? { usesExtensions } : {}),
  };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * `0x` + upper-case hex of `digits` digits (docs/formats/mcfg.md#to-xml canonical attributes).
 *
 * @example
 * hexUpper(0x19, 2); // '0x19'
 */
export function hexUpper(value: number, digits: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(digits, '0')}`;
}

function memberXml(m: McfgXmlMember, indent: string): string {
  const name = m.name === undefined ? '' : ` name="${esc(m.name)}"`;
  const size = m.sizeOf === undefined ? '' : ` sizeOf="${m.sizeOf}"`;
  const open = `${indent}<Member${name}${size} type="${esc(m.type)}"`;
  return m.value === '' ? `${open}/>` : `${open}>${esc(m.value)}</Member>`;
}

function itemAttrs(e: { attributes?: number; variant?: number; subscriptionMask?: number }): string {
  let s = '';
  if (e.attributes !== undefined) s += ` mcfgAttributes="${hexUpper(e.attributes, 2)}"`;
  if (e.variant !== undefined) s += ` mcfgVariant="${e.variant}"`;
  if (e.subscriptionMask !== undefined) s += ` subscription_mask="${hexUpper(e.subscriptionMask, 2)}"`;
  return s;
}

/** Comment text safe inside `<!-- -->`. */
function commentSafe(s: string): string {
  return s.replace(/--/g, '- -').replace(/-$/, '- ');
}

/**
 * Writes a document as canonical MCFG XML (docs/formats/mcfg.md#to-xml): tab indent, `0x` + upper hex for version and attributes,
 * `nv:` extensions only when the document needs them. `trailerComments[i]`, if given, is written before the
 * i-th trailer member (one comment per TLV).
 *
 * @example
 * const xml = writeMcfgXml(parseMcfgXml(text));
 */
export function writeMcfgXml(doc: McfgXmlDocument, trailerComments: ReadonlyMap<number, string> = new Map()): string {
  const ext =
    doc.format !== undefined ||
    doc.spareCrc !== undefined ||
    doc.trailerPad !== undefined ||
    doc.container !== undefined ||
    doc.suffix !== undefined ||
    doc.elements.some((e) => e.kind === 'RawItem');
  let rootAttrs = '';
  if (doc.dialect === 2) rootAttrs += ` McfgXmlVersion="${esc(doc.xmlVersion ?? '2.0')}"`;
  else if (doc.xmlVersion !== undefined) rootAttrs += ` McfgXmlVersion="${esc(doc.xmlVersion)}"`;
  if (ext) rootAttrs += ` xmlns:nv="${NV_XML_NAMESPACE}"`;
  if (doc.format !== undefined) rootAttrs += ` nv:format="${doc.format}"`;
  if (doc.spareCrc !== undefined) rootAttrs += ` nv:spareCrc="${doc.spareCrc}"`;
  if (doc.trailerPad !== undefined) rootAttrs += ` nv:trailerPad="${bytesToHex(doc.trailerPad)}"`;
  if (doc.container !== undefined) rootAttrs += ` nv:container="${esc(doc.container)}"`;
  if (doc.suffix !== undefined) rootAttrs += ` nv:suffix="${esc(doc.suffix)}"`;
  const out: string[] = ['<?xml version="1.0" encoding="utf-8"?>', `<NvData${rootAttrs}>`];
  const c = doc.config;
  out.push(
    `\t<NvConfigurationData carrierIndex="${c.carrierIndex}" version="${hexUpper(c.version, 8)}" type="${c.type}"/>`,
  );
  const withMembers = (open: string, tag: string, members: readonly McfgXmlMember[]): void => {
    if (members.length === 0) out.push(`\t${open}/>`);
    else {
      out.push(`\t${open}>`);
      for (const m of members) out.push(memberXml(m, '\t\t'));
      out.push(`\t</${tag}>`);
    }
  };
  for (const e of doc.elements) {
    switch (e.kind) {
      case 'NvItemData':
        withMembers(`<NvItemData id="${e.id}"${itemAttrs(e)}`, e.kind, e.members);
        break;
      case 'NvEfsItemData':
        withMembers(`<NvEfsItemData fullpathname="${esc(e.path)}"${itemAttrs(e)}`, e.kind, e.members);
        break;
      case 'NvEfsFile':
      case 'NvEfsDir':
        withMembers(
          `<${e.kind} targetPath="${esc(e.targetPath)}" buildPath="${esc(e.buildPath)}"${itemAttrs(e)}`,
          e.kind,
          e.members,
        );
        break;
      case 'GroupFile':
        out.push(
          `\t<GroupFile buildPath="${esc(e.buildPath)}" version="${esc(e.version)}"${e.attributes === undefined ? '' : ` mcfgAttributes="${hexUpper(e.attributes, 2)}"`}/>`,
        );
        break;
      case 'NvPrlFile':
        out.push(
          `\t<NvPrlFile buildPath="${esc(e.buildPath)}"${e.prlVersion === undefined ? '' : ` prlVersion="${esc(e.prlVersion)}"`}${e.attributes === undefined ? '' : ` mcfgAttributes="${hexUpper(e.attributes, 2)}"`}/>`,
        );
        break;
      case 'RawItem':
        out.push(
          `\t<nv:RawItem type="${e.type}" attrib="${hexUpper(e.attrib, 2)}" spOps="${e.spOps}" spare="${e.spare}">${bytesToHex(e.body)}</nv:RawItem>`,
        );
        break;
    }
  }
  if (doc.trailer.length === 0) out.push('\t<NvTrlRecord/>');
  else {
    out.push('\t<NvTrlRecord>');
    doc.trailer.forEach((m, i) => {
      const comment = trailerComments.get(i);
      if (comment !== undefined) out.push(`\t\t<!-- ${commentSafe(comment)} -->`);
      out.push(memberXml(m, '\t\t'));
    });
    out.push('\t</NvTrlRecord>');
  }
  out.push('</NvData>', '');
  return out.join('\n');
}
