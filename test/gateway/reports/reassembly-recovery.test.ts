// Two ways a genuine concatenated report used to be lost although its bytes did arrive (found by the
// line-noise soak test, test/system/line-noise.test.ts):
//
// 1. Poisoned reassembly: serial noise changes one character of a part's text (the PDU still decodes); that
//    copy completes the message, the MAC fails (bad-mac), and the genuine copy read later was only a
//    "duplicate". Now a message that fails its checks does not consume its parts: the genuine copy completes
//    it again, and every combination that fails is still counted as rejected, never accepted.
// 2. Parts read more than the reassembly timeout apart: the first was given up (`incomplete`) and the second
//    started a message of its own. Now `incomplete` is still reported at 10 min, but the parts are kept for
//    the reassembly horizon (2 h from the first part), and a late part completes the report.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeDeliver } from '../../../protocol/sms/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { REASSEMBLY_HORIZON_MS } from '../../../gateway/reports/sms-intake.js';
import { HANDSET_ID, HANDSET_NUMBER, START, WRONG_KEY, deliver, report, startRig, tmpDir } from '../core/harness.js';

/** The text with `what` (which must occur once) replaced, as line noise does; still GSM 7-bit and decodable. */
function damage(text: string, what: string, by: string): string {
  expect(text.split(what)).toHaveLength(2);
  return text.replace(what, by);
}

/** A MAC character changed: the text decodes, only the MAC check fails (inside part 2). */
function damageMac(text: string): string {
  const i = text.length - 3;
  return text.slice(0, i) + (text[i] === 'A' ? 'B' : 'A') + text.slice(i + 1);
}

/** The PDUs of `damaged`, which must be cut into parts like the genuine text: same sender, reference, total. */
function copies(text: string, damaged: string, ref = 7): { genuine: string[]; corrupt: string[] } {
  const genuine = deliver(text, HANDSET_NUMBER, ref);
  const corrupt = encodeDeliver({ from: HANDSET_NUMBER, text: damaged, sentAt: START, smsc: '+447785016005', concatRef: ref }).map((p) => p.pdu);
  expect(genuine).toHaveLength(2);
  expect(corrupt).toHaveLength(2);
  return { genuine, corrupt };
}

const reasons = (rig: { ofType(t: string): Record<string, unknown>[] }) => rig.ofType('report.rejected').map((e) => e['reason']);

