import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { MAX_CANDIDATES, MAX_COPIES } from '../../../protocol/sms/reassembler.js';
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

function setup(opts: { timeoutMs?: number; holdMs?: number; maxPending?: number; maxHeld?: number } = {}) {
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

  it('an alphanumeric sender spelt like a national number does not join that number\'s message', () => {
    // A handset presented in national form (TON 0, "07700900123") and a bulk-SMS sender that chose the
    // alphanumeric name "07700900123" (TON 5, D0): same text in `from`, different senders. The alphanumeric
    // PDU is made as "X7700900123", then its first septet turned into "0" (the low 7 bits of the first
    // address octet, after 00 | fo | length | D0).
    const { r, done } = setup();
    const handset = parts(REPORT, '07700900123');
    const named = encodeDeliver({ from: 'X7700900123', text: 'x'.repeat(300), sentAt: AT, concatRef: 7 }).map((p) => {
      const first = parseInt(p.pdu.slice(8, 10), 16);
      return decodeDeliver(p.pdu.slice(0, 8) + ((first & 0x80) | 0x30).toString(16).toUpperCase().padStart(2, '0') + p.pdu.slice(10));
    });
    expect(named[1]!).toMatchObject({ from: '07700900123', fromAddress: { ton: 5 }, concat: { ref: 7, total: 2, seq: 2 } });
    expect(handset[0]!.fromAddress.ton).toBe(0);
    expect(r.add(handset[0]!)).toMatchObject({ status: 'pending' });
    expect(r.add(named[1]!)).toMatchObject({ status: 'pending' });
    expect(r.pendingCount).toBe(2);
    expect(r.add(handset[1]!)).toMatchObject({ status: 'complete', message: { text: REPORT } });
    expect(r.add(named[0]!)).toMatchObject({ status: 'complete', message: { text: 'x'.repeat(300) } });
    expect(done).toHaveLength(2);
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

  it('a completed message is never reported; the one sweep timer does not outlive the open messages', () => {
    const { r, clock, lost } = setup({ timeoutMs: 1000 });
    for (const p of parts(REPORT)) r.add(p);
    // No timer is set or cleared per message (measured cost): the sweep set for the first message stays.
    expect(clock.pendingCount).toBe(1);
    clock.advance(5000);
    expect(lost).toHaveLength(0);
    expect(clock.pendingCount).toBe(0);
  });

  it('completed keys are remembered for the last maxPending completions only (bounded memory)', () => {
    const { r } = setup({ maxPending: 2 });
    const m = ['1', '2', '3'].map((n) => parts(REPORT, `+44770090000${n}`));
    for (const ps of m) for (const p of ps) r.add(p);
    // The same key completed again (a reused reference) takes a fresh place, not the old one's.
    for (const p of parts(REPORT.replace('n=17', 'n=18'), '+447700900002')) r.add(p);
    expect(r.add(m[0]![1]!)).toEqual({ status: 'pending', received: 1, total: 2 }); // forgotten: a new message
    expect(r.add(m[2]![1]!)).toEqual({ status: 'duplicate', conflicting: false });
    expect(r.add(parts(REPORT.replace('n=17', 'n=18'), '+447700900002')[0]!)).toEqual({ status: 'duplicate', conflicting: false });
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

describe('Reassembler: refused messages (a damaged copy of a part)', () => {
  /** The parts of REPORT with part `seq`'s text changed: a damaged copy, same key and number. */
  const damaged = (seq: number) => {
    const ps = parts(REPORT);
    return { ...ps[seq - 1]!, text: `${ps[seq - 1]!.text.slice(0, -1)}#` };
  };

  it('reject() with nothing else to offer keeps the message open; the genuine copy completes it', () => {
    const { r, clock, lost } = setup({ timeoutMs: 60_000 });
    const [a, b] = parts(REPORT);
    r.add(a!);
    const bad = r.add(damaged(2));
    expect(bad.status).toBe('complete');
    expect(bad.status === 'complete' && r.reject(bad.message)).toBeUndefined();
    expect(r.pendingCount).toBe(1);
    clock.advance(30_000);
    const good = r.add(b!);
    expect(good.status === 'complete' && good.message.text).toBe(REPORT);
    expect(r.stats).toMatchObject({ completed: 2, refused: 1, conflicts: 1 });
    clock.advance(3_600_000);
    expect(lost).toEqual([]); // completed: never reported incomplete
  });

  it('two messages sharing a reference (the sender\'s counter wrapped while a part was late): both complete', () => {
    const { r, clock, lost } = setup({ timeoutMs: 600_000, holdMs: 7_200_000 });
    const older = REPORT.replace('n=17', 'n=18').replace('m=AbCdEfGhIjK', 'm=ZyXwVuTsRqP');
    const [a1, a2] = parts(older);
    const [b1, b2] = parts(REPORT);
    r.add(a2!); // a1 is late
    clock.advance(2_400_000);
    const wrong = r.add(b1!); // the reference came round again: b1 fills a's gap
    expect(wrong.status === 'complete' && wrong.message.text).toBe(b1!.text + a2!.text);
    expect(wrong.status === 'complete' && r.reject(wrong.message)).toBeUndefined();
    const b = r.add(b2!);
    expect(b.status === 'complete' && b.message.text).toBe(REPORT); // accepted: no reject()
    clock.advance(600_000);
    const a = r.add(a1!); // a's own first part, at last
    expect(a.status === 'complete' && a.message.text).toBe(older);
    clock.advance(10 * 3_600_000);
    expect(r.pendingCount + r.heldCount + r.partCount).toBe(0);
    expect(lost.map((m) => m.received)).toEqual([[2]]); // a, when its timeout passed; nothing more
  });

  it('conflicting copies are kept and every combination with the arriving part is offered, first copies first', () => {
    const { r } = setup();
    const [a, b] = parts(REPORT);
    r.add(damaged(1));
    expect(r.add(a!)).toEqual({ status: 'duplicate', conflicting: true }); // counted, but kept
    const first = r.add(b!);
    expect(first.status === 'complete' && first.message.parts[0]!.text).toBe(damaged(1).text); // the first copy first
    const second = first.status === 'complete' ? r.reject(first.message) : undefined;
    expect(second?.text).toBe(REPORT);
    expect(second !== undefined && r.reject(second)).toBeUndefined();
    expect(r.pendingCount).toBe(1); // both combinations refused: open for another copy
  });

  it('a refused message that never gets another copy is dropped silently, not reported incomplete', () => {
    const { r, clock, lost } = setup({ timeoutMs: 60_000, holdMs: 60_000 });
    const [a] = parts(REPORT);
    r.add(a!);
    const bad = r.add(damaged(2));
    if (bad.status === 'complete') r.reject(bad.message);
    clock.advance(60_000);
    expect(r.pendingCount).toBe(0);
    expect(r.heldCount).toBe(1);
    clock.advance(60_000);
    expect(r.heldCount).toBe(0);
    expect(lost).toEqual([]);
    expect(r.stats).toMatchObject({ expired: 0, dropped: 1 });
    expect(clock.pendingCount).toBe(0);
  });

  it('reject() of anything but the last completion is ignored; an accepted message is consumed', () => {
    const { r } = setup();
    const [a, b] = parts(REPORT);
    r.add(a!);
    const done = r.add(b!);
    r.add(parts('hello')[0]!);
    expect(done.status === 'complete' && r.reject(done.message)).toBeUndefined();
    expect(r.add(b!)).toEqual({ status: 'duplicate', conflicting: false });
    expect(r.stats.refused).toBe(0);
  });

  it('combinations are bounded: at most MAX_COPIES texts per part, MAX_CANDIDATES offers per arriving part', () => {
    const { r } = setup();
    const ps = parts('abcdefghij'.repeat(40)); // 3 parts
    for (let i = 0; i < MAX_COPIES + 4; i++) r.add({ ...ps[0]!, text: `${i}${ps[0]!.text}` });
    for (let i = 0; i < MAX_COPIES + 4; i++) r.add({ ...ps[1]!, text: `${i}${ps[1]!.text}` });
    expect(r.partCount).toBe(2 * MAX_COPIES); // the memory bound: 4 more copies of each part than it keeps
    let m = r.add(ps[2]!);
    let offered = 0;
    while (m.status === 'complete') {
      offered++;
      const next = r.reject(m.message);
      m = next === undefined ? { status: 'pending', received: 3, total: 3 } : { status: 'complete', message: next };
    }
    expect(offered).toBe(MAX_CANDIDATES); // of 16 x 16 copies held, the arriving part fixed
    expect(r.stats.conflicts).toBe(2 * (MAX_COPIES + 3));
  });

  // Forged copies of part 2 (a spoofed originator, her next reference) on both sides of the genuine part 2,
  // before part 1 arrives: for every split of up to 15 forgeries into before and after, the genuine text is
  // among the combinations offered when part 1 comes. With 4 copies per part, one forgery ahead and three
  // after pushed it out.
  it('up to 15 forged copies of a part, in any order: the genuine message is offered', () => {
    const [a, b] = parts(REPORT);
    const forged = (i: number): SmsDeliver => ({ ...b!, text: `${b!.text.slice(0, -11)}FORGED${String(i).padStart(5, '0')}` });
    let cases = 0;
    for (let n = 1; n <= 15; n++) {
      for (let ahead = 0; ahead <= n; ahead++) {
        const { r } = setup();
        for (let i = 0; i < ahead; i++) r.add(forged(i));
        r.add(b!);
        for (let i = ahead; i < n; i++) r.add(forged(i));
        const texts: string[] = [];
        for (let out = r.add(a!), m = out.status === 'complete' ? out.message : undefined; m !== undefined; m = r.reject(m)) texts.push(m.text);
        expect(texts, `${ahead} ahead, ${n - ahead} after`).toContain(REPORT);
        expect(texts).toHaveLength(n + 1);
        cases++;
      }
    }
    expect(cases).toBe(135);
  });
});

describe('Reassembler: late parts and the one sweep timer', () => {
  it('reported incomplete at timeoutMs, then completed by a part that comes within holdMs', () => {
    const { r, clock, lost, done } = setup({ timeoutMs: 60_000, holdMs: 3_600_000 });
    const [a, b] = parts(REPORT);
    r.add(a!);
    clock.advance(60_000);
    expect(lost).toMatchObject([{ reason: 'expired', missing: [2] }]);
    expect(r.heldCount).toBe(1);
    clock.advance(1_800_000);
    const out = r.add(b!);
    expect(out.status === 'complete' && out.message).toMatchObject({ text: REPORT, late: true, firstSeenAt: AT });
    expect(done).toHaveLength(1);
    expect(r.stats).toMatchObject({ expired: 1, late: 1 });
    expect(r.heldCount).toBe(0);
  });

  it('after holdMs the parts are gone: the late part starts a message of its own', () => {
    const { r, clock, lost } = setup({ timeoutMs: 60_000, holdMs: 600_000 });
    const [a, b] = parts(REPORT);
    r.add(a!);
    clock.advance(660_000);
    expect(r.heldCount).toBe(0);
    expect(r.add(b!)).toEqual({ status: 'pending', received: 1, total: 2 });
    clock.advance(60_000);
    expect(lost.map((m) => m.missing)).toEqual([[2], [1]]);
  });

  it('held messages are bounded by maxHeld (the oldest dropped)', () => {
    const { r, clock } = setup({ timeoutMs: 1000, holdMs: 3_600_000, maxHeld: 2 });
    for (const n of ['1', '2', '3']) r.add(parts(REPORT, `+44770090000${n}`)[0]!);
    clock.advance(1000);
    expect(r.heldCount).toBe(2);
    expect(r.stats.dropped).toBe(1);
    expect(r.add(parts(REPORT, '+447700900001')[1]!).status).toBe('pending'); // its part 1 was dropped
    expect(r.add(parts(REPORT, '+447700900003')[1]!).status).toBe('complete');
  });

  it('parts held are bounded by maxParts: the oldest kept message goes first, then the oldest open one', () => {
    const clock = new ManualClock(AT);
    const lost: IncompleteMessage<SmsDeliver>[] = [];
    const r = new Reassembler<SmsDeliver>({ clock, timeoutMs: 1000, holdMs: 3_600_000, maxParts: 4, onIncomplete: (m) => lost.push(m) });
    const three = (n: string) => parts('abcdefghij'.repeat(40), `+44770090000${n}`);
    for (const p of three('1').slice(0, 2)) r.add(p);
    clock.advance(1000); // message 1 reported, kept (2 parts)
    for (const p of three('2').slice(0, 2)) r.add(p); // 4 parts
    expect(r.partCount).toBe(4);
    r.add(three('3')[0]!); // 5 > 4: kept message 1 dropped
    expect([r.heldCount, r.pendingCount, r.partCount]).toEqual([0, 2, 3]);
    r.add(three('3')[1]!);
    r.add({ ...three('3')[1]!, text: 'conflicting copy' }); // 5 > 4 again: open message 2 evicted (and dropped)
    expect(lost.map((m) => [m.reason, m.from])).toEqual([
      ['expired', '+447700900001'],
      ['evicted', '+447700900002'],
    ]);
    expect(r.partCount).toBeLessThanOrEqual(4);
    expect(r.stats.dropped).toBe(2);
  });

  it('one timer for any number of open messages, each reported at its own deadline', () => {
    const { r, clock, lost } = setup({ timeoutMs: 60_000 });
    for (let i = 0; i < 50; i++) {
      r.add(parts(REPORT, '+447700900123', i)[0]!);
      clock.advance(1000);
    }
    expect(clock.pendingCount).toBe(1);
    clock.advance(10_000); // t = 60 s: the first message is due
    expect(lost.map((m) => m.reportedAt - m.firstSeenAt)).toEqual([60_000]);
    clock.advance(60_000);
    expect(lost).toHaveLength(50);
    expect(lost.every((m) => m.reportedAt - m.firstSeenAt === 60_000)).toBe(true);
    expect(clock.pendingCount).toBe(0);
  });
});
