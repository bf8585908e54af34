#!/usr/bin/env node
// Codemod: points the code's citations of the outside specs (`§3.3`, `spec §2.4`, `qcom-efs.md §2.2`,
// `ltable §9.1`, `shared/specs/qcom-mbn.md` …) at the format reference inside the repository,
// `docs/formats/<page>.md#<anchor>` (= apps/docs/formats/…).
//
//   node scripts/rewrite-spec-refs.mjs            rewrite comments under the default roots, print a summary
//   node scripts/rewrite-spec-refs.mjs --check    change nothing; list what would change, exit 1 if anything would
//   node scripts/rewrite-spec-refs.mjs DIR|FILE…  other roots (any code file; the package it lives in still decides)
//
// Only comments are rewritten (strings are behaviour: messages, test names). A bare `§N` means the spec last named
// in the same list (`ltable §2.2, §7`), else the spec of the file's package (`packages/qcom-mbn/**` → qcom-mbn.md),
// else (device-sim, core, the CLI) the spec the file names most often, else one guessed from the file name.
// Exit 1 with a list of every citation it could not map (nothing is written then). Idempotent: a rewritten
// citation has no `§` left. Plain Node, no dependencies.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FORMATS_DIR = join(ROOT, 'apps', 'docs', 'formats');
export const DEFAULT_ROOTS = ['packages/*/src', 'packages/*/test', 'apps/cli/src'];
const CODE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;

/**
 * Spec file → page, and spec section → `page#anchor`, built from the specs' section headings. A section that is
 * not listed falls back to its parent (`§3.3.2` → `§3.3`); a spec cited without a section goes to `page`.
 * @type {Record<string, {page: string, sections: Record<string, string>}>}
 */
