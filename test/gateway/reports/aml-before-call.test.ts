// An AML SMS that arrives before its 999 call rings at the control room. A phone sends its AML within seconds
// of dialling, while the network may hold the call (every line busy) or the caller, cut off, dials again
// minutes later. The fix is stored with no call and its sender, waits (gateway/incidents/waiting-aml.ts), and
// the first call from that number that rings within 30 min gets a copy: the handler sees the caller's position
// on her call. Before, the fix stayed with no call and no number, and no console ever showed it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, ORDINARY_NUMBER, deliver, invalidPublicEvents, keepSnapshot, startRig, tmpDir, type Rig } from '../core/harness.js';

const aml = 'A"ML=1;lt=+51.50070;lg=-0.12180;rd=50;top=20261123055930;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=128';
const MINUTE = 60_000;

/** The seq the store gave a public event. */
const seqOf = (rig: Rig, e: Record<string, unknown> | undefined): number | undefined => rig.seen.find((s) => s.event === e)?.seq;

describe('an AML that arrives before its call rings', () => {
  it('is copied onto the call from its number when it rings (a national CLIP matching the international originator)', async () => {
    const rig = await startRig();
    await rig.sms(deliver(aml, ORDINARY_NUMBER));
    const [waiting] = rig.ofType('fix');
    expect(waiting).toMatchObject({ source: 'aml', callId: null, fromNumber: ORDINARY_NUMBER });
    rig.clock.advance(40_000); // held in the network's 999 queue
    await rig.ring('07700900999', 'L1', 129);
    const [call] = rig.ofType('call.ringing');
    const fixes = rig.ofType('fix');
    expect(fixes).toHaveLength(2);
    expect(fixes[1]).toMatchObject({ source: 'aml', callId: call?.['callId'], lat: 51.5007, lon: -0.1218, accuracyM: 50, confidencePct: 90, amlMethod: 'gnss', fixTime: '2026-11-23T05:59:30.000Z', receivedAt: waiting?.['receivedAt'], copyOf: seqOf(rig, waiting) });
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('joins one call once: a second call from the number, and calls from other numbers, get no copy', async () => {
    const rig = await startRig();
    await rig.sms(deliver(aml, ORDINARY_NUMBER));
    await rig.ring('+447700900555', 'L2');
    expect(rig.ofType('fix')).toHaveLength(1);
    await rig.ring(ORDINARY_NUMBER, 'L1');
    expect(rig.ofType('fix')).toHaveLength(2);
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    rig.clock.advance(MINUTE);
    await rig.ring(ORDINARY_NUMBER, 'L1');
    expect(rig.ofType('fix')).toHaveLength(2);
  });

  it('waits 30 min: a call that rings later gets no copy of an old position', async () => {
    const rig = await startRig();
    await rig.sms(deliver(aml, ORDINARY_NUMBER));
    rig.clock.advance(31 * MINUTE);
    await rig.ring(ORDINARY_NUMBER);
    expect(rig.ofType('fix')).toHaveLength(1);
  });

  it('a registered handset\'s call gets the copy in the incident the call opens', async () => {
    const rig = await startRig();
    await rig.sms(deliver(aml, HANDSET_NUMBER));
    await rig.ring(HANDSET_NUMBER);
    const [opened] = rig.ofType('incident.opened');
    expect(rig.ofType('fix').at(-1)).toMatchObject({ source: 'aml', incidentId: opened?.['incidentId'], handsetId: opened?.['handsetId'] });
  });

  it('still waits after a restart, from a snapshot and from a full rebuild of the log', async () => {
    for (const snapshots of [true, false]) {
      const file = path.join(tmpDir(), 'events.db');
      const first = await startRig({ file });
      await first.sms(deliver(aml, ORDINARY_NUMBER));
      await first.stop();
      keepSnapshot(file, snapshots);
      const second = await startRig({ file, clock: first.clock, register: [] });
      second.clock.advance(2 * MINUTE);
      await second.ring(ORDINARY_NUMBER);
      const [call] = second.ofType('call.ringing');
      expect(second.ofType('fix'), snapshots ? 'from a snapshot' : 'rebuilt').toMatchObject([{ callId: call?.['callId'], copyOf: expect.any(Number) }]);
      await second.stop();
    }
  });
});

describe('an AML after a call from its number ended', () => {
  it('joins the ended call and also waits: the caller cut off who dials again sees it on her redial', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER, 'L1');
    rig.clock.advance(MINUTE);
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    rig.clock.advance(MINUTE);
    await rig.sms(deliver(aml, ORDINARY_NUMBER)); // her redial's AML, while the redial waits in the network
    rig.clock.advance(MINUTE);
    await rig.ring(ORDINARY_NUMBER, 'L2');
    const [first, redial] = rig.ofType('call.ringing').map((c) => c['callId']);
    expect(rig.ofType('fix')).toMatchObject([
      { callId: first, fromNumber: ORDINARY_NUMBER },
      { callId: redial, copyOf: expect.any(Number) },
    ]);
  });

  it('a flood of AML under her number: her call gets the newest 5, not thousands', async () => {
    const rig = await startRig();
    for (let i = 0; i < 12; i++) {
      rig.clock.advance(1000);
      await rig.sms(deliver(aml.replace('+51.50070', `+51.5${String(i).padStart(2, '0')}70`), ORDINARY_NUMBER));
    }
    await rig.ring(ORDINARY_NUMBER);
    const copies = rig.ofType('fix').filter((f) => f['copyOf'] !== undefined);
    expect(copies.map((f) => f['lat'])).toEqual([51.5077, 51.5087, 51.5097, 51.5107, 51.5117]);
  });
});
