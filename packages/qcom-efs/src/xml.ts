/**
 * Lossless XML loading for NvSource/NvDefinition (docs/formats/qcn.md#nvsource) with `xi:include` expansion through a
 * resolver callback (the Node entry supplies the file-system one). fast-xml-parser is set up as docs/formats/index.md#libraries demands.
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NvError } from '@nv/core';

/** An element after expansion: name (with prefix), attributes, element children, text, and the file it came from. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  readonly text: string;
  /** File the element was read from (for messages). */
  readonly file: string;
}

/**
 * Reads files for includes. `read` returns the text of an exact path or `undefined`; `list` the names in a folder
 * (for the case-insensitive match, docs/formats/qcn.md#nvsource (3)) or `undefined` when it does not exist.
 */
export interface XmlResolver {
  read(path: string): string | undefined;
  list(dir: string): readonly string[] | undefined;
}

/** The XInclude namespace (docs/formats/qcn.md#nvsource (2)). */
export const XINCLUDE_NS = 'http://www.w3.org/2001/XInclude';
/** Largest XML file read (16 MiB). */
export const MAX_XML_BYTES: number = 16 * 1024 * 1024;
const MAX_INCLUDE_DEPTH = 16;

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  preserveOrder: true,
  trimValues: false,
  commentPropName: '#comment',
});

type RawNode = Record<string, unknown>;

function convert(node: RawNode, file: string, ns: ReadonlyMap<string, string>): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined || name === '#text' || name === '#comment' || name.startsWith('?')) return undefined;
  const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
  const attrs: Record<string, string> = {};
  const scope = new Map(ns);
  for (const [k, v] of Object.entries(rawAttrs)) {
    const a = k.slice(2);
    attrs[a] = String(v);
    if (a.startsWith('xmlns:')) scope.set(a.slice(6), String(v));
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const c of (node[name] ?? []) as RawNode[]) {
    if ('#text' in c) text += String(c['#text']);
    const e = convert(c, file, scope);
    if (e !== undefined) children.push(scope.size > 0 && isInclude(e.name, scope) ? { ...e, name: 'xi:include' } : e);
  }
  return { name, attrs, children, text, file };
}

function isInclude(name: string, ns: ReadonlyMap<string, string>): boolean {
  const i = name.indexOf(':');
  if (i < 0) return false;
  const prefix = name.slice(0, i);
  if (name.slice(i + 1) !== 'include') return false;
  const uri = ns.get(prefix);
  // A master file may use xi:include without declaring xmlns:xi (docs/formats/qcn.md#test-vectors fixture): accept the conventional prefix.
  return uri === XINCLUDE_NS || (uri === undefined && prefix === 'xi');
}

/**
 * Parses one XML document (BOM and a missing `<?xml?>` allowed) into its root element.
 * @throws NvError `NV_EFS_XML_MALFORMED` (with line and column)
 * @example parseXml('<NvSource/>', 'master.xml').name // 'NvSource'
 */
export function parseXml(text: string, file: string): XmlElement {
  if (text.length > MAX_XML_BYTES)
    throw new NvError('NV_LIMIT', `${file} is over ${MAX_XML_BYTES} characters`, { path: file });
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const valid = XMLValidator.validate(clean);
  if (valid !== true) {
    throw new NvError('NV_EFS_XML_MALFORMED', `${file}:${valid.err.line}:${valid.err.col}: ${valid.err.msg}`, {
      path: file,
      data: { line: valid.err.line, column: valid.err.col },
    });
  }
  let raw: RawNode[];
  try {
    raw = parser.parse(clean) as RawNode[];
  } catch (cause) {
    throw new NvError('NV_EFS_XML_MALFORMED', `${file}: ${(cause as Error).message}`, { path: file, cause });
  }
  const roots = raw.map((n) => convert(n, file, new Map())).filter((e): e is XmlElement => e !== undefined);
  if (roots.length !== 1)
    throw new NvError('NV_EFS_XML_MALFORMED', `${file}: expected one root element, found ${roots.length}`, {
      path: file,
    });
  const root = roots[0] as XmlElement;
  return {
    ...root,
    children: root.children.map((c) => (isInclude(c.name, new Map()) ? { ...c, name: 'xi:include' } : c)),
  };
}

/**
 * Joins and normalises a `/` path (`\` = `/`, inferred), relative to the including file.
 * @example joinPath('nv/master.xml', 'bands\\b1.xml') // 'nv/bands/b1.xml'
 */
