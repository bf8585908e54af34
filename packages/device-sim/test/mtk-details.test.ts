/**
 * Issue 15.7: the device key is selectable and recorded; simulated IMEIs are valid (swapped BCD + Luhn, checked here
 * by an independent implementation and by python3); OTP LIDs live outside nvdata and survive every upgrade mode.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { bytesToHex, decodeUtf8, hexToBytes } from '@nv/core/bytes';
import { decodeLidFile, lidKeyFromBytes } from '@nv/mtk-lid-file';
import { createLtableEntry, sampleLtable } from '@nv/mtk-nvram-ltable/sample';
import { planUpgrade, type Ltable } from '@nv/mtk-nvram-ltable';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import { MTK_SIM_DEFAULT_KEY, peekMtkLid } from '../src/mtk-device.ts';
import {
  compareMtkPlan,
  createMtkDevice,
  mtkDeviceFromFiles,
  mtkDeviceToFiles,
  upgradeMtkDevice,
  MTK_UPGRADE_MODES,
} from '../src/mtk.ts';
import { imeiLuhnDigit, mtkImeiRecord, mtkTestImei } from '../src/mtk-imei.ts';
import { mtkRng } from '../src/mtk-default.ts';

/** Luhn validity of a full number, from the definition: from the right, every second digit doubled. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 1 ? 2 : 1);
    sum += Math.floor(d / 10) + (d % 10);
  });
  return sum % 10 === 0;
}
/** Digits of a swapped-BCD IMEI record (docs/formats/lid-files.md#defaults): low nibble first; the 16th nibble is the F filler. */
const bcdDigits = (rec: Uint8Array): string =>
  Array.from(rec.subarray(0, 8), (b) => (b & 0xf).toString(16) + (b >> 4).toString(16)).join('');

