import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNv } from './_spawn.ts';
import { hasTool } from '../../../scripts/test-tools.ts';

/** Runs the generated bash function for a command line and returns COMPREPLY. */
function complete(scriptPath: string, line: string[]): string[] {
  const words = line.map((w) => `'${w}'`).join(' ');
  const out = execFileSync(
    'bash',
    [
      '-c',
      `source ${scriptPath}; COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _nv_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter(Boolean);
}

describe.skipIf(!hasTool('bash'))('nv completion (needs bash)', () => {
  it('bash script is valid and completes the live command tree', async () => {
    const r = await runNv(['completion', 'bash']);
    expect(r.code).toBe(0);
    const dir = await mkdtemp(join(tmpdir(), 'nv-compl-'));
    try {
      const script = join(dir, 'nv.bash');
      await writeFile(script, r.stdout);
      execFileSync('bash', ['-n', script]);
      expect(complete(script, ['nv', ''])).toEqual(expect.arrayContaining(['errors', 'completion']));
      expect(complete(script, ['nv', 'er'])).toEqual(['errors']);
      expect(complete(script, ['nv', '--js'])).toEqual(['--json']);
      expect(complete(script, ['nv', 'completion', '--'])).toContain('--help');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('zsh script wraps the same function', async () => {
    const r = await runNv(['completion', 'zsh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bashcompinit');
    expect(r.stdout).toContain('complete -o filenames -F _nv_complete nv');
  });
  it('an unknown shell is a usage error', async () => {
    const r = await runNv(['--json', 'completion', 'fish']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('NV_USAGE');
  });
});
