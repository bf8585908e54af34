// Realistic MCFG XML for benchmarks (issue 17): seeded, varied documents like shipped carrier configurations —
// a few hundred to ~1 500 items, mostly small NV items (1–64 B, some with a subscription mask or an index), EFS
// items under /nv/item_files/ with 40–60-character paths and 1 B–2 KiB of data, dialect 1 (format 3) and dialect 2
// (format 4), with the trailer of `sampleMcfgXml`. Built into MBNs with the package's own `buildMbn`, so the bytes
// are what `nv qcom mbn build` writes. Plain JS so that scripts/bench-cli.mjs (built packages) and the package's
// vitest bench (sources) share it: pass the module (`@nv/qcom-mbn` or its dist) in.

/** Deterministic PRNG (LCG), so every run measures the same files. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return (n) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), (s >>> 8) % n);
}

const FORBIDDEN = new Set([69, 70, 91, 95, 146, 194, 453, 1877, 3515, 3632, 4257, 4548, 6828, 6838]);
const forbiddenNv = (id) =>
  FORBIDDEN.has(id) ||
  [
    [121, 140],
    [149, 159],
    [199, 208],
    [330, 370],
    [376, 397],
    [431, 439],
    [585, 706],
    [726, 812],
    [856, 874],
    [948, 1013],
    [1033, 1189],
    [1210, 1301],
    [1312, 1340],
    [1351, 1790],
    [1898, 1903],
    [2080, 2085],
    [3253, 3282],
    [3386, 3388],
  ].some(([a, b]) => id >= a && id <= b);
const FOLDERS = ['modem/mmode', 'modem/lte/rrc', 'modem/nas', 'ims', 'data/3gpp', 'modem/nr5g/rrc', 'wcdma/rrc', 'cne'];

/**
 * One realistic MCFG XML document; `index` picks the variant (carrier, version, dialect, item mix).
 * @param {{ sampleMcfgXml: (o: object) => string }} mbn the `@nv/qcom-mbn` module
 * @param {number} index variant
 * @param {number} [items] item count (default 200–1 500 by variant)
 */
export function realisticMcfgXml(mbn, index, items) {
  const rand = rng(0x9e3779b9 ^ (index * 7919));
  const format = index % 3 === 2 ? 4 : 3;
  const d2 = format === 4;
  const count = items ?? 200 + rand(1300);
  const skeleton = mbn.sampleMcfgXml({
    format,
    version: (d2 ? 0x0a010000 : 0x05010000) + ((index & 0xff) << 8) + (index % 97),
    name: `Carrier-${index}`,
    carrierIndex: 1 + (index % 40),
    plmns: Array.from({ length: 1 + (index % 8) }, (_, j) => ({ mcc: 200 + (index % 500), mnc: j })),
    iins: Array.from({ length: 1 + (index % 5) }, (_, j) => 8900000 + index * 10 + j),
  });
  const used = new Set([71, 848, 6873, 4398]);
  const out = [];
  const bytes = (n) => Array.from({ length: n }, () => (rand(3) === 0 ? rand(256) : rand(8))).join(' ');
  for (let k = 0; k < count; k++) {
    if (rand(100) < 70) {
      let id;
      do id = 1 + rand(7232);
      while (used.has(id) || forbiddenNv(id));
      used.add(id);
      const masked = rand(4) === 0;
      const attr = masked ? '0x19' : rand(10) === 0 ? '0x0D' : '0x09';
      const mask = masked ? (d2 ? ' subscription_mask="0x07"' : '') : '';
      const maskMember = masked && !d2 ? '<Member sizeOf="1" type="uint8">7</Member>' : '';
      const n = rand(5) === 0 ? 8 + rand(57) : 1 + rand(8);
      const value =
        rand(3) === 0
          ? `<Member sizeOf="1" type="uint32">${rand(1 << 30)}</Member>`
          : `<Member sizeOf="${n}" type="uint8">${bytes(n)}</Member>`;
      out.push(
        `\t<NvItemData id="${id}" mcfgAttributes="${attr}" mcfgVariant="1"${mask}>${maskMember}${value}</NvItemData>`,
      );
    } else {
      const path = `/nv/item_files/${FOLDERS[rand(FOLDERS.length)]}/item_${index}_${k}_${'x'.repeat(rand(20))}`;
      const n = rand(10) === 0 ? 256 + rand(1800) : 1 + rand(64);
      out.push(
        `\t<NvEfsItemData fullpathname="${path}" mcfgAttributes="0x09" mcfgVariant="2"><Member sizeOf="${n}" type="uint8">${bytes(n)}</Member></NvEfsItemData>`,
      );
    }
  }
  return skeleton.replace('\t<NvTrlRecord>', `${out.join('\n')}\n\t<NvTrlRecord>`);
}

/**
 * `variants` realistic MBNs built with the package's `buildMbn` (from `realisticMcfgXml`).
 * @param {{ sampleMcfgXml: Function, parseMcfgXml: Function, buildMbn: Function }} mbn
 */
export function realisticMcfgMbns(mbn, variants, items) {
  return Array.from({ length: variants }, (_, i) => mbn.buildMbn(mbn.parseMcfgXml(realisticMcfgXml(mbn, i, items))));
}
