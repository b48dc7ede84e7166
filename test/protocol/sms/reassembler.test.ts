import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import {
  Reassembler,
  decodeDeliver,
  encodeDeliver,
  type IncompleteMessage,
  type ReassembledMessage,
  type SmsDeliver,
} from '../../../protocol/sms/index.js';

const AT = Date.UTC(2026, 6, 23, 12, 0, 0);
const REPORT = 'TSR1;h=HS0042;n=17;e=ALM;b=81;q=19;$GPRMC,120000,A,5130.0000,N,00007.0000,W,0.0,0.0,230726,,,A*6B;$GPGGA,120000,5130.0000,N,00007.0000,W,1,08,0.9,12.0,M,47.0,M,,*4D;m=AbCdEfGhIjK';

function parts(text: string, from = '+447700900123', ref = 7): SmsDeliver[] {
  return encodeDeliver({ from, text, sentAt: AT, concatRef: ref }).map((p) => decodeDeliver(p.pdu));
}

function setup(opts: { timeoutMs?: number; maxPending?: number } = {}) {
  const clock = new ManualClock(AT);
  const done: ReassembledMessage<SmsDeliver>[] = [];
  const lost: IncompleteMessage<SmsDeliver>[] = [];
  const r = new Reassembler<SmsDeliver>({ clock, ...opts, onComplete: (m) => done.push(m), onIncomplete: (m) => lost.push(m) });
  return { clock, r, done, lost };
}