describe('a corrupted copy of a part does not poison its report', () => {
  it('corrupted part 2 first: bad-mac; the genuine part 2 read later completes the report', async () => {
    const rig = await startRig();
    const text = report({ counter: 1 });
    const { genuine, corrupt } = copies(text, damageMac(text)); // inside part 2 (the MAC)
    await rig.sms([genuine[0]!, corrupt[1]!]);
    expect(reasons(rig)).toEqual(['bad-mac']);
    expect(rig.ofType('report.accepted')).toEqual([]);
    rig.clock.advance(45_000);
    await rig.sms([genuine[1]!]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ handsetId: HANDSET_ID, counter: 1 }]);
    expect(rig.ofType('fix')).toHaveLength(1);
    expect(reasons(rig)).toEqual(['bad-mac']); // the corrupted copy stays counted, once
    // A further copy is only a duplicate, and nothing is left to expire later as `incomplete`.
    await rig.sms([genuine[1]!]);
    rig.clock.advance(3 * 3600_000);
    await rig.core.idle();
    expect(reasons(rig)).toEqual(['bad-mac', 'duplicate']);
    expect(rig.ofType('report.accepted')).toHaveLength(1);
  });

  it('corrupted part 1 first, then the genuine part 1 (a conflicting copy, held), then part 2: accepted', async () => {
    const rig = await startRig();
    const text = report({ counter: 2 });
    const { genuine, corrupt } = copies(text, damage(text, ';b=87;', ';b=86;')); // inside part 1
    await rig.sms([corrupt[0]!, genuine[0]!]);
    expect(reasons(rig)).toEqual(['duplicate']); // the second copy of part 1 is counted, not dropped
    await rig.sms([genuine[1]!]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 2 }]);
    expect(reasons(rig)).toEqual(['duplicate']);
  });

  it('corrupted part 1 completes with part 2, then the genuine part 1 arrives: accepted', async () => {
    const rig = await startRig();
    const text = report({ counter: 3 });
    const { genuine, corrupt } = copies(text, damage(text, 'h=TS-0001;', 'h=TS-0007;')); // the handset id: unknown-handset
    await rig.sms([corrupt[0]!, genuine[1]!]);
    expect(reasons(rig)).toEqual(['unknown-handset']);
    await rig.sms([genuine[0]!]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 3 }]);
  });

  it('both parts damaged, then each genuine part: every failing combination rejected, the genuine one accepted', async () => {
    const rig = await startRig();
    const text = report({ counter: 4 });
    const genuine = deliver(text);
    const one = copies(text, damage(text, ';b=87;', ';b=86;')).corrupt[0]!; // part 1 damaged
    const two = copies(text, damageMac(text)).corrupt[1]!; // part 2 damaged
    await rig.sms([one, two]);
    expect(reasons(rig)).toEqual(['bad-mac']);
    await rig.sms([genuine[0]!]); // (1, 2') fails too
    expect(reasons(rig)).toEqual(['bad-mac', 'bad-mac']);
    await rig.sms([genuine[1]!]); // (1', 2) fails, (1, 2) is the report
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 4 }]);
    expect(reasons(rig)).toEqual(['bad-mac', 'bad-mac']);
  });

  it('a forged report (wrong key) never becomes acceptable by recombination, and is not also incomplete', async () => {
    const rig = await startRig();
    const forged = report({ counter: 5 }, WRONG_KEY);
    const f = copies(forged, damageMac(forged), 8);
    await rig.sms([f.genuine[0]!, f.corrupt[1]!]);
    await rig.sms([f.genuine[1]!]);
    await rig.sms([f.corrupt[0]!]); // the same text as f.genuine[0]: a duplicate
    expect(reasons(rig)).toEqual(['bad-mac', 'bad-mac', 'duplicate']);
    rig.clock.advance(3 * 3600_000);
    await rig.core.idle();
    expect(rig.ofType('report.accepted')).toEqual([]);
    expect(reasons(rig)).toEqual(['bad-mac', 'bad-mac', 'duplicate']);
  });

  it('across a restart: the genuine part read after it still completes the poisoned report', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const text = report({ counter: 1 });
    const { genuine, corrupt } = copies(text, damageMac(text));
    const first = await startRig({ file, clock });
    await first.sms([genuine[0]!, corrupt[1]!]);
    expect(reasons(first)).toEqual(['bad-mac']);
    await first.stop();
    clock.advance(60_000);
    const second = await startRig({ file, clock });
    await second.sms([genuine[1]!]);
    expect(second.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
    expect(second.ofType('report.rejected')).toEqual([]);
  });
});