export const SPEC_MAP = {
  'qcom-efs': {
    page: 'qcn',
    sections: {
      1: 'qcn#overview',
      1.1: 'qcn#vendor-flow',
      2: 'qcn#container',
      2.1: 'efs-tar#paths',
      2.2: 'qcn#container',
      2.3: 'qcn#property-info',
      2.4: 'qcn#item-record',
      2.5: 'qcn#stores',
      2.6: 'qcn#variant',
      2.7: 'efs-tar#tar',
      2.8: 'efs-tar#gzip',
      2.9: 'efs-tar#containers',
      3: 'qcn#nvsource',
      3.1: 'qcn#nvsource',
      3.2: 'qcn#nvdefinition',
      3.3: 'qcn#values',
      3.4: 'qcn#placement',
      3.5: 'qcn#read-write',
      3.6: 'qcn#nv-info',
      3.7: 'qcn#qcn-to-efs',
      3.8: 'qcn#efs-to-qcn',
      3.9: 'efs-tar#manifest',
      '3.10': 'efs-tar#pack',
      3.11: 'efs-tar#compress',
      3.12: 'efs-tar#unwrap',
      4: 'qcn#validation',
      5: 'efs-tar#pitfalls',
      6: 'qcn#test-vectors',
      7: 'qcn#open-questions',
    },
  },
  'qcom-fsg-sign': {
    page: 'fsg',
    sections: {
      1: 'fsg#flow',
      2: 'fsg#mbn-header',
      2.1: 'fsg#mbn-header',
      2.2: 'fsg#recognise',
      2.3: 'fsg#img-sector',
      2.4: 'fsg#meta',
      3: 'fsg#ids',
      3.1: 'fsg#ids',
      3.2: 'fsg#image-hash',
      3.3: 'fsg#signature',
      3.4: 'fsg#chain',
      3.5: 'fsg#ous',
      3.6: 'fsg#certificates',
      3.7: 'fsg#root-hash',
      3.8: 'fsg#keygen-sign-img',
      4: 'fsg#modem-checks',
      5: 'fsg#known-roots',
      6: 'fsg#openssl',
      7: 'fsg#pitfalls',
      8: 'fsg#decisions',
      9: 'fsg#open-questions',
    },
  },
  'qcom-mbn': {
    page: 'mcfg',
    sections: {
      1: 'mcfg#overview',
      1.1: 'mcfg#misreadings',
      2: 'mcfg#xml',
      2.1: 'mcfg#xml',
      2.2: 'mcfg#values',
      2.3: 'mcfg#dialects',
      2.4: 'mcfg#items',
      3: 'mcfg#layout',
      3.1: 'mcfg#layout',
      3.2: 'mcfg#elf-header',
      3.3: 'mcfg#program-headers',
      3.4: 'mcfg#hash-segment',
      3.5: 'mcfg#mcfg-header',
      3.6: 'mcfg#version',
      3.7: 'mcfg#item-prefix',
      3.8: 'mcfg#attributes',
      3.9: 'mcfg#nv-body',
      '3.10': 'mcfg#efs-body',
      3.11: 'mcfg#trailer',
      3.12: 'mcfg#tlvs',
      4: 'mcfg#build',
      4.1: 'mcfg#build',
      4.2: 'mcfg#parse',
      4.3: 'mcfg#to-xml',
      4.4: 'mcfg#rehash',
      4.5: 'mcfg#kat',
      5: 'mcfg#validation',
      6: 'mcfg#device',
      6.1: 'mcfg#pdc',
      6.2: 'mcfg#activation',
      6.3: 'mcfg#hw-sw',
      6.4: 'mcfg#autoselect',
      6.5: 'mcfg#ril-ota',
      6.6: 'mcfg#sim-outcomes',
      7: 'mcfg#test-vectors',
      8: 'mcfg#user-needs',
      9: 'mcfg#open-questions',
    },
  },
  'mtk-nvram-ltable': {
    page: 'lid-table',
    sections: {
      1: 'lid-table#overview',
      2: 'lid-table#partitions',
      2.1: 'lid-table#partitions',
      2.2: 'lid-table#folders',
      3: 'lid-table#entry',
      3.1: 'lid-table#entry',
      3.2: 'lid-table#json',
      4: 'lid-table#attributes',
      4.1: 'lid-table#attributes',
      4.2: 'lid-table#categories',
      4.3: 'lid-table#maui-categories',
      5: 'lid-table#lid-numbers',
      6: 'lid-table#c-import',
      7: 'lid-table#effective-attributes',
      8: 'lid-table#boot-check',
      9: 'lid-table#upgrade',
      9.1: 'lid-table#modes',
      9.2: 'lid-table#survival',
      9.3: 'lid-table#decision-table',
      9.4: 'lid-table#verno-rules',
      9.5: 'lid-table#planner',
      10: 'lid-table#validation',
      11: 'lid-table#pitfalls',
      12: 'lid-table#test-vectors',
      13: 'lid-table#open-questions',
    },
  },
  'mtk-lid-file': {
    page: 'lid-files',
    sections: {
      1: 'lid-files#overview',
      2: 'lid-files#name',
      3: 'lid-files#detection',
      4: 'lid-files#gen-a',
      5: 'lid-files#gen-b',
      5.1: 'lid-files#header-checksum',
      5.2: 'lid-files#chk8',
      5.3: 'lid-files#gen-b-cipher',
      6: 'lid-files#key-derivation',
      7: 'lid-files#algorithms',
      8: 'lid-files#read-errors',
      9: 'lid-files#defaults',
      10: 'lid-files#ap-files',
      11: 'bin-region#layout',
      12: 'lid-files#lid-bit',
      13: 'lid-files#external-api',
      14: 'lid-files#errors',
      15: 'lid-files#pitfalls',
      16: 'lid-files#test-vectors',
      17: 'lid-files#open-questions',
    },
  },
  'qcom-diag': {
    page: 'diag',
    sections: {
      1: 'diag#transports',
      2: 'diag#framing',
      3: 'diag#commands',
      4: 'diag#efs2',
      5: 'diag#toolkit',
      6: 'diag#testing',
    },
  },
  // Project conventions: only the section the format code cites (library choices) has a home in the format pages.
  stack: { page: 'index', sections: { 1: 'index#libraries' } },
  architecture: { page: 'index', sections: {} },
  cli: { page: 'index', sections: {} },
};

