// Property tests (fast-check): round trips through the encoders, decoders and the reassembler, and what
// the decoders do with random and mutated input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import {
  Reassembler,
  SmsDecodeError,
  decodeDeliver,
  decodeSubmit,
  encodeDeliver,
  encodeSubmit,
  tryDecodeDeliver,
  tryDecodeIncoming,
  tryDecodeStatusReport,
  tryDecodeSubmit,
  type SmsDeliver,
} from '../../../protocol/sms/index.js';
import { fromHex, toHex } from '../../../protocol/sms/hex.js';
import { MAX_CANDIDATES, MAX_COPIES } from '../../../protocol/sms/reassembler.js';
import { gsmText, phoneNumber, sentAt, ucs2Text } from './arbitraries.js';

const RUNS = { numRuns: 300 };
const alnumSender = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,10}$/);
const encoding = fc.constantFrom('auto' as const, 'ucs2' as const);
const text = fc.oneof(gsmText(500), ucs2Text(200));

/** Shuffles and duplicates `items` using a stream of random numbers. */
function deliverOrder<T>(items: readonly T[], rnd: Iterator<number>, dupRate: number): T[] {
  const out: T[] = [];
  for (const it of items) {
    out.push(it);
    if (rnd.next().value % 100 < dupRate) out.push(it);
  }
  return out.map((x) => ({ x, k: rnd.next().value })).sort((a, b) => a.k - b.k).map((e) => e.x);
}

describe('round trips', () => {
  it('encodeSubmit -> decodeSubmit: destination, text (parts joined), concatenation and lengths', () => {
    fc.assert(
      fc.property(phoneNumber, text, encoding, fc.constantFrom(8 as const, 16 as const), fc.boolean(), (to, body, enc, bits, srr) => {
        const parts = encodeSubmit(to, body, { encoding: enc, concatRefBits: bits, concatRef: 200, requestStatusReport: srr });
        const ds = parts.map((p) => decodeSubmit(p.pdu, { tpduLength: p.tpduLength }));
        expect(ds.map((d) => d.text).join('')).toBe(body);
        for (const [i, d] of ds.entries()) {
          expect(d.to).toBe(to);
          expect(d.requestStatusReport).toBe(srr);
          expect(d.concat).toEqual(parts.length > 1 ? { ref: 200, total: parts.length, seq: i + 1 } : undefined);
          if (parts.length > 1) expect(d.udh.map((e) => e.iei)).toEqual([bits === 16 ? 0x08 : 0x00]);
          expect(parts[i]!.pdu).toBe(parts[i]!.pdu.toUpperCase());
        }
      }),
      RUNS,
    );
  });

  it('8-bit data: encodeSubmit -> decodeSubmit gives the octets back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (data) => {
        const ds = encodeSubmit('+447700900123', data, { concatRef: 1 }).map((p) => decodeSubmit(p.pdu));
        expect(Uint8Array.from(ds.flatMap((d) => [...d.data!]))).toEqual(data);
      }),
      RUNS,
    );
  });

  it('encodeDeliver -> decodeDeliver -> reassembler, parts in random order and duplicated', () => {
    fc.assert(
      fc.property(
        fc.oneof(phoneNumber, alnumSender),
        text,
        sentAt,
        fc.integer({ min: 0, max: 65535 }),
        fc.constantFrom(8 as const, 16 as const),
        fc.infiniteStream(fc.nat()),
        (from, body, t, ref, bits, rnd) => {
          const parts = encodeDeliver({ from, text: body, sentAt: t.at, offsetMinutes: t.offset, concatRef: bits === 8 ? ref & 0xff : ref, concatRefBits: bits });
          const ds = parts.map((p) => decodeDeliver(p.pdu, { tpduLength: p.tpduLength }));
          for (const d of ds) {
            expect(d.from).toBe(from);
            expect(d.sentAt.getTime()).toBe(t.at);
            expect(d.sentAtOffsetMinutes).toBe(t.offset);
          }
          const done: string[] = [];
          const r = new Reassembler<SmsDeliver>({ clock: new ManualClock(), onComplete: (m) => done.push(m.text) });
          // Single-part messages pass straight through (their duplicates are the report layer's anti-replay job).
          const arrivals = deliverOrder(ds, rnd, ds.length > 1 ? 30 : 0);
          for (const d of arrivals) r.add(d);
          expect(done).toEqual([body]);
          expect(r.stats.duplicates).toBe(arrivals.length - ds.length);
          expect(r.pendingCount).toBe(0);
        },
      ),
      RUNS,
    );
  });
});

