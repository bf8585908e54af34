/** Helpers shared by the XML-side tests (documents, items as rows, error codes). */
import { nvErrorCode } from '../../../scripts/test-tools.ts';
import { bytesToHex } from '@nv/core/bytes';
import { buildItems } from '../src/items.ts';
import { parseMcfgXml } from '../src/xml.ts';
import type { FileResolver, McfgFinding } from '../src/model.ts';
import { encodeMember } from '../src/member.ts';

export const hex = (b: Uint8Array): string => bytesToHex(b);
export const member = (type: string, value: string, sizeOf?: number, dialect: 1 | 2 = 1): string =>
  hex(encodeMember({ type, value, ...(sizeOf === undefined ? {} : { sizeOf }) }, dialect).bytes);
/** The `NvError` code a call throws (the repository's one helper). */
export const code: (fn: () => unknown) => string = nvErrorCode;
export const doc = (body: string, root = '<NvData>'): string =>
  `${root}<NvConfigurationData carrierIndex="0" version="0x0501050D" type="1"/>${body}<NvTrlRecord><Member sizeOf="5" type="uint8">0 2 0 0 1</Member></NvTrlRecord></NvData>`;
export const D2 = '<NvData McfgXmlVersion="2.0">';
export const items = (xml: string, resolver?: FileResolver, warnings: McfgFinding[] = []): string[][] =>
  buildItems(parseMcfgXml(xml), resolver, { onWarning: (f) => warnings.push(f) }).map((i) => [
    i.kind,
    String(i.type),
    i.attrib.toString(16),
    String(i.nvId ?? i.path),
    hex(i.data),
  ]);
export const files = (
  map: Record<string, Uint8Array>,
  dirs: Record<string, { files: string[]; dirs: string[] }> = {},
): FileResolver => ({
  readFile: (p) => map[p],
  listDir: (p) => dirs[p],
});
