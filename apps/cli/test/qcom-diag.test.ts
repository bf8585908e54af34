// `nv qcom diag …` against `nv sim qcom diag-serve` over real TCP on 127.0.0.1: two separate processes, as a user
// runs them. The server is stopped with SIGINT at the end and must save the state it changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '@nv/core/bytes';
import { decodeQcn } from '@nv/qcom-efs';
import { loadQcomDevice, nodeQcomFormats, saveQcomDevice } from '@nv/device-sim/node';
import { bootQcom, createQcomDevice, readModem, writeEfsFile, writeNvItem } from '@nv/device-sim/qcom';
import { CLI_BIN, runNv } from './_spawn.ts';

const TSX_LOADER = import.meta.resolve('tsx');
const DEF = `<?xml version="1.0"?>
<NvDefinition>
  <NvItem id="10" name="NV_PREF_MODE_I" permission="rw" maxIndex="1"><Member type="uint8" sizeOf="1" name="nam"/><Member type="uint16" sizeOf="1" name="mode"/></NvItem>
  <NvItem id="6828" name="NV_EXAMPLE" permission="rw"><Member type="uint8" sizeOf="1" name="flag"/></NvItem>
</NvDefinition>`;

let dir: string;
let server: ChildProcess;
let tcp: string;
let before: ReturnType<typeof readModem>;

function startServer(args: string[]): Promise<{ child: ChildProcess; first: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, '--conditions=@nv/source', CLI_BIN, ...args], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error('diag-serve printed no address within 30 s')), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ child, first: out.split('\n')[0]! });
      }
    });
    child.on('exit', (code) => reject(new Error(`diag-serve exited with ${code}`)));
  });
}

const nv = (args: string[]) => runNv(['--json', 'qcom', 'diag', ...args, '--tcp', tcp], { cwd: dir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-diag-cli-'));
  const dev = createQcomDevice({
    trust: { rootHash: '0'.repeat(64), hwId: 0n, swId: 0n },
    formats: nodeQcomFormats(),
    partitionSize: 256 * 1024,
  });
  bootQcom(dev);
  writeNvItem(dev, 10, hexToBytes('1f00'));
  writeNvItem(dev, 10, hexToBytes('0d00'), 1);
  writeNvItem(dev, 550, hexToBytes('0835490000000000f0'));
  writeNvItem(dev, 6828, hexToBytes('01'));
  writeEfsFile(dev, '/nv/item_files/ims/qp_ims_dpl_config', hexToBytes('01'), 'item');
  writeEfsFile(dev, '/policyman/carrier_policy.xml', new Uint8Array(700).fill(0x41), 'file');
  before = readModem(dev);
  await saveQcomDevice(dev, join(dir, 'phone'));
  await writeFile(join(dir, 'NvDefinition.xml'), DEF);
  const s = await startServer([
    '--json',
    'sim',
    'qcom',
    'diag-serve',
    '--state',
    'phone',
    '--tcp',
    '127.0.0.1:0',
    '--log-packets',
    '1',
    '--bad-crc-every',
    '9',
  ]);
  server = s.child;
  tcp = (JSON.parse(s.first) as { tcp: string }).tcp;
}, 60_000);