describe('reassembler under random traffic', () => {
  it('never throws, holds at most maxPending, and every message it gives is whole and in order', () => {
    const part = fc.record({
      from: fc.constantFrom('+447700900001', '+447700900002'),
      ref: fc.nat(3),
      total: fc.integer({ min: 1, max: 4 }),
      seqPick: fc.nat(),
      text: fc.constantFrom('a', 'b'),
      wait: fc.nat(5000),
    });
    fc.assert(
      fc.property(fc.array(part, { maxLength: 60 }), (events) => {
        const clock = new ManualClock(0);
        const out: { from: string; total: number; seqs: number[] }[] = [];
        let given = 0;
        const r = new Reassembler({
          clock,
          timeoutMs: 20_000,
          maxPending: 3,
          onComplete: (m) => out.push({ from: m.from, total: m.concat?.total ?? 1, seqs: m.parts.map((p) => p.concat?.seq ?? 1) }),
          onIncomplete: (m) => {
            given++;
            expect(m.received.length + m.missing.length).toBe(m.total);
            expect(m.missing.length).toBeGreaterThan(0);
          },
        });
        for (const e of events) {
          const seq = (e.seqPick % e.total) + 1;
          r.add({ from: e.from, text: e.text, concat: { ref: e.ref, total: e.total, seq } });
          expect(r.pendingCount).toBeLessThanOrEqual(3);
          clock.advance(e.wait);
        }
        for (const m of out) expect(m.seqs).toEqual(Array.from({ length: m.total }, (_, i) => i + 1));
        expect(given).toBe(r.stats.expired + r.stats.evicted);
        clock.advance(60_000);
        expect(r.pendingCount).toBe(0);
        expect(r.partCount).toBe(0);
      }),
      RUNS,
    );
  });
});

