import { execFileSync } from 'node:child_process';
// Every guide's commands run (issue 11): the ```sh blocks of each guide are executed in order, with `nv` on
// PATH, in a scratch folder where the guide's own setup block writes its inputs. A block runs iff every `nv`
// command it (and the blocks before it) needs exists, i.e. `nv <cmd> --help` exits 0 with that command's usage;
// the others are reported as pending-by-command-existence and start running the moment the command lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '@nv/cli';
import { DOCS_DIR, runCommand } from './_site.ts';
import { GUIDES } from '../.vitepress/guides.ts';
import { commandsOnly, nvCommandsOf, readGuide, shellBlocks } from './_guides.ts';

const REPO = join(DOCS_DIR, '..', '..');

let scratch = '';
let binDir = '';

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'nv-docs-guides-'));
  binDir = join(scratch, 'bin');
  mkdirSync(binDir);
  // `nv` as a user types it: the CLI from source (the root `pnpm nv` script), without pnpm's start-up cost.
  const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
  writeFileSync(
    join(binDir, 'nv'),
    `#!/bin/sh\nexec "${tsx}" --conditions=@nv/source "${join(REPO, 'apps/cli/src/bin.ts')}" "$@"\n`,
  );
  chmodSync(join(binDir, 'nv'), 0o755);
});

afterAll(() => {
  if (!scratch) return;
  // A failed removal means a guide left a process writing here (e.g. a diag-serve it did not wait for): name it.
  try {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (e) {
    const left = execFileSync(
      'sh',
      [
        '-c',
        `find "${scratch}" | head -20; ps -eo pid,etimes,args | grep -v grep | grep -E "diag-serve|apps/cli" | head`,
      ],
      { encoding: 'utf8' },
    );
    throw new Error(`${String(e)}\nleft:\n${left}`);
  }
});

const existence = new Map<string, boolean>();
/** `nv <cmd> --help` exits 0 and prints that command's own usage (a group would print its usage instead). */
async function commandExists(cmd: string): Promise<boolean> {
  const known = existence.get(cmd);
  if (known !== undefined) return known;
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      text += chunk.toString();
      done();
    },
  });
  const code = await run([...cmd.split(' '), '--help'], {
    stdout: sink,
    stderr: sink,
    env: { NO_COLOR: '1' },
    cwd: scratch,
  });
  const exists = code === 0 && new RegExp(`^Usage: nv ${cmd.replace(/[-]/g, '\\-')}( |$)`, 'm').test(text);
  existence.set(cmd, exists);
  return exists;
}

// Guides run side by side (each in its own folder); the blocks of one guide still run in order, each awaiting
// the one before it, because later blocks use earlier blocks' files.
describe.concurrent('guides', () => {
  describe.each(GUIDES)('guide %s', (guide) => {
    const en = shellBlocks(readGuide(DOCS_DIR, `guide/${guide}.md`));
    const zh = shellBlocks(readGuide(DOCS_DIR, `zh/guide/${guide}.md`));

    it('has a setup block and the same commands in English and Chinese', () => {
      expect(en.length).toBeGreaterThan(1);
      expect(en[0]).toMatch(/^# setup/);
      expect(zh.map(commandsOnly)).toEqual(en.map(commandsOnly));
    });

    const dir = (): string => join(scratch, guide);
    const missingSoFar: string[] = [];
    let previous: Promise<unknown> = Promise.resolve();
    en.forEach((block, i) => {
      const needs = nvCommandsOf(block);
      let release: (v?: unknown) => void = () => {};
      const after = previous;
      previous = new Promise((r) => (release = r));
      // Blocks start together but run one after the other: each gets 120 s of its own on top of the wait for the
      // blocks before it (a longer guide must not time out its last blocks on a busy machine).
      it(
        `block ${i + 1}${needs.length ? ` (nv ${needs.join(', nv ')})` : ''}`,
        async () => {
          try {
            await after;
            await runBlock();
          } finally {
            release();
          }
        },
        120_000 * (i + 1),
      );
      async function runBlock(): Promise<void> {
        mkdirSync(dir(), { recursive: true });
        for (const cmd of needs) if (!(await commandExists(cmd))) missingSoFar.push(cmd);
        if (missingSoFar.length > 0) {
          // Pending by command existence: later blocks use earlier blocks' outputs, so they wait too.
          for (const cmd of missingSoFar)
            expect(await commandExists(cmd), `nv ${cmd} exists, so this block must run`).toBe(false);
          console.info(
            `[pending] guide ${guide} block ${i + 1}: waits for nv ${[...new Set(missingSoFar)].join(', nv ')}`,
          );
          return;
        }
        const out = await runCommand('bash', ['-euo', 'pipefail', '-c', block], dir(), {
          PATH: `${binDir}:${process.env['PATH'] ?? ''}`,
          NO_COLOR: '1',
        });
        expect(typeof out).toBe('string');
      }
    });
  });
});