describe('simulated IMEIs (issue 15.7)', () => {
  it('the spec vector: test IMEI 001010123456780 → 00010121436587f00000 (lid-file §16)', () => {
    expect(bytesToHex(mtkImeiRecord('001010123456780', 10, 0x00))).toBe('00010121436587f00000');
    expect(imeiLuhnDigit('00101012345678')).toBe(0);
    expect(luhnValid('001010123456780')).toBe(true);
    // Known public Luhn examples (ISO/IEC 7812 style): 79927398713 is valid, …710 is not.
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });

  it('generated IMEIs are 15 digits, test reporting body 00, Luhn-valid (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const imei = mtkTestImei(mtkRng(seed));
        expect(imei).toMatch(/^0010\d{11}$/);
        expect(luhnValid(imei)).toBe(true);
        // Changing any one digit breaks the check (Luhn detects every single-digit error).
        const k = seed % 15;
        const other = `${imei.slice(0, k)}${(Number(imei[k]) + 1) % 10}${imei.slice(k + 1)}`;
        expect(luhnValid(other)).toBe(false);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  for (const gen of ['moly-a', 'moly-b'] as const) {
    it(`${gen}: the personalized IMEI LID holds valid BCD IMEIs in records 1–2, FF in the others`, () => {
      const d = createMtkDevice(sampleLtable(gen), { seed: 9 });
      const f = peekMtkLid(d, 'NVRAM_EF_IMEI_IMEISV_LID')!;
      for (const r of [0, 1]) {
        const rec = f.data.subarray(r * 10, r * 10 + 10);
        const digits = bcdDigits(rec);
        expect(digits).toMatch(/^\d{15}f$/);
        expect(luhnValid(digits.slice(0, 15))).toBe(true);
        expect(bytesToHex(rec.subarray(8))).toBe(gen === 'moly-b' ? '0000' : 'ffff');
      }
      expect(bcdDigits(f.data.subarray(0, 10))).not.toBe(bcdDigits(f.data.subarray(10, 20)));
    });
  }

  it.skipIf(!hasTool('python3'))(
    'python3 agrees: the saved IMEI LID file decodes to Luhn-valid IMEIs (needs python3)',
    () => {
      const d = createMtkDevice(sampleLtable('moly-b'), { seed: 3 });
      const f = peekMtkLid(d, 'NVRAM_EF_IMEI_IMEISV_LID')!;
      const script = [
        'import sys',
        'data = bytes.fromhex(sys.argv[1])',
        'out = []',
        'for r in range(2):',
        '    rec = data[r*10:r*10+8]',
        "    digits = ''.join('%x%x' % (b & 15, b >> 4) for b in rec)[:15]",
        '    total = 0',
        '    for i, c in enumerate(reversed(digits)):',
        '        v = int(c) * (2 if i % 2 else 1)',
        '        total += v // 10 + v % 10',
        "    out.append(digits + (':ok' if total % 10 == 0 else ':bad'))",
        "print(' '.join(out))",
      ].join('\n');
      const res = decodeUtf8(execFileSync('python3', ['-c', script, bytesToHex(f.data)])).trim();
      expect(res).toMatch(/^\d{15}:ok \d{15}:ok$/);
    },
  );
});

describe('the device key (issue 15.7)', () => {
  it('a device created with --key writes its CONFIDENTIAL files with it and records it in device.json', () => {
    const key = '3f06bd14d45fa985dd027410f0214d22';
    const d = createMtkDevice(sampleLtable('moly-b'), { key });
    expect(d.key).toBe(key);
    const files = mtkDeviceToFiles(d);
    const doc = JSON.parse(decodeUtf8(files[0]!.bytes)) as { key: string };
    expect(doc.key).toBe(key);
    // CUST_HW_CONFIG is CONFIDENTIAL (not MSP): decodable with the key, checksum failures with another one.
    const file = files.find((f) => f.path === 'nvdata/md/NVRAM/NVD_CUST/CT01A000')!;
    const entry = { lid: 0xff01, size: 16, records: 1, attr: 0x0c, category: 0x80, attributes: ['CONFIDENTIAL'] };
    const ok = decodeLidFile(file.bytes, entry, { generation: 'B', key: lidKeyFromBytes(hexToBytes(key), 'B') });
    expect(ok.badRecords).toEqual([]);
    expect(ok.records[0]!.bytes).toEqual(peekMtkLid(d, 'NVRAM_EF_CUST_HW_CONFIG_LID')!.data);
    const byDefault = mtkDeviceFromFiles(files[0]!.bytes, (p) => files.find((f) => f.path === p)?.bytes);
    expect(byDefault.key).toBe(key);
    expect(peekMtkLid(byDefault, 'NVRAM_EF_CUST_HW_CONFIG_LID')!.bad).toEqual([]);
  });

  it('the default key is 00…0f; a key the generation cannot use is refused', () => {
    expect(createMtkDevice(sampleLtable('moly-a')).key).toBe(MTK_SIM_DEFAULT_KEY);
    expect(() => createMtkDevice(sampleLtable('moly-b'), { key: '0102' })).toThrow(
      expect.objectContaining({ code: 'NV_LID_KEY_REQUIRED' }),
    );
    expect(() => createMtkDevice(sampleLtable('moly-b'), { key: 'zz' })).toThrow(
      expect.objectContaining({ code: 'NV_BAD_INPUT' }),
    );
  });
});

describe('OTP LIDs live outside nvdata (issue 15.7)', () => {
  const withOtp = (gen: 'moly-a' | 'moly-b'): Ltable => {
    const t = sampleLtable(gen);
    const otp = createLtableEntry(
      { name: 'NVRAM_EF_OTP_DEMO_LID', lid: 0x20, size: 8, categories: ['OTP'], prefix: 'OT01', verno: '000' },
      gen,
    );
    return { ...t, entries: [...t.entries, otp] };
  };
  for (const gen of ['moly-a', 'moly-b'] as const) {
    it(`${gen}: stored on the otp partition, kept by every mode (Format All too), and the planner agrees`, () => {
      const t = withOtp(gen);
      const base = createMtkDevice(t, { seed: 5 });
      expect(Object.keys(base.partitions.otp)).toEqual(['md/OT01_000']);
      expect(Object.keys(base.partitions.nvdata).some((p) => p.includes('OT01'))).toBe(false);
      const data = peekMtkLid(base, 'NVRAM_EF_OTP_DEMO_LID')!.data.slice();
      for (const mode of MTK_UPGRADE_MODES) {
        const d = createMtkDevice(t, { seed: 5 });
        const plan = planUpgrade(t, t, mode, { platform: d.platform });
        const report = upgradeMtkDevice(d, t, mode);
        expect(report.kept).toContain('NVRAM_EF_OTP_DEMO_LID');
        expect(peekMtkLid(d, 'NVRAM_EF_OTP_DEMO_LID')!.data).toEqual(data);
        expect(plan.actions.find((a) => a.name === 'NVRAM_EF_OTP_DEMO_LID')).toMatchObject({ row: 'XO' });
        expect(compareMtkPlan(plan, report).mismatches).toEqual([]);
      }
      // The state folder holds it under otp/ and reads it back.
      const files = mtkDeviceToFiles(base);
      expect(files.map((f) => f.path)).toContain('otp/md/OT01_000');
      const back = mtkDeviceFromFiles(files[0]!.bytes, (p) => files.find((f) => f.path === p)?.bytes);
      expect(peekMtkLid(back, 'NVRAM_EF_OTP_DEMO_LID')!.data).toEqual(data);
    });
  }
});