describe('hostile input', () => {
  const decoders = [tryDecodeDeliver, tryDecodeSubmit, tryDecodeStatusReport, tryDecodeIncoming];

  it('random hex (with and without the SMSC field) never throws from the try API', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, smsc) => {
        const hex = toHex(bytes);
        for (const dec of decoders) {
          const r = dec(hex, { smsc });
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.reason).toMatch(/^[a-z-]+$/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('random strings never throw from the try API; the throwing API throws only SmsDecodeError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        for (const dec of decoders) expect(() => dec(s)).not.toThrow();
        try {
          decodeDeliver(s);
        } catch (e) {
          expect(e).toBeInstanceOf(SmsDecodeError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('valid PDUs with octets flipped, cut or spliced never throw', () => {
    const valid = fc
      .tuple(phoneNumber, text, sentAt)
      .map(([from, body, t]) => encodeDeliver({ from, text: body, sentAt: t.at, concatRef: 3, smsc: '+447785016005' })[0]!.pdu);
    fc.assert(
      fc.property(valid, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }), fc.nat(), (hex, flips, cut) => {
        const b = fromHex(hex)!;
        for (const [i, v] of flips) b[i % b.length] = v;
        const mutated = toHex(b.subarray(0, Math.max(1, b.length - (cut % 4))));
        for (const dec of decoders) expect(() => dec(mutated)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('one stray or missing octet', () => {
  // The TPDU is the last n octets of the PDU, n = what the AT layer announced (+CMT: ,<n>; +CMGR; +CMGL).
  // An insertion or deletion at index p >= 1 keeps the SMSC length octet and so the SMSC field: the TPDU
  // that follows is then n +- 1 octets and the length check refuses it. At p = 0 the new first octet is
  // read as the SMSC length; only when it lands exactly where the old TPDU starts do the lengths agree,
  // and then the TPDU is byte-identical. So, provably: refused, or the same message.
  const single = fc.record({
    from: phoneNumber,
    body: text,
    t: sentAt,
    insert: fc.boolean(),
    at: fc.nat(),
    octet: fc.nat(255),
  });

  function mutate(hex: string, insert: boolean, at: number, octet: number): { hex: string; p: number } {
    const b = [...fromHex(hex)!];
    const p = at % (b.length + (insert ? 1 : 0));
    if (insert) b.splice(p, 0, octet);
    else b.splice(p, 1);
    return { hex: b.length ? toHex(Uint8Array.from(b)) : '', p };
  }

  it('with the announced TPDU length: refused, or the very same originator, time and text', () => {
    fc.assert(
      fc.property(single, ({ from, body, t, insert, at, octet }) => {
        const [p] = encodeDeliver({ from, text: body, sentAt: t.at, smsc: '+447785016005', concatRef: 1 });
        const orig = decodeDeliver(p!.pdu);
        const m = mutate(p!.pdu, insert, at, octet);
        const r = tryDecodeDeliver(m.hex, { tpduLength: p!.tpduLength });
        if (r.ok) {
          expect(m.p).toBe(0);
          expect([r.value.from, r.value.text, r.value.sentAt.getTime(), r.value.udh]).toEqual([orig.from, orig.text, orig.sentAt.getTime(), orig.udh]);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('the one way through at index 0: a new SMSC length that ends where the TPDU starts', () => {
    const [p] = encodeDeliver({ from: '+447700900123', text: 'hello', sentAt: Date.UTC(2026, 0, 1), smsc: '+447785016005' });
    const r = tryDecodeDeliver('08' + p!.pdu, { tpduLength: p!.tpduLength });
    expect(r.ok && [r.value.smsc, r.value.text]).toEqual(['19447785016005', 'hello']);
    expect(tryDecodeDeliver('09' + p!.pdu, { tpduLength: p!.tpduLength })).toMatchObject({ ok: false, reason: 'bad-length' });
  });

  it('without it: an insertion or deletion after TP-UDL (in the user data, or at the end) is always refused', () => {
    fc.assert(
      fc.property(single, ({ from, body, t, insert, at, octet }) => {
        const [p] = encodeDeliver({ from, text: body, sentAt: t.at, smsc: '+447785016005', concatRef: 1 });
        const total = p!.pdu.length / 2;
        // The user data is what TP-UDL implies, at the end; TP-UDL is the octet before it.
        const udl = udlOf(p!.pdu);
        const udOctets = decodeDeliver(p!.pdu).encoding === 'gsm7' ? Math.ceil((udl * 7) / 8) : udl;
        const udlIndex = total - udOctets - 1;
        const m = mutate(p!.pdu, insert, at, octet);
        fc.pre(m.p > udlIndex);
        expect(tryDecodeDeliver(m.hex)).toMatchObject({ ok: false });
      }),
      { numRuns: 1500 },
    );
  });
});

/** TP-UDL of a DELIVER we encoded (walks its header). */
function udlOf(hex: string): number {
  const b = fromHex(hex)!;
  let i = 1 + b[0]!; // SMSC
  i += 1; // first octet
  i += 2 + ((b[i]! + 1) >> 1); // OA
  i += 2 + 7; // PID, DCS, SCTS
  return b[i]!;
}

describe('reassembler with damaged copies and a consumer that checks the whole text (as a MAC does)', () => {
  it('the genuine message is accepted once all its genuine parts have arrived, a damaged combination never', () => {
    const arrival = fc.record({ seq: fc.nat(), damaged: fc.nat(5), wait: fc.nat(300_000) });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(arrival, { minLength: 1, maxLength: 14 }), (total, arrivals) => {
        const clock = new ManualClock(0);
        const genuine = Array.from({ length: total }, (_, i) => `part ${i + 1} of the genuine report;`);
        const r = new Reassembler({ clock, timeoutMs: 600_000, holdMs: 6_600_000 });
        const want = genuine.join('');
        let accepted = 0;
        const copies = new Map<number, string[]>(); // distinct texts held per part, oldest first
        /** Every part's genuine text is among the copies held. */
        const allGenuineHeld = () => genuine.every((g, i) => copies.get(i + 1)?.includes(g) === true);
        let acceptedAfter: boolean | undefined;
        let last = 0;
        for (const a of arrivals) {
          const seq = (a.seq % total) + 1;
          // damaged 0 = the genuine copy; 1..5 = one of five damaged versions of that part
          const text = a.damaged === 0 ? genuine[seq - 1]! : `${genuine[seq - 1]!.slice(0, -1)}#${a.damaged}`;
          const kept = copies.get(seq) ?? [];
          copies.set(seq, kept);
          // The reassembler holds at most MAX_COPIES distinct texts per part: a further one replaces the
          // oldest after the first (forged copies, sent ahead or after, must not keep the genuine one out).
          if (!kept.includes(text)) {
            if (kept.length >= MAX_COPIES) kept.splice(1, 1);
            kept.push(text);
          }
          let out = r.add({ from: '+447700900123', text, concat: { ref: 9, total, seq } });
          while (out.status === 'complete') {
            expect(out.message.parts.map((p) => p.concat?.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
            if (out.message.text === want) {
              accepted++;
              acceptedAfter = allGenuineHeld();
              break;
            }
            const next = r.reject(out.message);
            out = next === undefined ? { status: 'pending', received: total, total } : { status: 'complete', message: next };
          }
          if (accepted > 0) break;
          clock.advance(a.wait);
          last = clock.now();
        }
        // Accepted at most once, only when every genuine part was held, and always when they all are at the end
        // (the combinations tried per arriving part are not cut short ... unless more than MAX_CANDIDATES
        // combinations exist, which 4 parts with several damaged copies can reach).
        expect(accepted).toBeLessThanOrEqual(1);
        if (accepted === 1) expect(acceptedAfter).toBe(true);
        clock.advance(10 * 3_600_000);
        expect([r.pendingCount, r.heldCount, r.partCount]).toEqual([0, 0, 0]); // nothing leaks
        const combos = [...copies.values()].reduce((n, s) => n * Math.max(1, s.length), 1);
        if (allGenuineHeld() && combos <= MAX_CANDIDATES && last < 7_200_000) expect(accepted).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
