/**
 * XQCN: the QCN compound-file tree as XML (docs/formats/qcn.md#stores): nested `<Storage Name>`, `<Stream Name Length
 * Value="HH HH …">`. Real files vary attribute order and quotes, omit `Length` and print bytes unseparated, so
 * `Value` is read by deleting whitespace and taking hex pairs.
 * @module
 */
import { NvError } from '@nv/core';
import type { CfbEntry } from './cfb.ts';
import { qcnFromEntries, qcnToEntries, type Qcn, type QcnWriteOptions } from './qcn.ts';
import type { EfsWarning } from './tree.ts';
import { parseXml, type XmlElement } from './xml.ts';

/**
 * Reads an XQCN document into a QCN model. Any root element is accepted; its `Storage`/`Stream` children are the
 * compound file's root (decision: the root's own name is not part of stream paths).
 * @throws NvError `NV_EFS_XML_MALFORMED`, `NV_EFS_BAD_XQCN_VALUE`, and the QCN model codes of `decodeQcn`
 * @example const { qcn } = decodeXqcn(text, 'backup.xqcn');
 */
export function decodeXqcn(text: string, file = 'input.xqcn'): { qcn: Qcn; warnings: EfsWarning[] } {
  const root = parseXml(text, file);
  const entries: CfbEntry[] = [];
  const warnings: EfsWarning[] = [];
  const walk = (e: XmlElement, prefix: string, depth: number): void => {
    if (depth > 32) throw new NvError('NV_LIMIT', `${file}: storages nested deeper than 32`, { path: file });
    for (const c of e.children) {
      const name = c.attrs['Name'] ?? c.attrs['name'];
      if (name === undefined) continue;
      const path = prefix === '' ? name : `${prefix}/${name}`;
      if (/^storage$/i.test(c.name)) {
        entries.push({ path, type: 'storage' });
        walk(c, path, depth + 1);
      } else if (/^stream$/i.test(c.name)) {
        const raw = (c.attrs['Value'] ?? c.attrs['value'] ?? '').replace(/\s+/g, '');
        if (raw.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(raw))
          throw new NvError(
            'NV_EFS_BAD_XQCN_VALUE',
            `${file}: stream ${path}: Value has an odd count or non-hex digits`,
            { path: file, data: { stream: path } },
          );
        const data = new Uint8Array(raw.length / 2);
        for (let i = 0; i < data.length; i++) data[i] = parseInt(raw.slice(2 * i, 2 * i + 2), 16);
        const len = c.attrs['Length'] ?? c.attrs['length'];
        if (len !== undefined && Number(len) !== data.length)
          warnings.push({
            code: 'NV_EFS_BAD_XQCN_VALUE',
            message: `${path}: Length ${len} but Value holds ${data.length} bytes; the bytes win`,
            path,
          });
        entries.push({ path, type: 'stream', data });
      }
    }
  };
  walk(root, '', 0);
  return qcnFromEntries(entries, warnings);
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/**
 * Writes a QCN model as XQCN text (root `<QCN>`, storages and streams in the same order as the QCN writer,
 * `Value` as space-separated uppercase hex pairs, `Length` given).
 * @example encodeXqcn({ model: 0, items: [], efs: [], extra: [] }).startsWith('<?xml')
 */
export function encodeXqcn(qcn: Qcn, options: QcnWriteOptions = {}): string {
  interface Node {
    name: string;
    children: Node[];
    data?: Uint8Array;
  }
  const root: Node = { name: '', children: [] };
  for (const e of qcnToEntries(qcn, options)) {
    let at = root;
    const parts = e.path.split('/');
    parts.forEach((name, i) => {
      let n = at.children.find((c) => c.name === name);
      if (n === undefined) {
        n = { name, children: [] };
        at.children.push(n);
      }
      if (i === parts.length - 1 && e.type === 'stream') n.data = e.data ?? new Uint8Array(0);
      at = n;
    });
  }
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<QCN>'];
  const emit = (n: Node, indent: string): void => {
    if (n.data !== undefined) {
      const hex = Array.from(n.data, (b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
      lines.push(`${indent}<Stream Name="${esc(n.name)}" Length="${n.data.length}" Value="${hex}" />`);
      return;
    }
    lines.push(`${indent}<Storage Name="${esc(n.name)}">`);
    for (const c of n.children) emit(c, `${indent}  `);
    lines.push(`${indent}</Storage>`);
  };
  for (const c of root.children) emit(c, '  ');
  lines.push('</QCN>', '');
  return lines.join('\n');
}