/** How comments name a spec (longest first), → SPEC_MAP key. */
const ALIASES = [
  ['mtk-nvram-ltable', 'mtk-nvram-ltable'],
  ['qcom-fsg-sign', 'qcom-fsg-sign'],
  ['mtk-lid-file', 'mtk-lid-file'],
  ['architecture', 'architecture'],
  ['qcom-diag', 'qcom-diag'],
  ['qcom-efs', 'qcom-efs'],
  ['qcom-mbn', 'qcom-mbn'],
  ['lid-file', 'mtk-lid-file'],
  ['fsg-sign', 'qcom-fsg-sign'],
  ['ltable', 'mtk-nvram-ltable'],
  ['stack', 'stack'],
  ['cli', 'cli'],
];
const ALIAS_OF = new Map(ALIASES);
/** Specs about the project, not a format: never the default of a bare `§N`. */
const PROJECT_SPECS = new Set(['stack', 'architecture', 'cli']);
const NAME = ALIASES.map(([a]) => a).join('|');
const NUM = String.raw`\d+(?:\.\d+)*`;
/** `[spec ][`name[.md]`][ spec ]§N[–[§]M]`. Groups: name, from, to. */
const REF_RE = new RegExp(
  String.raw`(?:\bspec[ \t]+)?(?:\x60?\b(${NAME})(?:\.md)?\x60?(?:[ \t]+spec)?[ \t]*)?§[ \t]?(${NUM})(?:[ \t]*[–-][ \t]*§?[ \t]?(${NUM})(?![\d.]*\d))?`,
  'g',
);
/** A path to the outside specs folder without a section. */
const PATH_RE = new RegExp(String.raw`(?:/work/)?(?:\.\./)*shared/specs/(${NAME})\.md`, 'g');
/** A `§` that follows a standard's name (`RFC 5280 §4.1.2.5`, `ISO/IEC 7816-4 §5`) belongs to that standard. */
const STANDARD_BEFORE = /\b(?:RFC|ISO(?:\/IEC)?|IEC|IEEE|FIPS|NIST SP|ITU-T|ECMA|X\.\d+)[\s-]*[\d.-]*[ \t]*$/;

/** Whether the text just before a `§` names a standard (its sections are not ours to rewrite). */
export function citesStandard(before) {
  return STANDARD_BEFORE.test(before);
}

/** The citations of the outside specs left in a comment (`§N` not of a standard, `shared/specs/…`). */
export function outsideSpecCites(comment) {
  const out = [];
  for (const m of comment.matchAll(/shared\/specs\/[\w.-]*/g)) out.push(m[0]);
  for (const m of comment.matchAll(/§[ \t]?[\d.]*/g)) {
    if (!citesStandard(comment.slice(Math.max(0, m.index - 32), m.index))) out.push(m[0]);
  }
  return out;
}

/** Separators that keep a bare `§N` in the list of the spec named before it. */
const LIST_SEP = /^(?:[\s,;/+&()]|\band\b|\bor\b|\*)*$/;

/** The spec a file's bare `§N` means, from its package (undefined: decide by what the file cites). */
function packageSpec(relPath) {
  const m = /^packages\/([^/]+)\//.exec(relPath);
  if (!m) return undefined;
  return SPEC_MAP[m[1]] && !PROJECT_SPECS.has(m[1]) ? m[1] : undefined;
}

/** A guess from the file name for files outside a format package (device-sim, CLI, core). */
function nameSpec(relPath) {
  const base = relPath.split('/').pop() ?? '';
  if (/mcfg|mbn/.test(base)) return 'qcom-mbn';
  if (/fsg|sign|secboot/.test(base)) return 'qcom-fsg-sign';
  if (/diag/.test(base)) return 'qcom-diag';
  if (/efs|qcn|qcom/.test(base)) return 'qcom-efs';
  if (/lid|bin-region|nvram|external/.test(base)) return 'mtk-lid-file';
  if (/mtk|ltable/.test(base)) return 'mtk-nvram-ltable';
  return undefined;
}

/**
 * The comments of a JS/TS source as `[start, end)` ranges; consecutive comments separated only by whitespace are
 * merged (one block of `//` lines is one comment). Strings, template literals and regex literals are skipped.
 */
export function commentRanges(text) {
  const out = [];
  let i = 0;
  let prev = ''; // last significant code character, to tell a regex literal from a division
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      const end = text.indexOf('\n', i);
      const e = end < 0 ? n : end;
      out.push([i, e]);
      i = e;
    } else if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2);
      const e = end < 0 ? n : end + 2;
      out.push([i, e]);
      i = e;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      prev = c;
    } else if (c === '`') {
      i = skipTemplate(text, i + 1);
      prev = c;
    } else if (
      c === '/' &&
      (prev === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(prev) || /\breturn\s*$/.test(text.slice(Math.max(0, i - 8), i)))
    ) {
      i++;
      let inClass = false;
      while (i < n && text[i] !== '\n') {
        if (text[i] === '\\') i++;
        else if (text[i] === '[') inClass = true;
        else if (text[i] === ']') inClass = false;
        else if (text[i] === '/' && !inClass) break;
        i++;
      }
      i++;
      prev = '/r';
    } else {
      if (!/\s/.test(c)) prev = c;
      i++;
    }
  }
  const merged = [];
  for (const r of out) {
    const last = merged[merged.length - 1];
    if (last && /^\s*$/.test(text.slice(last[1], r[0]))) last[1] = r[1];
    else merged.push([...r]);
  }
  return merged;
}

