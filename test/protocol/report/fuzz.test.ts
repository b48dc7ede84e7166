// Fuzzing every parser in protocol/report with fast-check: random text and mutated valid messages.
// Properties: never throws, always returns a typed result, a success is self-consistent, and a mutated
// report verifies only if its signed part is byte-identical to the original. (Hangs would hit vitest's
// timeout; speed itself is measured in bench/report.bench.ts, not here.)
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AmlReason,
  commandSignedText,
  decodeCommand,
  decodeReport,
  encodeReportSync,
  parseAml,
  parseAmlData,
  reportSignedText,
  verifyCommandSync,
  verifyReportSync,
  WireReason,
} from '../../../protocol/report/index.js';
import { FIELDS, KEY, nodeHmac } from './helpers.js';

const REPORT = encodeReportSync(FIELDS, KEY, nodeHmac);
const COMMAND = 'TSC1;h=TS-0001;n=17;c=INTERVAL=30;m=ndO9mEYbiSs';
const AML = 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=124';

const WIRE_REASONS = new Set<string>(Object.values(WireReason));
const AML_REASONS = new Set<string>(Object.values(AmlReason));

// Characters that matter to these formats, plus some that must be refused.
const ALPHABET = 'TSRCAML1=;$*,.-_+"0123456789ABCDEFGHNPQVWXYZabcdefghijklmnopqrstuvwxyz\r\n é€{}\u0000\u00ff\ud83d';
const char = fc.constantFrom(...ALPHABET.split(''));
const textish = fc.string({ unit: char, maxLength: 400 });

type Edit = { op: 'del' | 'ins' | 'rep' | 'cut' | 'dup'; at: number; len: number; s: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('del', 'ins', 'rep', 'cut', 'dup'),
  at: fc.nat({ max: 400 }),
  len: fc.integer({ min: 1, max: 20 }),
  s: fc.string({ unit: char, minLength: 1, maxLength: 4 }),
});

function mutate(text: string, edits: readonly Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = t.length === 0 ? 0 : e.at % (t.length + 1);
    switch (e.op) {
      case 'del':
        t = t.slice(0, at) + t.slice(at + e.len);
        break;
      case 'ins':
        t = t.slice(0, at) + e.s + t.slice(at);
        break;
      case 'rep':
        t = t.slice(0, at) + e.s + t.slice(at + e.s.length);
        break;
      case 'cut':
        t = t.slice(0, at);
        break;
      case 'dup':
        t = t.slice(0, at + e.len) + t.slice(at, at + e.len) + t.slice(at + e.len);
        break;
      default: {
        const never: never = e.op;
        throw new Error(String(never));
      }
    }
  }
  return t;
}
const mutated = (valid: string) => fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => mutate(valid, edits));

function checkReport(text: string): void {
  const d = decodeReport(text);
  if (!d.ok) {
    expect(WIRE_REASONS.has(d.reason)).toBe(true);
    expect(typeof d.detail).toBe('string');
    return;
  }
  // A success is canonical: re-encoding its fields gives back exactly the signed text.
  expect(reportSignedText(d)).toBe(d.signed);
  expect(text.replace(/[\r\n]+$/, '')).toBe(`${d.signed};m=${d.mac}`);
  const original = REPORT.slice(0, REPORT.indexOf(';m='));
  expect(verifyReportSync(d, KEY, nodeHmac)).toBe(d.signed === original && d.mac === REPORT.slice(-11));
}

function checkCommand(text: string): void {
  const d = decodeCommand(text);
  if (!d.ok) {
    expect(WIRE_REASONS.has(d.reason)).toBe(true);
    return;
  }
  expect(commandSignedText(d)).toBe(d.signed);
  expect(verifyCommandSync(d, KEY, nodeHmac)).toBe(d.signed === COMMAND.slice(0, COMMAND.indexOf(';m=')) && d.mac === COMMAND.slice(-11));
}

function checkAml(text: string): void {
  const r = parseAml(text);
  if (!r.ok) {
    expect(AML_REASONS.has(r.reason)).toBe(true);
    return;
  }
  expect(Number.isNaN(r.time.getTime())).toBe(false);
  if (r.hasFix) {
    expect(Math.abs(r.latitude)).toBeLessThanOrEqual(90);
    expect(Math.abs(r.longitude)).toBeLessThanOrEqual(180);
  } else {
    expect(r.latitude).toBeNaN();
  }
  if (!Number.isNaN(r.confidencePct)) expect(r.confidencePct).toBeGreaterThanOrEqual(0);
}

describe('fuzz', () => {
  it('decodeReport: random text', () => {
    fc.assert(fc.property(fc.oneof(textish, fc.string({ unit: 'binary', maxLength: 400 })), checkReport), { numRuns: 3000 });
  });
  it('decodeReport: mutated valid reports', () => {
    fc.assert(fc.property(mutated(REPORT), checkReport), { numRuns: 5000 });
  });
  it('decodeCommand: random text and mutated valid commands', () => {
    fc.assert(fc.property(fc.oneof(textish, mutated(COMMAND)), checkCommand), { numRuns: 5000 });
  });
  it('parseAml: random text and mutated valid messages', () => {
    fc.assert(fc.property(fc.oneof(textish, mutated(AML), fc.string({ unit: 'binary', maxLength: 300 })), checkAml), { numRuns: 5000 });
  });
  it('parseAmlData: random octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (octets) => {
        const r = parseAmlData(octets);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(AML_REASONS.has(r.reason)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
  it('huge inputs are refused without trouble', () => {
    const huge = REPORT + ';'.repeat(200_000);
    expect(decodeReport(huge)).toMatchObject({ ok: false, reason: WireReason.TOO_LONG });
    expect(decodeCommand('TSC1;' + 'h='.repeat(100_000))).toMatchObject({ ok: false });
    expect(parseAml(AML + ';x=1'.repeat(100_000))).toMatchObject({ ok: false, reason: AmlReason.TOO_LONG });
    expect(parseAml('A"ML=1;' + '='.repeat(500))).toMatchObject({ ok: false });
  });
  it('long runs of CR/LF are not a quadratic trap (a regex trim was: minutes for 100 000 pairs)', () => {
    const trap = '\r\n'.repeat(100_000) + 'x';
    expect(decodeReport('TSR1;' + trap)).toMatchObject({ ok: false, reason: WireReason.TOO_LONG });
    expect(decodeReport(trap)).toMatchObject({ ok: false, reason: WireReason.NOT_MINE });
    expect(decodeCommand('TSC1;' + trap)).toMatchObject({ ok: false });
    expect(parseAml('A"ML=1;' + trap)).toMatchObject({ ok: false, reason: AmlReason.TOO_LONG });
    expect(decodeReport(REPORT + '\r\n'.repeat(100_000))).toMatchObject({ ok: true });
  });

  it('non-string input is refused, not thrown on', () => {
    for (const v of [undefined, null, 42, {}, []]) {
      expect(decodeReport(v as unknown as string)).toMatchObject({ ok: false, reason: WireReason.NOT_MINE });
      expect(decodeCommand(v as unknown as string)).toMatchObject({ ok: false });
      expect(parseAml(v as unknown as string)).toMatchObject({ ok: false, reason: AmlReason.NOT_MINE });
    }
  });
});