describe('Reassembler', () => {
  it('a report-size 2-part message in order: pending, then complete with the whole text', () => {
    const { r, done } = setup();
    const [a, b] = parts(REPORT);
    expect(r.add(a!)).toEqual({ status: 'pending', received: 1, total: 2 });
    const out = r.add(b!);
    expect(out.status).toBe('complete');
    expect(out.status === 'complete' && out.message.text).toBe(REPORT);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ from: '+447700900123', text: REPORT, concat: { ref: 7, total: 2, refBits: 8 }, duplicates: 0 });
    expect(done[0]!.parts.map((p) => p.concat!.seq)).toEqual([1, 2]);
    expect(r.pendingCount).toBe(0);
  });

  it('out of order: the text is joined by part number, not arrival', () => {
    const { r } = setup();
    const ps = parts('abcdefghij'.repeat(40)); // 3 parts
    expect(ps).toHaveLength(3);
    r.add(ps[2]!);
    r.add(ps[0]!);
    const out = r.add(ps[1]!);
    expect(out.status === 'complete' && out.message.text).toBe('abcdefghij'.repeat(40));
  });

  it('a duplicated part is counted, not doubled into the text, before and after completion', () => {
    const { r, done } = setup();
    const [a, b] = parts(REPORT);
    r.add(a!);
    expect(r.add(a!)).toEqual({ status: 'duplicate', conflicting: false });
    r.add(b!);
    expect(r.add(b!)).toEqual({ status: 'duplicate', conflicting: false }); // late copy after completion
    expect(r.add(a!)).toEqual({ status: 'duplicate', conflicting: false });
    expect(done).toHaveLength(1);
    expect(done[0]!.text).toBe(REPORT);
    expect(done[0]!.duplicates).toBe(1);
    expect(r.stats).toMatchObject({ completed: 1, duplicates: 3, conflicts: 0 });
    expect(r.pendingCount).toBe(0);
  });

  it('a part with the same number and another text is a conflict: counted, first copy kept', () => {
    const { r } = setup();
    const [a, b] = parts(REPORT);
    r.add(a!);
    expect(r.add({ ...a!, text: 'forged' })).toEqual({ status: 'duplicate', conflicting: true });
    const out = r.add(b!);
    expect(out.status === 'complete' && out.message.text).toBe(REPORT);
    expect(r.stats.conflicts).toBe(1);
  });

  it('a sender that reuses a reference for a new message is not taken for a duplicate', () => {
    const { r, done } = setup();
    for (const p of parts(REPORT)) r.add(p);
    const second = REPORT.replace('n=17', 'n=18');
    for (const p of parts(second)) r.add(p);
    expect(done.map((m) => m.text)).toEqual([REPORT, second]);
  });

  it('same reference from two senders, or with another total, are different messages', () => {
    const { r, done } = setup();
    const x = parts(REPORT, '+447700900001');
    const y = parts(REPORT, '+447700900002');
    const z = parts('q'.repeat(400), '+447700900001'); // 3 parts, same ref 7
    r.add(x[0]!);
    r.add(y[0]!);
    r.add(z[0]!);
    expect(r.pendingCount).toBe(3);
    r.add(y[1]!);
    r.add(x[1]!);
    r.add(z[1]!);
    r.add(z[2]!);
    expect(done.map((m) => m.from)).toEqual(['+447700900002', '+447700900001', '+447700900001']);
    expect(done[2]!.text).toBe('q'.repeat(400));
  });

  it('an 8-bit and a 16-bit reference with the same number are different messages', () => {
    const { r, done } = setup();
    const wide = encodeDeliver({ from: '+447700900123', text: REPORT, sentAt: AT, concatRef: 7, concatRefBits: 16 }).map((p) => decodeDeliver(p.pdu));
    const narrow = parts(REPORT);
    r.add(wide[0]!);
    expect(r.add(narrow[0]!)).toMatchObject({ status: 'pending' });
    expect(r.pendingCount).toBe(2);
    r.add(narrow[1]!);
    r.add(wide[1]!);
    expect(done.map((m) => m.concat?.refBits)).toEqual([8, 16]);
  });

  it('a part that never arrives: expires after timeoutMs and reports what it had', () => {
    const { r, clock, lost, done } = setup({ timeoutMs: 60_000 });
    const ps = parts('abcdefghij'.repeat(40));
    r.add(ps[0]!);
    clock.advance(30_000);
    r.add(ps[2]!);
    clock.advance(29_999);
    expect(lost).toHaveLength(0);
    clock.advance(1);
    expect(done).toHaveLength(0);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ reason: 'expired', from: '+447700900123', ref: 7, total: 3, received: [1, 3], missing: [2], firstSeenAt: AT, reportedAt: AT + 60_000 });
    expect(lost[0]!.text).toBe(ps[0]!.text + ps[2]!.text);
    expect(r.stats.expired).toBe(1);
    expect(r.pendingCount).toBe(0);
    expect(clock.pendingCount).toBe(0);
  });

  it('bounded memory: the oldest open message is evicted, with a report, to make room', () => {
    const { r, lost } = setup({ maxPending: 2 });
    const a = parts(REPORT, '+447700900001');
    const b = parts(REPORT, '+447700900002');
    const c = parts(REPORT, '+447700900003');
    r.add(a[0]!);
    r.add(b[0]!);
    r.add(c[0]!);
    expect(r.pendingCount).toBe(2);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ reason: 'evicted', from: '+447700900001', received: [1], missing: [2] });
    expect(r.stats.evicted).toBe(1);
  });

  it('a completed message cancels its expiry timer', () => {
    const { r, clock, lost } = setup({ timeoutMs: 1000 });
    for (const p of parts(REPORT)) r.add(p);
    expect(clock.pendingCount).toBe(0);
    clock.advance(5000);
    expect(lost).toHaveLength(0);
  });

  it('single-part messages complete at once; 8-bit bodies are joined as octets', () => {
    const { r, done } = setup();
    const [one] = parts('hello');
    expect(r.add(one!)).toMatchObject({ status: 'complete', message: { text: 'hello', concat: undefined } });
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const bin = encodeDeliver({ from: '+447700900123', text: data, sentAt: AT, concatRef: 9 }).map((p) => decodeDeliver(p.pdu));
    for (const p of bin.reverse()) r.add(p);
    expect(done[1]!.data).toEqual(data);
    expect(r.stats.single).toBe(1);
  });

  it('close() cancels every timer', () => {
    const { r, clock, lost } = setup();
    r.add(parts(REPORT)[0]!);
    expect(r.close()).toBe(1);
    expect(clock.pendingCount).toBe(0);
    clock.advance(3_600_000);
    expect(lost).toHaveLength(0);
  });

  it('a hand-made part outside 1..total is a programming error', () => {
    const { r } = setup();
    expect(() => r.add({ from: 'x', text: 'y', concat: { ref: 1, total: 2, seq: 3 } } as SmsDeliver)).toThrow(RangeError);
    expect(() => r.add({ from: 'x', text: 'y', concat: { ref: 1, total: 0, seq: 0 } } as SmsDeliver)).toThrow(RangeError);
  });

  it('refuses a nonsensical configuration at construction', () => {
    expect(() => new Reassembler({ clock: new ManualClock(), maxPending: 0 })).toThrow(/maxPending/);
    expect(() => new Reassembler({ clock: new ManualClock(), timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