/** Index after the closing backtick of a template literal whose body starts at `i` (nested `${}` handled). */
function skipTemplate(text, i) {
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === '`') return i + 1;
    else if (c === '$' && text[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const k = text[i];
        if (k === '{') depth++;
        else if (k === '}') depth--;
        else if (k === '`') {
          i = skipTemplate(text, i + 1);
          continue;
        } else if (k === '"' || k === "'") {
          i++;
          while (i < n && text[i] !== k) i += text[i] === '\\' ? 2 : 1;
        }
        i++;
      }
    } else i++;
  }
  return n;
}

/** `page#anchor` of a spec section, falling back to parent sections; undefined when unmapped. */
export function targetOf(spec, section) {
  const entry = SPEC_MAP[spec];
  if (!entry) return undefined;
  let s = section;
  for (;;) {
    const t = entry.sections[s];
    if (t) return t;
    const dot = s.lastIndexOf('.');
    if (dot < 0) return undefined;
    s = s.slice(0, dot);
  }
}

const ref = (t) => {
  const [page, anchor] = t.split('#');
  return `docs/formats/${page}.md${anchor ? `#${anchor}` : ''}`;
};

/** The specs a text names, most often first (for files outside a format package). */
function namedSpecs(text) {
  const counts = new Map();
  const add = (name) => {
    const k = ALIAS_OF.get(name);
    if (!PROJECT_SPECS.has(k)) counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  for (const m of text.matchAll(REF_RE)) if (m[1]) add(m[1]);
  for (const m of text.matchAll(PATH_RE)) add(m[1]);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k]) => k);
}

/**
 * The candidate specs of a bare `§N` in a file: its package's spec alone; outside a format package the spec its
 * name suggests, then the specs it names (most often first). The first candidate that has section N itself wins,
 * else the first where a parent of N exists.
 */
function candidates(text, relPath) {
  const own = packageSpec(relPath);
  if (own) return [own];
  return [...new Set([nameSpec(relPath), ...namedSpecs(text)].filter(Boolean))];
}

/** Words after a bare `§N` that name its spec: the modem's check steps of the FSG spec, the rows of the LID decision table. */
const HINTS = [
  [/^[ \t]*(?:steps?|note)\b/, 'qcom-fsg-sign'],
  [/^[ \t]*rows?\b/, 'mtk-nvram-ltable'],
];

function pickSpec(cands, own, from, after) {
  if (!own) for (const [re, spec] of HINTS) if (re.test(after)) return spec;
  return cands.find((c) => SPEC_MAP[c].sections[from] !== undefined) ?? cands.find((c) => targetOf(c, from));
}

/**
 * Rewrites the spec citations inside the comments of one source text.
 * @returns {{text: string, rewritten: number, unmapped: {line: number, cite: string}[]}}
 */