describe('a part read long after its partner', () => {
  it('incomplete at 10 min as before, then accepted when the part comes 40 min later', async () => {
    const rig = await startRig();
    const [p1, p2] = deliver(report({ counter: 1 }));
    await rig.sms([p1!]);
    rig.clock.advance(10 * 60_000 + 1);
    await rig.core.idle();
    expect(reasons(rig)).toEqual(['incomplete']);
    rig.clock.advance(30 * 60_000);
    await rig.sms([p2!]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
    expect(rig.ofType('fix')).toHaveLength(1);
    expect(reasons(rig)).toEqual(['incomplete']);
  });

  it('beyond the horizon the parts are gone: the late part is incomplete on its own', async () => {
    const rig = await startRig();
    const [p1, p2] = deliver(report({ counter: 1 }));
    await rig.sms([p1!]);
    rig.clock.advance(REASSEMBLY_HORIZON_MS + 1);
    await rig.core.idle();
    await rig.sms([p2!]);
    rig.clock.advance(10 * 60_000 + 1);
    await rig.core.idle();
    expect(rig.ofType('report.accepted')).toEqual([]);
    expect(reasons(rig)).toEqual(['incomplete', 'incomplete']);
  });

  it('across a restart: reported incomplete once, completed by the late part after it', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const [p1, p2] = deliver(report({ counter: 1 }));
    const first = await startRig({ file, clock });
    await first.sms([p1!]);
    clock.advance(11 * 60_000);
    await first.core.idle();
    expect(reasons(first)).toEqual(['incomplete']);
    await first.stop();
    clock.advance(60 * 60_000);
    const second = await startRig({ file, clock });
    await second.core.idle();
    expect(reasons(second)).toEqual([]); // not reported twice
    await second.sms([p2!]);
    expect(second.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
  });

  // The horizon's edges (sms-intake.ts: held for horizon - timeout after the timeout; the start-up replay reads
  // horizon + timeout back). A horizon cut short by the timeout lost a report whose part came at 1 h 55 min.
  it('a part read 5 min inside the horizon still completes the report', async () => {
    const rig = await startRig();
    const [p1, p2] = deliver(report({ counter: 1 }));
    await rig.sms([p1!]);
    rig.clock.advance(REASSEMBLY_HORIZON_MS - 5 * 60_000);
    await rig.core.idle();
    await rig.sms([p2!]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
    expect(reasons(rig)).toEqual(['incomplete']);
  });

  it('two reports waiting past their timeout at once: both complete when their late parts come', async () => {
    const rig = await startRig();
    const [a1, a2] = deliver(report({ counter: 1 }), HANDSET_NUMBER, 1);
    const [b1, b2] = deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 2);
    await rig.sms([a1!, b1!]);
    rig.clock.advance(11 * 60_000);
    await rig.core.idle();
    expect(reasons(rig)).toEqual(['incomplete', 'incomplete']);
    await rig.sms([b2!, a2!]);
    expect(rig.ofType('report.accepted').map((e) => e['counter'])).toEqual([2, 1]);
  });

  it('across a restart 5 min inside the horizon: the first part read before it is not forgotten', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const [p1, p2] = deliver(report({ counter: 1 }));
    const first = await startRig({ file, clock });
    await first.sms([p1!]);
    await first.stop();
    clock.advance(REASSEMBLY_HORIZON_MS - 5 * 60_000);
    const second = await startRig({ file, clock });
    await second.core.idle();
    expect(reasons(second)).toEqual(['incomplete']); // it expired while the gateway was down
    await second.sms([p2!]);
    expect(second.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
  });

  it('completed near its horizon, restarted just after it: the report is not also reported incomplete', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const [p1, p2] = deliver(report({ counter: 1 }));
    const first = await startRig({ file, clock });
    await first.sms([p1!]);
    clock.advance(REASSEMBLY_HORIZON_MS - 5 * 60_000);
    await first.core.idle();
    await first.sms([p2!]);
    expect(first.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
    await first.stop();
    clock.advance(6 * 60_000); // 1 min past the first part's horizon, 4 min before part 2's timeout
    const second = await startRig({ file, clock });
    clock.advance(15 * 60_000);
    await second.core.idle();
    expect(reasons(second)).toEqual([]);
    expect((await second.all()).filter((e) => e.event['reason'] === 'incomplete')).toHaveLength(1);
  });

  it('a reference used again after the horizon: its expiry while the gateway was down is reported', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const [m1] = deliver(report({ counter: 1 }), HANDSET_NUMBER, 7);
    const [m2] = deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 7);
    const first = await startRig({ file, clock });
    await first.sms([m1!]);
    clock.advance(10 * 60_000 + 1);
    await first.core.idle();
    expect(reasons(first)).toEqual(['incomplete']);
    clock.advance(REASSEMBLY_HORIZON_MS - 9 * 60_000); // past the first message's horizon
    await first.core.idle();
    await first.sms([m2!]);
    await first.stop();
    clock.advance(14 * 60_000); // the second message's timeout passes while the gateway is down
    const second = await startRig({ file, clock });
    await second.core.idle();
    expect(reasons(second)).toEqual(['incomplete']);
  });
});

