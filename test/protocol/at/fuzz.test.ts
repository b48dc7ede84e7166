// Property tests: random and mutated byte streams into the splitter, the engine and every parser. Nothing may
// throw; the splitter must not depend on chunking; every command must resolve (final, timeout, cancel) once the
// clock has run past its timeouts; the engine's output stays bounded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as at from '../../../protocol/at/index.js';
import { AtEngine, LineSplitter, splitLines, type AtCommand, type AtResult, type SplitterEvent } from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { FakeModem, bytesOf, flush } from './fake-modem.js';

const PDU = '0791447758100650040C9144770009406500006210100100000005E8329BFD06';

/** Real answers and URCs, as the seeds that mutations start from. */
const SEEDS = [
  'AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n',
  '\r\nRING\r\n\r\n+CLIP: "+447700900456",145,,,,0\r\n',
  `\r\n+CMT: ,24\r\n${PDU}\r\n`,
  '\r\n+CMTI: "SM",3\r\n',
  `\r\n+CMGL: 1,0,,24\r\n${PDU}\r\n\r\nOK\r\n`,
  'AT+CMGS=24\r\r\n> ',
  '\r\n+CMGS: 7\r\n\r\nOK\r\n',
  '\r\n+CME ERROR: 10\r\n',
  '\r\n+CMS ERROR: 330\r\n',
  '\r\nNO CARRIER\r\n',
  '\r\n+CREG: 2,1,"1A2B","00C3"\r\n\r\nOK\r\n',
  '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n',
  '\r\n+CLCC: 1,1,4,0,0,"+447700900456",145,"Smith, Jane"\r\n\r\nOK\r\n',
  '\r\nERROR\r\n',
  '\r\n>',
  ' ',
];

type Mutation = { at: number; kind: 'insert' | 'delete' | 'replace' | 'duplicate'; byte: number; len: number };

const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom<Mutation['kind']>('insert', 'delete', 'replace', 'duplicate'),
  byte: fc.integer({ min: 0, max: 255 }),
  len: fc.integer({ min: 1, max: 12 }),
});

function mutate(bytes: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  const b = Array.from(bytes);
  for (const m of muts) {
    const i = b.length === 0 ? 0 : m.at % (b.length + 1);
    if (m.kind === 'insert') b.splice(i, 0, m.byte);
    else if (m.kind === 'delete') b.splice(i, m.len);
    else if (m.kind === 'replace' && i < b.length) b[i] = m.byte;
    else if (m.kind === 'duplicate') b.splice(i, 0, ...b.slice(i, i + m.len));
  }
  return Uint8Array.from(b);
}

/** A stream: random bytes, or seeds mutated and concatenated. */
const stream = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc
    .tuple(fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 8 }), fc.array(mutation, { maxLength: 6 }))
    .map(([parts, muts]) => mutate(bytesOf(parts.join('')), muts)),
);

function chunked(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  let k = 0;
  while (i < bytes.length) {
    const n = sizes.length === 0 ? bytes.length : Math.max(1, sizes[k++ % sizes.length] as number);
    out.push(bytes.slice(i, i + n));
    i += n;
  }
  return out;
}

describe('fuzz: line splitter', () => {
  it('never throws, emits clean bounded lines, and does not depend on chunking', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 6 }), (bytes, sizes) => {
        const whole = splitLines(bytes, { maxLineBytes: 128 });
        const parts: SplitterEvent[] = [];
        const sp = new LineSplitter((e) => parts.push(e), { maxLineBytes: 128 });
        for (const c of chunked(bytes, sizes)) sp.push(c);
        expect(parts).toEqual(whole);
        for (const e of whole) {
          if (e.kind === 'line') {
            expect(e.text).not.toBe('');
            expect(e.text).not.toMatch(/[\x00-\x1f\x7f]/);
            expect(e.text.length).toBeLessThanOrEqual(128);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});

const built = (b: at.BuildResult): AtCommand => {
  if (!b.ok) throw new Error(b.reason);
  return b.command;
};

const COMMANDS: AtCommand[] = [
  at.csq(),
  at.cregRead(),
  at.clcc(),
  at.cgmi(),
  at.cmgl(),
  at.cmgr(1),
  at.answer(),
  built(at.dial('999')),
  built(at.cmgs(23, '0011000C914477000940650000FF0BE8329BFD4697D9EC37')),
  at.atCommand('AT'),
];

type Action =
  | { kind: 'send'; cmd: number }
  | { kind: 'feed'; bytes: Uint8Array; chunk: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'cancel'; which: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), cmd: fc.nat(COMMANDS.length - 1) }),
  fc.record({ kind: fc.constant('feed' as const), bytes: stream, chunk: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 8000 }) }),
  fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }),
);