export function rewriteSource(text, relPath) {
  const own = packageSpec(relPath);
  const cands = candidates(text, relPath);
  const unmapped = [];
  let rewritten = 0;
  let out = '';
  let pos = 0;
  const lineAt = (i) => text.slice(0, i).split('\n').length;
  for (const [start, end] of commentRanges(text)) {
    const comment = text.slice(start, end);
    let lastSpec;
    let lastEnd = -1;
    let newComment = comment.replace(PATH_RE, (_all, name) => {
      rewritten++;
      return ref(SPEC_MAP[ALIAS_OF.get(name)].page);
    });
    newComment = newComment.replace(REF_RE, (all, name, from, to, offset) => {
      if (!name && citesStandard(newComment.slice(Math.max(0, offset - 32), offset))) return all;
      let spec;
      let inherited;
      if (name) spec = inherited = ALIAS_OF.get(name);
      else if (lastSpec && LIST_SEP.test(newComment.slice(lastEnd, offset))) spec = inherited = lastSpec;
      else spec = pickSpec(cands, own, from, newComment.slice(offset + all.length, offset + all.length + 8));
      // Only a spec named in the comment carries over a list; a guessed one does not.
      lastSpec = inherited;
      lastEnd = offset + all.length;
      const a = spec && targetOf(spec, from);
      const b = spec && to ? targetOf(spec, to) : a;
      if (!a || !b) {
        unmapped.push({
          line: lineAt(start + Math.min(offset, comment.length - 1)),
          cite: `${all.trim()} (${spec ?? 'no spec'})`,
        });
        return all;
      }
      rewritten++;
      if (a === b) return ref(a);
      const [pa] = a.split('#');
      const [pb, ab] = b.split('#');
      return pa === pb ? `${ref(a)}…#${ab}` : `${ref(a)}…${ref(b)}`;
    });
    // The same target twice in one list (`§8.3/§8.4` → one anchor) collapses to one citation.
    newComment = newComment.replace(
      /(docs\/formats\/[a-z0-9-]+\.md#[a-z0-9-]+)((?:[ \t]*[,/;+][ \t]*|[ \t]+and[ \t]+)\1)+(?![a-z0-9-])/g,
      '$1',
    );
    out += text.slice(pos, start) + newComment;
    pos = end;
  }
  out += text.slice(pos);
  return { text: out, rewritten, unmapped };
}

/** Every code file under a root (a folder, a file, or a pattern with one `*` path part), skipping build output. */
export function filesOf(root) {
  if (root.includes('*')) {
    const parts = root.split('/');
    const star = parts.indexOf('*');
    const base = join(ROOT, ...parts.slice(0, star));
    if (!existsSync(base)) return [];
    return readdirSync(base)
      .sort()
      .flatMap((d) => filesOf([...parts.slice(0, star), d, ...parts.slice(star + 1)].join('/')));
  }
  const abs = root.startsWith('/') ? root : join(ROOT, root);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return CODE_FILE.test(abs) ? [abs] : [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => CODE_FILE.test(f) && !/(^|[\\/])(node_modules|dist)([\\/]|$)/.test(f))
    .map((f) => join(abs, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** The explicit `{#anchor}`s of every format page, by page name. */
export function formatAnchors(dir = FORMATS_DIR) {
  const pages = new Map();
  if (!existsSync(dir)) return pages;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.md'))) {
    const anchors = new Set();
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/^#{1,6} .*\{#([a-z0-9-]+)\}\s*$/gm)) anchors.add(m[1]);
    pages.set(f.slice(0, -3), anchors);
  }
  return pages;
}

/** Mapping targets whose page or anchor does not exist (the table and the pages must agree). */
export function missingTargets(anchors = formatAnchors()) {
  const missing = [];
  for (const [spec, { page, sections }] of Object.entries(SPEC_MAP)) {
    if (!anchors.has(page)) missing.push(`${spec}: page ${page}.md`);
    for (const [s, t] of Object.entries(sections)) {
      const [p, a] = t.split('#');
      if (!anchors.get(p)?.has(a)) missing.push(`${spec} §${s}: ${t}`);
    }
  }
  return missing;
}

function main(argv) {
  const check = argv.includes('--check');
  const roots = argv.filter((a) => !a.startsWith('--'));
  const missing = missingTargets();
  if (missing.length > 0) {
    console.error(`rewrite-spec-refs: the mapping names targets the format pages lack:\n  ${missing.join('\n  ')}`);
    return 2;
  }
  const changes = [];
  const unmapped = [];
  let files = 0;
  let total = 0;
  for (const file of (roots.length > 0 ? roots : DEFAULT_ROOTS).flatMap(filesOf)) {
    files++;
    const rel = relative(ROOT, file).split(sep).join('/');
    const before = readFileSync(file, 'utf8');
    const r = rewriteSource(before, rel);
    for (const u of r.unmapped) unmapped.push(`${rel}:${u.line}: ${u.cite}`);
    if (r.text !== before) {
      changes.push({ file, rel, text: r.text, n: r.rewritten });
      total += r.rewritten;
    }
  }
  if (unmapped.length > 0) {
    console.error(`rewrite-spec-refs: ${unmapped.length} citation(s) could not be mapped (nothing written):`);
    for (const u of unmapped) console.error(`  ${u}`);
    return 1;
  }
  if (!check) for (const c of changes) writeFileSync(c.file, c.text);
  for (const c of changes) console.log(`${String(c.n).padStart(4)}  ${c.rel}`);
  const verb = check ? 'would rewrite' : 'rewrote';
  console.log(`rewrite-spec-refs: ${verb} ${total} citation(s) in ${changes.length} of ${files} file(s)`);
  return check && changes.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  process.exitCode = main(process.argv.slice(2));
