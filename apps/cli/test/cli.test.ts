import { describe, expect, it } from 'vitest';
import { memoryStream } from './_memory-stream.ts';
import { runNv } from './_spawn.ts';
import { run } from '../src/index.ts';
import { createProgressBar, formatTable, jsonReplacer } from '../src/context.ts';
import { listErrorCodes } from '../src/error-tables.ts';
import pkg from '../package.json' with { type: 'json' };

async function runInProcess(args: string[], env: Record<string, string> = {}) {
  const stdout = memoryStream();
  const stderr = memoryStream();
  const code = await run(args, { stdout, stderr, env, cwd: process.cwd() });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('nv (spawned from source)', () => {
  it('--help lists the commands with an example and exits 0', async () => {
    const r = await runNv(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: nv');
    expect(r.stdout).toContain('errors');
    expect(r.stdout).toMatch(/Examples?:\n\s+\$ nv /);
  });
  it('--version prints the package version', async () => {
    const r = await runNv(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
  it('--json with an unknown command prints only a JSON error and exits 2', async () => {
    const r = await runNv(['--json', 'no-such-command']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: 'NV_USAGE', message: "unknown command 'no-such-command'", path: null, offset: null },
    });
  });
  it('an unknown option is a usage error (2) with a human message on stderr', async () => {
    const r = await runNv(['errors', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--bogus'");
  });
  it('no command at all shows help on stderr and exits 2', async () => {
    const r = await runNv([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: nv');
  });
  it('nv errors --json lists every code with meaning and fix', async () => {
    const r = await runNv(['errors', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { codes: Array<{ code: string; meaning: string; fix: string }> };
    expect(doc.codes.map((c) => c.code)).toContain('NV_TRUNCATED');
    expect(doc.codes.length).toBe(listErrorCodes().length);
  });
  it('an unknown error code is a usage error with NV_USAGE', async () => {
    const r = await runNv(['--json', 'errors', 'NV_NOPE']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('NV_USAGE');
  });
  it('--help of a subcommand shows its own example', async () => {
    const r = await runNv(['errors', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ nv errors NV_TRUNCATED --json');
  });
});

describe('pipes', () => {
  it('a reader that closes early (nv … | head -1) ends nv quietly, without an EPIPE trace', async () => {
    const { spawnSync } = await import('node:child_process');
    const { CLI_BIN } = await import('./_spawn.ts');
    const nv = `${JSON.stringify(process.execPath)} --import ${JSON.stringify(import.meta.resolve('tsx'))} --conditions=@nv/source ${JSON.stringify(CLI_BIN)}`;
    const r = spawnSync('sh', ['-c', `${nv} errors | head -1; ${nv} demo | head -1`], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).not.toContain('Unhandled');
  });
});

describe('run() in process', () => {
  it('human output has no colour codes when stdout is not a TTY', async () => {
    const r = await runInProcess(['errors', 'NV_LIMIT']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('NV_LIMIT');
    expect(r.stdout).not.toContain('\x1b[');
  });
  it('the error codes are unique across packages', () => {
    const codes = listErrorCodes().map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('every command level', () => {
  it('shows usage with a worked example on --help and exits 0 (walked from the live command tree)', async () => {
    const tree = JSON.parse((await runInProcess(['completion', 'bash', '--json'])).stdout) as { script: string };
    const paths = [...tree.script.matchAll(/^ {4}"([^"]*)"\) words=/gm)].map((m) => m[1]!.split(' ').filter(Boolean));
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      const r = await runInProcess([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, path.join(' ')).toMatch(/Examples?:\n\s+\$ /);
    }
  });
});

describe('context', () => {
  it('fail() keeps the printed result and turns the exit code to 1', async () => {
    const { createContext } = await import('../src/context.ts');
    const stdout = memoryStream();
    const ctx = createContext({ stdout, stderr: memoryStream(), env: {}, cwd: '/' }, { json: true, verbose: false });
    expect(ctx.exitCode).toBe(0);
    ctx.result({ ok: false, findings: [] }, () => 'x');
    ctx.fail();
    expect(ctx.exitCode).toBe(1);
    expect(JSON.parse(stdout.text)).toEqual({ ok: false, findings: [] });
  });
});

describe('output helpers', () => {
  it('jsonReplacer renders bigint and bytes', () => {
    expect(JSON.stringify({ a: 1n << 64n, b: new Uint8Array([0, 255]) }, jsonReplacer)).toBe(
      '{"a":"18446744073709551616","b":"00ff"}',
    );
  });
  it('formatTable aligns columns', () => {
    expect(
      formatTable(
        [
          ['a', 'bb'],
          ['ccc', 'd'],
        ],
        ['x', 'y'],
      ),
    ).toBe('x    y\n───  ──\na    bb\nccc  d\n');
  });
  it('the progress bar stays silent off a TTY and for work under a second', () => {
    const off = memoryStream(false);
    const bar = createProgressBar({ stdout: memoryStream(), stderr: off, env: {}, cwd: '/' });
    bar.start('x', 10);
    bar.update(5);
    bar.end();
    expect(off.text).toBe('');
    let t = 0;
    const tty = memoryStream(true);
    const bar2 = createProgressBar({ stdout: memoryStream(), stderr: tty, env: { NO_COLOR: '1' }, cwd: '/' }, () => t);
    bar2.start('packing', 100, 'bytes');
    t = 500;
    bar2.update(10);
    expect(tty.text).toBe('');
    t = 1500;
    bar2.update(50);
    expect(tty.text).toContain('packing');
    expect(tty.text).toContain(' 50%');
    expect(tty.text).not.toContain('\x1b[36m');
    bar2.end();
    expect(tty.text.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('`nv help`', () => {
  it('nv help [command…] exits 0 at every level; unknown command exits 2', async () => {
    const top = await runInProcess(['help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: nv [options] [command]');
    const deep = await runInProcess(['help', 'qcom', 'mbn', 'lint']);
    expect(deep.code).toBe(0);
    expect(deep.stdout).toContain('Usage: nv qcom mbn lint');
    expect(deep.stdout).toContain('$ nv qcom mbn lint');
    const nested = await runInProcess(['qcom', 'help', 'mbn']);
    expect(nested.code).toBe(0);
    expect(nested.stdout).toContain('Usage: nv qcom mbn');
    expect((await runInProcess(['help', 'nope'])).code).toBe(2);
  });
  it('under --json, help is one JSON document on stdout (nv help and --help)', async () => {
    for (const args of [
      ['--json', 'help', 'qcom', 'mbn', 'lint'],
      ['qcom', 'mbn', 'lint', '--help', '--json'],
    ]) {
      const r = await runInProcess(args);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { command: string; help: string };
      expect(doc.command).toBe('nv qcom mbn lint');
      expect(doc.help).toContain('Usage: nv qcom mbn lint');
    }
  });
});
