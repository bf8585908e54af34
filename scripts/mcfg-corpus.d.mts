/** Types of scripts/mcfg-corpus.mjs (realistic MCFG XML and MBNs for benchmarks and tests). */
interface McfgModule<D = unknown> {
  sampleMcfgXml(options?: object): string;
  parseMcfgXml(text: string): D;
  buildMbn(doc: D): Uint8Array;
}
/** One realistic MCFG XML document; `index` picks the variant, `items` the item count (default 200–1 500). */
export function realisticMcfgXml(mbn: Pick<McfgModule, 'sampleMcfgXml'>, index: number, items?: number): string;
/** `variants` realistic MBNs built with the module's `buildMbn`. */
export function realisticMcfgMbns<D>(mbn: McfgModule<D>, variants: number, items?: number): Uint8Array[];