describe('fuzz: engine', () => {
  it('never throws on any input, and every command resolves once its timeouts have passed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 40 }), async (actions) => {
        const clock = new ManualClock(0);
        const modem = new FakeModem();
        const engine = new AtEngine(modem, { clock });
        engine.onUrc(() => undefined);
        const pending: { p: at.PendingCommand; result: AtResult | undefined }[] = [];
        for (const a of actions) {
          if (a.kind === 'send') {
            const p = engine.enqueue(COMMANDS[a.cmd] as AtCommand);
            const entry = { p, result: undefined as AtResult | undefined };
            void p.result.then((r) => (entry.result = r));
            pending.push(entry);
          } else if (a.kind === 'feed') modem.feed(String.fromCharCode(...a.bytes), a.chunk);
          else if (a.kind === 'advance') clock.advance(a.ms);
          else if (pending.length > 0) pending[a.which % pending.length]?.p.cancel();
        }
        // Upper bound: per command its longest prompt + answer timeout plus a full resync.
        clock.advance(pending.length * (5000 + 60_000 + 2 * 1000 + 100) + 1);
        await flush();
        expect(pending.filter((e) => e.result === undefined)).toEqual([]);
        expect(engine.busy).toBe(false);
        expect(clock.pendingCount).toBe(0);
        // Bounded output: each command writes at most its line, its body and an ESC, plus resync probes; and
        // one ESC per prompt that came when none was expected.
        expect(modem.written.length).toBeLessThanOrEqual(pending.length * (3 + 2) + engine.stats.strayPrompts);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzz: parsers', () => {
  const lineParsers: ((line: string) => at.Parsed<unknown>)[] = [
    at.parseCsq,
    at.parseCreg,
    at.parseCops,
    at.parseClcc,
    at.parseClip,
    at.parseCring,
    at.parseCmgs,
    at.parseCmti,
    at.parseCpms,
    at.parseCsca,
    at.parseCbc,
    at.parseCmee,
    (l) => at.parseCmt(l, PDU),
  ];
  const linesParsers: ((lines: string[]) => at.Parsed<unknown>)[] = [at.parseIdentity, at.parseImei, at.parseImsi, at.parseCmgr, at.parseCmgl];
  const LINES = [
    '+CSQ: 20,99',
    '+CREG: 2,1,"1A2B","00C3",7',
    '+COPS: 0,0,"Vodafone UK",7',
    '+CLCC: 1,1,4,0,0,"+447700900456",145,"Smith, Jane"',
    '+CLIP: "+447700900456",145,,,,0',
    '+CMGS: 12',
    '+CMTI: "SM",3',
    '+CPMS: "SM",3,30,"SM",3,30,"SM",3,30',
    '+CSCA: "+447785016005",145',
    '+CBC: 0,85,4012',
    '+CMGR: 0,,24',
    '+CMGL: 1,0,,24',
    '+CMT: ,24',
    PDU,
    '+CME ERROR: 10',
  ];
  const text = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.tuple(fc.constantFrom(...LINES), fc.array(mutation, { maxLength: 5 })).map(([l, m]) => String.fromCharCode(...mutate(bytesOf(l), m))),
  );

  it('never throw; every rejection carries a kind and a reason', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), (lines) => {
        const results = [
          ...lines.flatMap((l) => lineParsers.map((p) => p(l))),
          ...linesParsers.map((p) => p(lines)),
          ...lines.map((l) => at.parseFinalResult(l)).filter((r) => r !== undefined).map((r) => ({ ok: true, value: r }) as const),
        ];
        for (const r of results) {
          if (!r.ok) {
            expect(['not-mine', 'corrupt']).toContain(r.failure);
            expect(r.reason.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
