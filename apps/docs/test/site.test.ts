// The built site in a real browser (stack.md §6): Debian chromium through playwright-core, against
// `vitepress preview` of a fresh `pnpm build`. Checks console errors, internal links, the language switch
// and the inspector; screenshots land in test-output/ (git-ignored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  builtPages,
  DOCS_DIR,
  findChromium,
  freePort,
  internalLinks,
  OUTPUT_DIR,
  resolvesInDist,
  runCommand,
  startPreview,
  stopPreview,
} from './_site.ts';
import { inspectorSamples } from './_inspector-samples.ts';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let preview: ChildProcess | undefined;
let baseUrl = '';
let context: BrowserContext | undefined;
let userDataDir = '';

beforeAll(async () => {
  // Chromium first: a missing browser must fail the setup before minutes of building, never skip.
  const executablePath = findChromium();
  await runCommand('pnpm', ['run', 'build'], DOCS_DIR);
  const started = await startPreview(await freePort());
  preview = started.child;
  baseUrl = started.url;
  userDataDir = mkdtempSync(join(tmpdir(), 'nv-docs-chromium-'));
  mkdirSync(OUTPUT_DIR, { recursive: true });
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
}, 170_000);

afterAll(async () => {
  await context?.close();
  stopPreview(preview);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** Opens a page and records console errors and uncaught exceptions while it loads and settles. */
async function visit(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${path}: console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`${path}: ${err.message}`));
  const res = await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
  if (!res?.ok()) errors.push(`${path}: HTTP ${res?.status()}`);
  return { page, errors };
}

describe('docs site in chromium', () => {
  it('every built page links only to pages and assets that exist', () => {
    const pages = builtPages();
    expect(pages.length).toBeGreaterThan(30);
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of internalLinks(page)) if (!resolvesInDist(link)) broken.push(`${page.path} -> ${link}`);
    }
    expect(broken).toEqual([]);
  });

  it('every page of both languages has the same set of guide and reference pages', () => {
    const paths = new Set(builtPages().map((p) => p.path));
    const en = [...paths].filter((p) => !p.startsWith('/zh/') && !p.startsWith('/api/'));
    const missing = en.filter((p) => !paths.has(`/zh${p}`));
    expect(missing).toEqual([]);
  });

  it('every page of the site loads in chromium without console errors or dead links', async () => {
    const paths = builtPages().map((p) => p.path);
    expect(paths).toContain('/api/');
    const errors: string[] = [];
    const dead: string[] = [];
    // One tab for every page (a fresh tab per page costs more than the page itself on 2 cores).
    const page = await context!.newPage();
    let current = '';
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`${current}: console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`${current}: ${err.message}`));
    page.on('response', (res) => {
      if (res.status() >= 400) errors.push(`${current}: HTTP ${res.status()} ${res.url()}`);
    });
    for (const path of paths) {
      current = path;
      const res = await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
      if (!res?.ok()) errors.push(`${path}: HTTP ${res?.status()}`);
      // Links as rendered by the client (sidebar, nav, components), not just the static HTML.
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const href of new Set(hrefs)) {
        if (/^(https?:|mailto:|#|javascript:)/.test(href)) continue;
        const abs = new URL(href, `${baseUrl}${path}`);
        if (!resolvesInDist(abs.pathname)) dead.push(`${path} -> ${href}`);
      }
    }
    await page.close();
    expect(errors).toEqual([]);
    expect(dead).toEqual([]);
  }, 150_000);

  it('the home page renders in both languages (screenshots in test-output/)', async () => {
    for (const [path, text] of [
      ['/', 'Modem NV data, exact and scriptable'],
      ['/zh/', '精确、可脚本化的基带 NV 数据处理'],
    ] as const) {
      const { page, errors } = await visit(path);
      await expect.poll(() => page.textContent('.VPHero')).toContain(text);
      await page.screenshot({ path: join(OUTPUT_DIR, path === '/' ? 'home-en.png' : 'home-zh.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('the language menu switches a guide between English and Chinese and back', async () => {
    const { page, errors } = await visit('/guide/mcfg');
    expect(await page.getAttribute('html', 'lang')).toBe('en-US');
    await page.hover('.VPNavBarTranslations');
    await page.click('.VPNavBarTranslations a[href="/zh/guide/mcfg"]');
    await page.waitForURL('**/zh/guide/mcfg');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toContain('MCFG 运营商配置');
    await page.hover('.VPNavBarTranslations');
    await page.click('.VPNavBarTranslations a[href="/guide/mcfg"]');
    await page.waitForURL((u) => u.pathname === '/guide/mcfg');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en-US');
    expect(await page.textContent('h1')).toContain('MCFG carrier configuration');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the inspector decodes a generated file of every available type, locally', async () => {
    const { page, errors } = await visit('/inspector');
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') requests.push(`${r.method()} ${r.url()}`);
    });
    await page.waitForSelector('.nv-inspector[data-ready="true"]');
    const available = ((await page.getAttribute('.nv-inspector', 'data-types')) ?? '').split(',');
    // Every type has a decoder in its package's pure entry: all four must be offered and decode.
    expect(available.sort()).toEqual(['fsg', 'lid', 'mbn', 'qcn']);
    const samples = await inspectorSamples();
    for (const sample of samples) {
      expect(available, `inspector offers ${sample.type}`).toContain(sample.type);
      await page.setInputFiles('.nv-inspector input[type=file]', {
        name: sample.name,
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(sample.bytes),
      });
      await expect.poll(() => page.getAttribute('.nv-inspector .nv-result', 'data-file')).toBe(sample.name);
      expect(await page.getAttribute('.nv-inspector .nv-result', 'data-type')).toBe(sample.type);
      const text = (await page.textContent('.nv-inspector .nv-result')) ?? '';
      for (const field of sample.expect) expect(text, `${sample.type}: ${field}`).toContain(field);
      await page.screenshot({ path: join(OUTPUT_DIR, `inspector-${sample.type}.png`), fullPage: true });
    }
    // Drag and drop, as a person does it: a `drop` event carrying the file on the drop zone.
    const lid = samples.find((x) => x.type === 'lid')!;
    await page.evaluate(
      ({ name, bytes }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array(bytes)], name));
        document
          .querySelector('.nv-inspector .nv-drop')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      { name: 'MT79_002', bytes: [...lid.bytes] },
    );
    await expect.poll(() => page.getAttribute('.nv-inspector .nv-result', 'data-file')).toBe('MT79_002');
    expect(await page.textContent('.nv-inspector .nv-result')).toContain('de ad be ef');
    await page.screenshot({ path: join(OUTPUT_DIR, 'inspector.png'), fullPage: true });
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