export function joinPath(base: string, rel: string): string {
  const r = rel.replace(/\\/g, '/');
  const parts = (r.startsWith('/') ? r : `${base.replace(/\\/g, '/').replace(/[^/]*$/, '')}${r}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else if (p !== '.' && !(p === '' && out.length > 0)) out.push(p);
  }
  return out.join('/') || '.';
}

/**
 * Finds a file: exact path first, then a case-insensitive match per component (docs/formats/qcn.md#nvsource (3)).
 * @throws NvError `NV_EFS_XML_INCLUDE_NOT_FOUND`, `NV_EFS_XML_INCLUDE_AMBIGUOUS`
 * @example resolveCaseInsensitive(resolver, 'Bands/BAND_A.xml', 'master.xml').path // 'bands/band_a.xml'
 */
export function resolveCaseInsensitive(
  resolver: XmlResolver,
  path: string,
  from: string,
): { path: string; text: string } {
  const exact = resolver.read(path);
  if (exact !== undefined) return { path, text: exact };
  const parts = path.split('/');
  let at = parts[0] === '' ? '/' : '.';
  let built = parts[0] === '' ? '' : '.';
  for (const [i, part] of parts.entries()) {
    if (i === 0 && part === '') continue;
    if (part === '.' || (i === 0 && part === '.')) continue;
    const names = resolver.list(at) ?? [];
    let pick: string | undefined = names.includes(part) ? part : undefined;
    if (pick === undefined) {
      const matches = names.filter((n) => n.toLowerCase() === part.toLowerCase());
      if (matches.length > 1)
        throw new NvError(
          'NV_EFS_XML_INCLUDE_AMBIGUOUS',
          `${from}: include ${path} matches several files that differ only in case: ${matches.join(', ')}`,
          { path: from },
        );
      pick = matches[0];
    }
    if (pick === undefined)
      throw new NvError(
        'NV_EFS_XML_INCLUDE_NOT_FOUND',
        `${from}: included file ${path} does not exist (not even in another letter case)`,
        { path: from, data: { include: path } },
      );
    built = built === '' ? `/${pick}` : `${built}/${pick}`;
    at = built;
  }
  const text = resolver.read(built);
  if (text === undefined)
    throw new NvError('NV_EFS_XML_INCLUDE_NOT_FOUND', `${from}: included file ${path} cannot be read`, { path: from });
  return { path: built, text };
}

/**
 * Loads an XML file and splices every `xi:include href="file#xpointer(/NvSource/*)"` (the included root's element
 * children, nesting ≤ 16, cycles refused) (docs/formats/qcn.md#nvsource).
 * @throws NvError `NV_EFS_XML_MALFORMED`, `NV_EFS_XML_INCLUDE_NOT_FOUND`, `NV_EFS_XML_INCLUDE_AMBIGUOUS`, `NV_EFS_XML_INCLUDE_CYCLE`, `NV_EFS_XML_XPOINTER_UNSUPPORTED`
 * @example loadXml('master.xml', resolver).children.length
 */
export function loadXml(path: string, resolver: XmlResolver, text?: string): XmlElement {
  const body = text ?? resolver.read(path);
  if (body === undefined) throw new NvError('NV_NOT_FOUND', `${path} does not exist`, { path });
  return expand(parseXml(body, path), resolver, [path]);
}

function expand(root: XmlElement, resolver: XmlResolver, stack: readonly string[]): XmlElement {
  const out: XmlElement[] = [];
  for (const c of root.children) {
    if (c.name !== 'xi:include') {
      out.push(c);
      continue;
    }
    const href = c.attrs['href'];
    if (href === undefined)
      throw new NvError('NV_EFS_XML_XPOINTER_UNSUPPORTED', `${c.file}: xi:include without href`, { path: c.file });
    const hash = href.indexOf('#');
    const fragment = hash < 0 ? undefined : href.slice(hash + 1).replace(/\s+/g, '');
    if (fragment !== 'xpointer(/NvSource/*)') {
      throw new NvError(
        'NV_EFS_XML_XPOINTER_UNSUPPORTED',
        `${c.file}: include ${href}: only the fragment #xpointer(/NvSource/*) is supported`,
        { path: c.file },
      );
    }
    const target = resolveCaseInsensitive(resolver, joinPath(c.file, href.slice(0, hash)), c.file);
    if (stack.includes(target.path)) {
      throw new NvError('NV_EFS_XML_INCLUDE_CYCLE', `include loop: ${[...stack, target.path].join(' → ')}`, {
        path: c.file,
        data: { chain: [...stack, target.path] },
      });
    }
    if (stack.length >= MAX_INCLUDE_DEPTH)
      throw new NvError('NV_LIMIT', `${c.file}: includes nested deeper than ${MAX_INCLUDE_DEPTH}`, { path: c.file });
    const sub = expand(parseXml(target.text, target.path), resolver, [...stack, target.path]);
    for (const x of sub.children) out.push(x); // not push(...children): 10⁵ included elements overflow the stack
  }
  return { ...root, children: out };
}
