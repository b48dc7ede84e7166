// The reassembler's edges a careless change would break unseen (found by a hand-run mutation check): the
// concatenation positions it accepts, a copy kept beside a part, the combination taken after a refusal, the
// late window, and the hold of an evicted message. Parts are hand-made: only from, text and concat matter here.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { MAX_COPIES, Reassembler, type ReassembledMessage, type ReassemblyPart } from '../../../protocol/sms/reassembler.js';

const AT = Date.UTC(2026, 6, 23, 12, 0, 0);
const FROM = '+447700900123';
const part = (seq: number, text: string, total = 2, ref = 7, data?: Uint8Array): ReassemblyPart => ({ from: FROM, text, concat: { ref, total, seq }, ...(data === undefined ? {} : { data }) });

function setup(opts: { timeoutMs?: number; holdMs?: number; maxPending?: number; maxParts?: number } = {}) {
  const clock = new ManualClock(AT);
  const r = new Reassembler({ clock, ...opts });
  return { clock, r };
}
const texts = (m: ReassembledMessage | undefined) => m?.parts.map((p) => p.text);
const completed = (o: ReturnType<Reassembler['add']>) => (o.status === 'complete' ? o.message : undefined);

describe('Reassembler edges', () => {
  it('a position outside 1..total, or a total over 255, is refused as a programming error', () => {
    const { r } = setup();
    expect(() => r.add(part(0, 'a'))).toThrow(RangeError);
    expect(() => r.add(part(3, 'a'))).toThrow(RangeError);
    expect(() => r.add(part(1, 'a', 256))).toThrow(RangeError);
    expect(r.add(part(1, 'a', 255)).status).toBe('pending');
  });

  it('a part "1 of 1" is a single-part message: complete at once, no concatenation, not remembered as a copy', () => {
    const { r } = setup();
    const m = completed(r.add(part(1, 'TSR1;alone', 1)));
    expect(m).toMatchObject({ text: 'TSR1;alone', concat: undefined });
    expect(r.stats.single).toBe(1);
    expect(r.add(part(1, 'TSR1;alone', 1)).status).toBe('complete'); // single-part copies are judged elsewhere
  });

  it('8-bit bodies are joined only when every part has one', () => {
    const { r } = setup();
    r.add(part(1, 'a', 2, 7, new Uint8Array([1, 2])));
    expect(completed(r.add(part(2, 'b')))).toMatchObject({ text: 'ab', data: undefined });
  });

  it('a late copy is a duplicate until timeoutMs after completion, then the start of a new message', () => {
    const { r, clock } = setup({ timeoutMs: 1_000 });
    r.add(part(1, 'a'));
    r.add(part(2, 'b'));
    clock.advance(999);
    expect(r.add(part(1, 'a'))).toEqual({ status: 'duplicate', conflicting: false });
    const { r: r2, clock: c2 } = setup({ timeoutMs: 1_000 });
    r2.add(part(1, 'a'));
    r2.add(part(2, 'b'));
    c2.advance(1_000);
    expect(r2.add(part(1, 'a')).status).toBe('pending');
  });

  it('a second copy of a conflicting copy is a plain duplicate; a copy of another part with that text is a conflict', () => {
    const { r } = setup();
    r.add(part(1, 'a', 3));
    expect(r.add(part(1, 'x', 3))).toEqual({ status: 'duplicate', conflicting: true });
    expect(r.add(part(1, 'x', 3))).toEqual({ status: 'duplicate', conflicting: false });
    r.add(part(2, 'b', 3));
    expect(r.add(part(2, 'x', 3))).toEqual({ status: 'duplicate', conflicting: true });
    expect(r.stats.conflicts).toBe(2);
  });

  it(`with ${MAX_COPIES} copies of a part held, the oldest forged copy of THAT part makes room for the newest; other parts' copies stay`, () => {
    const { r } = setup();
    r.add(part(2, 'b', 3));
    r.add(part(2, 'y', 3)); // a conflicting copy of part 2
    r.add(part(1, 'a', 3));
    for (let k = 1; k < MAX_COPIES; k++) r.add(part(1, `f${k}`, 3)); // part 1: full
    expect(r.add(part(1, 'newest', 3))).toEqual({ status: 'duplicate', conflicting: true });
    expect(r.add(part(1, 'newest', 3))).toEqual({ status: 'duplicate', conflicting: false }); // kept
    expect(r.add(part(2, 'y', 3))).toEqual({ status: 'duplicate', conflicting: false }); // part 2's copy kept
    expect(r.add(part(1, 'a', 3))).toEqual({ status: 'duplicate', conflicting: false }); // the first copy stays
    expect(r.add(part(1, 'f1', 3))).toEqual({ status: 'duplicate', conflicting: true }); // the oldest forged one went
  });

  it('reject() of a message that is not the last one offered does nothing', () => {
    const { r } = setup();
    r.add(part(1, 'a', 2, 1));
    const first = completed(r.add(part(2, 'b', 2, 1)))!;
    r.add(part(1, 'c', 2, 2));
    completed(r.add(part(2, 'd', 2, 2)));
    expect(r.reject(first)).toBeUndefined();
    expect(r.stats.refused).toBe(0);
  });

  it('after a refusal, the combination taken is the one whose late copies count as duplicates, and the copy left out still completes its own message', () => {
    const { r } = setup();
    r.add(part(1, 'a'));
    r.add(part(1, 'a2'));
    const m1 = completed(r.add(part(2, 'b')))!;
    expect(texts(m1)).toEqual(['a', 'b']);
    const m2 = r.reject(m1);
    expect(texts(m2)).toEqual(['a2', 'b']);
    expect(r.add(part(1, 'a2'))).toEqual({ status: 'duplicate', conflicting: false });
    expect(r.pendingCount).toBe(1); // 'a', left out, waits for its own part 2
    expect(texts(completed(r.add(part(2, 'c'))))).toEqual(['a', 'c']);
  });

  it('the copies left out that make a whole message on their own are completed by a later copy of any part', () => {
    const { r } = setup();
    r.add(part(1, 'a'));
    r.add(part(1, 'a2'));
    const m1 = completed(r.add(part(2, 'b')))!;
    expect(r.reject(r.reject(m1)!)).toBeUndefined(); // both refused: open, refused
    const m3 = completed(r.add(part(2, 'b2')))!; // tried with every copy of part 1: [a, b2] first
    expect(texts(m3)).toEqual(['a', 'b2']);
    // Accepted. Left out: a2 and b, a whole combination already refused; a new copy of part 1 is tried with b.
    expect(texts(completed(r.add(part(1, 'a3'))))).toEqual(['a3', 'b']);
  });

  it('a late message refused and offered again is still late', () => {
    const { r, clock } = setup({ timeoutMs: 1_000, holdMs: 10_000 });
    r.add(part(1, 'a'));
    r.add(part(1, 'a2'));
    clock.advance(1_000); // reported incomplete, held
    const m1 = completed(r.add(part(2, 'b')))!;
    expect(m1.late).toBe(true);
    expect(r.reject(m1)?.late).toBe(true);
  });

  it('a message evicted early is held from its first part for timeout + hold, not from its eviction', () => {
    const { r, clock } = setup({ timeoutMs: 600_000, holdMs: 60_000, maxPending: 1 });
    r.add(part(1, 'a', 2, 1));
    clock.advance(1_000);
    r.add(part(1, 'c', 2, 2)); // evicts message 1
    expect(r.heldCount).toBe(1);
    clock.advance(100_000); // past eviction + hold, long before first part + timeout + hold
    expect(texts(completed(r.add(part(2, 'b', 2, 1))))).toEqual(['a', 'b']);
  });

  it('with no hold, an evicted message is dropped at once', () => {
    const { r } = setup({ maxPending: 1 });
    r.add(part(1, 'a', 2, 1));
    r.add(part(1, 'c', 2, 2));
    expect(r.heldCount).toBe(0);
    expect(r.stats.dropped).toBe(1);
    expect(r.add(part(2, 'b', 2, 1)).status).toBe('pending');
  });

  it('over the parts bound, the message a part just joined is never the one given up (open)', () => {
    const { r } = setup({ maxParts: 2 });
    r.add(part(1, 'a', 3, 1));
    r.add(part(1, 'c', 3, 2));
    r.add(part(2, 'b', 3, 1)); // 3 parts held: message 2 is evicted, not message 1
    expect(r.stats.evicted).toBe(1);
    expect(texts(completed(r.add(part(3, 'z', 3, 1))))).toEqual(['a', 'b', 'z']);
  });

  it('over the parts bound, the message a part just joined is never the one given up (held for a late part)', () => {
    const { r, clock } = setup({ timeoutMs: 1_000, holdMs: 10_000, maxParts: 2 });
    r.add(part(1, 'a', 3, 1));
    clock.advance(500);
    r.add(part(1, 'c', 3, 2));
    clock.advance(500); // message 1 reported incomplete, held
    r.add(part(2, 'b', 3, 1)); // 3 parts held: message 2 goes, not message 1
    expect(texts(completed(r.add(part(3, 'z', 3, 1))))).toEqual(['a', 'b', 'z']);
  });

  it('a completion remembered again (the reference reused) is not forgotten when the older one leaves the memory', () => {
    const { r } = setup({ maxPending: 2 }); // 2 completions remembered
    r.add(part(1, 'a', 2, 1));
    r.add(part(2, 'b', 2, 1));
    r.add(part(1, 'a2', 2, 1)); // the same reference, a new message (another text)
    r.add(part(2, 'b2', 2, 1));
    r.add(part(1, 'c', 2, 2));
    r.add(part(2, 'd', 2, 2)); // the first completion leaves the memory
    expect(r.add(part(1, 'a2', 2, 1))).toEqual({ status: 'duplicate', conflicting: false });
  });
});