describe('copies sent to keep the genuine part out', () => {
  // Someone who knows her handset's number can send SMS that claim to come from it (spoofed originators are
  // sold by bulk-SMS routes), each a part 2 with the reference her next report will use. The reassembler
  // keeps at most MAX_COPIES texts per part; when the forged ones filled them, the genuine part 2 was thrown
  // away and her report (an alarm's position) never completed: only `incomplete` 10 min later.
  it.each(['part 1 first', 'part 2 first'])('four forged part 2s sent ahead: the genuine report still completes (%s)', async (order) => {
    const rig = await startRig();
    const text = report({ counter: 1 });
    for (let i = 0; i < 4; i++) {
      const forged = text.slice(0, -12) + `FORGED${i}`.padEnd(12, 'x');
      await rig.sms([copies(text, forged).corrupt[1]!]);
    }
    const { genuine } = copies(text, text);
    await rig.sms(order === 'part 1 first' ? [genuine[0]!, genuine[1]!] : [genuine[1]!, genuine[0]!]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ handsetId: HANDSET_ID, counter: 1 }]);
    expect(rig.ofType('fix')).toHaveLength(1);
  });

  it('four forged part 2s sent after the genuine one (still waiting for part 1): the genuine report completes', async () => {
    const rig = await startRig();
    const text = report({ counter: 1 });
    const { genuine } = copies(text, text);
    await rig.sms([genuine[1]!]);
    for (let i = 0; i < 4; i++) {
      const forged = text.slice(0, -12) + `FORGED${i}`.padEnd(12, 'x');
      await rig.sms([copies(text, forged).corrupt[1]!]);
    }
    await rig.sms([genuine[0]!]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ handsetId: HANDSET_ID, counter: 1 }]);
  });
});

describe('forged copies on both sides of the genuine part', () => {
  // The flood an attacker with a spoofed originator sends without knowing when her report comes: forged part 2s
  // with her next reference before her genuine part 2 AND after it, until her part 1 arrives. With 4 copies
  // per part, the first (a forgery) stayed and three later forgeries pushed the genuine part 2 out: her report
  // never completed (every combination bad-mac). Now more copies are kept than this flood sends (MAX_COPIES).
  it.each([
    [1, 3],
    [3, 3],
    [1, 14],
    [14, 1],
  ])('%i forged part 2s ahead and %i after the genuine one, then part 1: her report is accepted', async (ahead, after) => {
    const rig = await startRig();
    const text = report({ counter: 1 });
    const forgery = (i: number) => copies(text, text.slice(0, -12) + `FORGED${i}`.padEnd(12, 'x')).corrupt[1]!;
    const { genuine } = copies(text, text);
    for (let i = 0; i < ahead; i++) await rig.sms([forgery(i)]);
    await rig.sms([genuine[1]!]);
    for (let i = 0; i < after; i++) await rig.sms([forgery(ahead + i)]);
    await rig.sms([genuine[0]!]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ handsetId: HANDSET_ID, counter: 1 }]);
    expect(rig.ofType('fix')).toHaveLength(1);
  });

  it('across a restart: the parts replayed from the log keep the genuine part 2, and part 1 read after it completes her report', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const text = report({ counter: 1 });
    const forgery = (i: number) => copies(text, text.slice(0, -12) + `FORGED${i}`.padEnd(12, 'x')).corrupt[1]!;
    const { genuine } = copies(text, text);
    const first = await startRig({ file, clock });
    await first.sms([forgery(0), genuine[1]!, forgery(1), forgery(2), forgery(3)]);
    await first.stop();
    clock.advance(60_000);
    const second = await startRig({ file, clock });
    await second.sms([genuine[0]!]);
    expect(second.ofType('report.accepted')).toMatchObject([{ handsetId: HANDSET_ID, counter: 1 }]);
  });
});