afterAll(async () => {
  if (server.exitCode === null) server.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('nv qcom diag against nv sim qcom diag-serve', () => {
  it('diag-serve prints {"tcp":"127.0.0.1:<port>"} as its first stdout line', () => {
    expect(tcp).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(tcp.endsWith(':0')).toBe(false);
  });

  it('--port without the optional serialport package: NV_DIAG_NO_SERIAL (exit 1); --pty is a usage error', async () => {
    const serial = await runNv(['--json', 'qcom', 'diag', 'info', '--port', '/dev/ttyUSB9'], { cwd: dir });
    expect(serial.code).toBe(1);
    expect(JSON.parse(serial.stdout).error.code).toBe('NV_DIAG_NO_SERIAL');
    const pty = await runNv(['--json', 'sim', 'qcom', 'diag-serve', '--state', 'p2', '--pty'], { cwd: dir });
    expect(pty.code).toBe(2);
    expect(JSON.parse(pty.stdout).error.message).toContain('socat');
  }, 60_000);

  it('info, nv read with named fields', async () => {
    const info = await nv(['info']);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ model: 'nv-sim-qcom', efsSubsystem: 0x3e });
    const r = await nv(['nv', 'read', '10', '--definition', 'NvDefinition.xml']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { status: number; bytes: string; fields: unknown };
    expect(j.bytes.slice(0, 6)).toBe('001f00');
    expect(j.fields).toEqual([
      { name: 'nam', type: 'uint8', values: [0] },
      { name: 'mode', type: 'uint16', values: [31] },
    ]);
    const missing = await nv(['nv', 'read', '11']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ status: 5, statusName: 'not active' });
  }, 60_000);

  it('nv write backs up the old value first; identity items are refused with exit 1', async () => {
    const w = await nv([
      'nv',
      'write',
      '6828',
      '--fields',
      '2',
      '--definition',
      'NvDefinition.xml',
      '--backup',
      'before-6828.qcn',
    ]);
    expect(w.code, w.stderr).toBe(0);
    expect(JSON.parse(w.stdout)).toMatchObject({ id: 6828, status: 0 });
    const saved = decodeQcn(new Uint8Array(await readFile(join(dir, 'before-6828.qcn')))).qcn;
    expect(saved.items.map((i) => [i.id, i.payload[0]])).toEqual([[6828, 1]]);
    const id = await nv(['nv', 'write', '550', '00']);
    expect(id.code).toBe(1);
    expect(JSON.parse(id.stdout).error.code).toBe('NV_DIAG_IDENTITY_ITEM');
  }, 60_000);

  it('efs ls -R, get, put, rm', async () => {
    const ls = await nv(['efs', 'ls', '/', '-R']);
    const paths = (JSON.parse(ls.stdout) as { entries: { path: string; type: string }[] }).entries.map(
      (e) => `${e.type} ${e.path}`,
    );
    expect(paths).toContain('file /policyman/carrier_policy.xml');
    const get = await nv(['efs', 'get', '/policyman/carrier_policy.xml', '-o', 'policy.xml']);
    expect(JSON.parse(get.stdout)).toMatchObject({ size: 700, type: 'file' });
    expect((await readFile(join(dir, 'policy.xml'))).every((b) => b === 0x41)).toBe(true);
    await writeFile(join(dir, 'new.bin'), Uint8Array.of(9, 9));
    const put = await nv(['efs', 'put', 'new.bin', '/nv/item_files/test/new', '--yes']);
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).toContain('without a backup');
    const rm1 = await nv(['efs', 'rm', '/nv/item_files/test/new', '--backup', 'rm.qcn']);
    expect(rm1.code, rm1.stderr).toBe(0);
    const saved = decodeQcn(new Uint8Array(await readFile(join(dir, 'rm.qcn')))).qcn;
    expect(saved.efs.map((f) => [f.path, [...f.data]])).toEqual([['/nv/item_files/test/new', [9, 9]]]);
  }, 60_000);

  it('efs pull gives a folder that nv qcom efs pack takes unchanged', async () => {
    const pull = await nv(['efs', 'pull', '/', '-o', 'efs']);
    expect(pull.code, pull.stderr).toBe(0);
    expect(JSON.parse(pull.stdout)).toMatchObject({ skipped: [] });
    expect(await readdir(join(dir, 'efs'))).toContain('.nv-efs.json');
    const pack = await runNv(['--json', 'qcom', 'efs', 'pack', 'efs', '-o', 'fs_image.tar.gz'], { cwd: dir });
    expect(pack.code, pack.stderr).toBe(0);
    const listed = await runNv(['--json', 'qcom', 'efs', 'ls', 'fs_image.tar.gz'], { cwd: dir });
    expect(listed.stdout).toContain('/nvm/num/10_1');
  }, 60_000);

  it('backup → restore (dry run lists the identity refusal) → state saved on SIGINT', async () => {
    const b = await nv(['backup', '-o', 'phone.xqcn', '--definition', 'NvDefinition.xml']);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({ items: 3 });
    const full = await nv(['backup', '-o', 'all.qcn', '--items', '0-600']);
    // Without a definition: ids 0…600 scanned, element 0 only → 10 and 550 (6828 is outside the range).
    expect(JSON.parse(full.stdout)).toMatchObject({ items: 2 });
    const dry = await nv(['restore', 'all.qcn', '--dry-run']);
    expect(JSON.parse(dry.stdout).refused).toEqual([
      expect.objectContaining({ id: 550, code: 'NV_DIAG_IDENTITY_ITEM' }),
    ]);
    const r = await nv(['restore', 'phone.xqcn', '--backup', 'pre-restore.qcn']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ refused: [] });
    server.kill('SIGINT');
    const code = await new Promise((res) => server.on('exit', res));
    expect(code).toBe(0);
    const dev = await loadQcomDevice(join(dir, 'phone'), nodeQcomFormats());
    bootQcom(dev);
    const after = readModem(dev);
    expect(after.nv).toEqual({ ...before.nv, '6828': '02' });
    expect(after.efs.map((f) => f.path)).toEqual(before.efs.map((f) => f.path));
  }, 90_000);
});
