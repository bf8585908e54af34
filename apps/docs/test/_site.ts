// Shared machinery of the browser test: build the site, serve it with `vitepress preview` on a free port,
// and find (or install) Debian's chromium (stack.md §6).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOCS_DIR: string = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR: string = join(DOCS_DIR, '.vitepress', 'dist');
export const OUTPUT_DIR: string = join(DOCS_DIR, 'test-output');

/** Runs a command to completion without blocking the event loop; rejects with its output on failure. */
export function runCommand(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-4000)}`)),
    );
  });
}

/** The chromium binary: `NV_CHROMIUM`, else `command -v chromium`; installs it when root, else throws. */
export function findChromium(): string {
  const fromEnv = process.env['NV_CHROMIUM'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`NV_CHROMIUM=${fromEnv} does not exist`);
    return fromEnv;
  }
  const lookup = (): string => spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  let path = lookup();
  if (path) return path;
  if (process.getuid?.() === 0) {
    const r = spawnSync('apt-get', ['install', '-y', 'chromium'], {
      encoding: 'utf8',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    path = lookup();
    if (path) return path;
    throw new Error(`chromium is missing and "apt-get install -y chromium" failed:\n${r.stdout}${r.stderr}`);
  }
  throw new Error(
    'chromium is missing: run "apt-get install -y chromium" as root (or set NV_CHROMIUM to a chromium binary)',
  );
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `vitepress preview` in its own process group and waits until it answers. */
export async function startPreview(port: number): Promise<{ child: ChildProcess; url: string }> {
  const bin = join(DOCS_DIR, 'node_modules', '.bin', 'vitepress');
  const child = spawn(bin, ['preview', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: DOCS_DIR,
    stdio: 'ignore',
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      const res = await fetch(`${url}/`);
      if (res.ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stopPreview(child);
  throw new Error(`vitepress preview did not answer on ${url}`);
}

/** Kills the preview server's whole process group (only the pid this test started). */
export function stopPreview(child: ChildProcess | undefined): void {
  if (child?.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Every built HTML page, as site paths (`/guide/mcfg`, `/zh/`), with its file. */
export function builtPages(): { path: string; file: string }[] {
  const out: { path: string; file: string }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.html') && name !== '404.html') {
        const rel = file.slice(DIST_DIR.length).replace(/\\/g, '/');
        out.push({
          path: rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel.slice(0, -'.html'.length),
          file,
        });
      }
    }
  };
  walk(DIST_DIR);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Whether an internal href (no origin) resolves to a built file, the way `cleanUrls` serves it. */
const resolved = new Map<string, boolean>();
export function resolvesInDist(href: string): boolean {
  const key = href.replace(/[?#].*$/, '');
  let hit = resolved.get(key);
  if (hit === undefined) resolved.set(key, (hit = resolvesUncached(key)));
  return hit;
}

function resolvesUncached(href: string): boolean {
  let path = decodeURIComponent(href.replace(/[?#].*$/, ''));
  if (path === '' || path === '/') return existsSync(join(DIST_DIR, 'index.html'));
  if (path.endsWith('/')) return existsSync(join(DIST_DIR, path, 'index.html'));
  if (path.endsWith('.html')) path = path.slice(0, -5);
  else if (/\.[a-z0-9]+$/i.test(path) && !path.endsWith('.md')) return existsSync(join(DIST_DIR, path));
  if (path.endsWith('.md')) path = path.slice(0, -3);
  return existsSync(join(DIST_DIR, `${path}.html`)) || existsSync(join(DIST_DIR, path, 'index.html'));
}

/** The internal `href`s of a built page (absolute-path links; relative ones resolved against the page). */
export function internalLinks(page: { path: string; file: string }): string[] {
  const html = readFileSync(page.file, 'utf8');
  const links: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*?\shref="([^"]+)"/g)) {
    const href = m[1]!.replace(/&amp;/g, '&');
    if (/^(https?:|mailto:|#|javascript:)/.test(href)) continue;
    links.push(
      new URL(href, `http://site${page.path}`).pathname + (href.includes('#') ? href.slice(href.indexOf('#')) : ''),
    );
  }
  return links;
}
