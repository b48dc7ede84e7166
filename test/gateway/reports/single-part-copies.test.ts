// A single-part SMS delivered twice (the network retries it, or a modem's message is read again) is stored
// once: an AML delivered twice gave two identical `fix` events on the caller's call. A copy is the same
// originator, the same service-centre time stamp (TP-SCTS) and the same text; it is a `duplicate` rejection,
// as a part of a concatenated message received twice is, also after a gateway restart.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeDeliver } from '../../../protocol/sms/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SinglePartCopies } from '../../../gateway/reports/single-part-copies.js';
import { REASSEMBLY_HORIZON_MS } from '../../../gateway/reports/sms-intake.js';
import { HANDSET_NUMBER, ORDINARY_NUMBER, START, deliver, report, sentences, startRig, tmpDir } from '../core/harness.js';

const aml = 'A"ML=1;lt=+51.50070;lg=-0.12180;rd=50;top=20261123055930;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=128';

/** The single PDU of `text` from `from`, time-stamped `sentAt` by the SMSC. */
function single(text: string, from = ORDINARY_NUMBER, sentAt = START): string {
  const pdus = encodeDeliver({ from, text, sentAt, smsc: '+447785016005' }).map((p) => p.pdu);
  expect(pdus).toHaveLength(1);
  return pdus[0]!;
}

const reasons = (rig: { ofType(t: string): Record<string, unknown>[] }) => rig.ofType('report.rejected').map((e) => e['reason']);

describe('an AML delivered twice', () => {
  it('gives one fix on the call; the copy is a duplicate rejection, counted, and released from the modem', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    const [call] = rig.ofType('call.ringing');
    await rig.sms([single(aml)]);
    rig.clock.advance(20_000);
    const released = await rig.sms([single(aml)]);
    expect(rig.ofType('fix')).toMatchObject([{ source: 'aml', callId: call?.['callId'] }]);
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'duplicate', fromNumber: ORDINARY_NUMBER, counter: null }]);
    expect(rig.metrics.reportsRejected.get({ reason: 'duplicate' })).toBe(1);
    expect(released).toEqual([true]);
    // Both copies are kept as received (evidence), one position.
    expect((await rig.all()).filter((e) => e.event.type === 'sms.received')).toHaveLength(2);
  });

  it('the same copy read twice at once (a modem read again) is one fix too', async () => {
    const rig = await startRig();
    await rig.sms([single(aml), single(aml)]);
    expect(rig.ofType('fix')).toHaveLength(1);
    expect(reasons(rig)).toEqual(['duplicate']);
  });

  it('the same text with another time stamp, or from another number, is another message: a fix each', async () => {
    const rig = await startRig();
    await rig.sms([single(aml), single(aml, ORDINARY_NUMBER, START + 1000), single(aml, '+447700900888')]);
    expect(rig.ofType('fix')).toHaveLength(3);
    expect(reasons(rig)).toEqual([]);
  });

  it('a copy read after a gateway restart is still a duplicate', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    await first.sms([single(aml)]);
    expect(first.ofType('fix')).toHaveLength(1);
    await first.stop();
    clock.advance(60 * 60_000);
    const second = await startRig({ file, clock });
    await second.sms([single(aml)]);
    expect(second.ofType('fix')).toEqual([]);
    expect(reasons(second)).toEqual(['duplicate']);
  });

  // A sender may put a concatenation header on a one-part message (part 1 of 1); it is a single-part message
  // all the same, and its copies are copies, live and after a restart.
  it('with a one-part concatenation header: its copy is a duplicate, live and after a restart', async () => {
    const headed = encodeDeliver({ from: ORDINARY_NUMBER, text: aml, sentAt: START, smsc: '+447785016005', concat: { ref: 9, total: 1, seq: 1 } }).map((p) => p.pdu);
    expect(headed).toHaveLength(1);
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    await first.sms(headed);
    clock.advance(20_000);
    await first.sms(headed);
    expect(first.ofType('fix')).toHaveLength(1);
    expect(reasons(first)).toEqual(['duplicate']);
    await first.stop();
    clock.advance(60 * 60_000);
    const second = await startRig({ file, clock });
    await second.sms(headed);
    expect(second.ofType('fix')).toEqual([]);
    expect(reasons(second)).toEqual(['duplicate']);
  });

  it('a copy after the reassembly horizon (2 h) is taken as a new message: the memory is bounded', async () => {
    const rig = await startRig();
    await rig.sms([single(aml)]);
    rig.clock.advance(REASSEMBLY_HORIZON_MS - 1000);
    await rig.sms([single(aml)]);
    expect(reasons(rig)).toEqual(['duplicate']);
    rig.clock.advance(2000); // a copy does not extend the memory of its message
    await rig.sms([single(aml)]);
    expect(rig.ofType('fix')).toHaveLength(2);
    expect(reasons(rig)).toEqual(['duplicate']);
  });
});

describe('other single-part messages delivered twice', () => {
  it("a caller's own text is kept once more as received, its copy counted as a duplicate", async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    await rig.sms([single('I cannot talk, he is here'), single('I cannot talk, he is here')]);
    expect(reasons(rig)).toEqual(['duplicate']);
  });

  it('a single-part TSR1 is left to the anti-replay window: a duplicate naming its counter, one report', async () => {
    const rig = await startRig();
    const s = sentences(START, 0, 0, 99, false); // no fix: the report fits in one SMS
    const text = report({ counter: 1, event: 'HBT', rmc: s.rmc, gga: s.gga });
    expect(deliver(text)).toHaveLength(1);
    await rig.sms([single(text, HANDSET_NUMBER), single(text, HANDSET_NUMBER)]);
    expect(rig.ofType('report.accepted')).toHaveLength(1);
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'duplicate', counter: 1 }]);
  });
});

describe('SinglePartCopies', () => {
  const part = (text: string, sentAt = START) => ({
    from: ORDINARY_NUMBER,
    fromAddress: { ton: 1 },
    sentAt: new Date(sentAt),
    sentAtOffsetMinutes: 0,
    pid: 0,
    dcs: 0,
    text,
  });

  it('remembers at most `max` messages, forgetting the oldest first', () => {
    const copies = new SinglePartCopies(3600_000, 2);
    expect([copies.isCopy(part('a'), START), copies.isCopy(part('b'), START), copies.isCopy(part('c'), START)]).toEqual([false, false, false]);
    expect(copies.size).toBe(2);
    expect(copies.isCopy(part('c'), START)).toBe(true);
    expect(copies.isCopy(part('a'), START)).toBe(false); // forgotten for c, so taken as new
  });

  it('forgets a message at its horizon, and tells texts and time stamps apart', () => {
    const copies = new SinglePartCopies(1000);
    expect(copies.isCopy(part('a'), START)).toBe(false);
    expect(copies.isCopy(part('a', START + 1000), START)).toBe(false);
    expect(copies.isCopy(part('A'), START)).toBe(false);
    expect(copies.isCopy(part('a'), START + 999)).toBe(true);
    expect(copies.isCopy(part('a'), START + 1000)).toBe(false);
    expect(copies.size).toBe(1);
  });
});
