// A TecSOS alarm through the core: the ALM report (SMS from the handset's number, valid MAC) and the call
// (RING + +CLIP from the same number) become one incident with a priority call and a fix, seen by a
// subscriber; ordinary and range calls keep their own priority; internal events never reach a console.
import { describe, expect, it } from 'vitest';
import { HANDSET_ID, HANDSET_NUMBER, ORDINARY_NUMBER, START, deliver, invalidPublicEvents, report, startRig } from './harness.js';

describe('a TecSOS alarm', () => {
  it('becomes a priority call with a fix on a subscribed listener', async () => {
    const rig = await startRig();
    const released = await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    await rig.ring('447700900123', 'L2', 145);

    const opened = rig.ofType('incident.opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ handsetId: HANDSET_ID, cause: 'alarm', priority: 'tecsos', force: 'Metropolitan Police' });
    const incidentId = opened[0]?.['incidentId'];

    const [ringing] = rig.ofType('call.ringing');
    expect(ringing).toMatchObject({ lineId: 'L2', callerNumber: HANDSET_NUMBER, priority: 'tecsos', handsetId: HANDSET_ID, incidentId });

    const [fix] = rig.ofType('fix');
    expect(fix).toMatchObject({ incidentId, handsetId: HANDSET_ID, source: 'gps', gpsStatus: 'valid', sats: 9, hdop: 0.9, reportCounter: 1 });
    expect(fix?.['lat']).toBeCloseTo(51.5007, 4);
    expect(fix?.['lon']).toBeCloseTo(-0.1218, 4);
    expect(fix?.['accuracyM']).toBe(4.5);
    expect(fix?.['fixTime']).toBe(new Date(START).toISOString());

    expect(rig.ofType('report.accepted')).toMatchObject([{ handsetId: HANDSET_ID, counter: 1, event: 'ALM', incidentId }]);
    expect(rig.ofType('handset.status')).toMatchObject([{ handsetId: HANDSET_ID, batteryPct: 87, csq: 23 }]);
    expect(released).toEqual([true, true]); // a report with a fix takes two SMS parts
    expect(rig.metrics.calls.get({ priority: 'tecsos' })).toBe(1);
    expect(rig.metrics.reportsAccepted.get({ event: 'ALM' })).toBe(1);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
    expect(rig.errors).toEqual([]);

    const incident = await rig.core.getIncident(incidentId as string);
    expect(incident).toMatchObject({ state: 'open', tracking: true, callIds: [ringing?.['callId']], victim: { name: 'Jane Doe' } });
    const calls = await rig.core.listCalls();
    expect(calls).toMatchObject([{ priority: 'tecsos', incidentId, state: 'ringing' }]);
  });

  it('stores the raw SMS first, in the same append, and never shows it or the key to a console', async () => {
    const rig = await startRig();
    const before = rig.store.stats().transactions;
    await rig.sms(deliver(report({ counter: 1 })));
    // One atomic append per SMS part; appends decided in the same turn share one transaction (group commit).
    expect(rig.store.stats().transactions - before).toBeGreaterThanOrEqual(1);
    expect(rig.store.stats().transactions - before).toBeLessThanOrEqual(2);
    const all = await rig.all();
    const types = all.map((e) => e.event.type);
    // Part 1 alone (pending), then part 2 with everything the whole report produced.
    expect(types).toEqual(['handset.registered', 'sms.received', 'sms.received', 'incident.opened', 'report.accepted', 'fix', 'handset.status']);
    const seenTypes = rig.seen.map((e) => (e.redacted ? 'masked' : e.event.type));
    expect(seenTypes).toEqual(['masked', 'masked', 'masked', 'incident.opened', 'report.accepted', 'fix', 'handset.status']);
    expect(JSON.stringify(rig.seen)).not.toContain('keyHex');
    expect(JSON.stringify(rig.seen)).not.toContain('Jane Doe');
  });

  it('a call before the report opens the incident; the alarm joins it', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const opened = rig.ofType('incident.opened');
    expect(opened).toMatchObject([{ cause: 'call', priority: 'tecsos' }]);
    expect(rig.ofType('fix')).toMatchObject([{ incidentId: opened[0]?.['incidentId'] }]);
  });

  it('repeated RING + +CLIP of one call is one call', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    await rig.ring(HANDSET_NUMBER);
    expect(rig.ofType('call.ringing')).toHaveLength(1);
  });

  it('a handset in test mode raises a test call and a test incident', async () => {
    const rig = await startRig({ register: [] });
    await rig.core.importRegistrations([{ ...(await import('./harness.js')).registration(), testMode: true }]);
    await rig.ring(HANDSET_NUMBER);
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    expect(rig.ofType('call.ringing')).toMatchObject([{ priority: 'test' }]);
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'test', priority: 'test' }]);
  });
});

describe('other calls', () => {
  it('an ordinary call stays ordinary, with no incident', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    expect(rig.ofType('call.ringing')).toMatchObject([{ callerNumber: ORDINARY_NUMBER, priority: 'ordinary', handsetId: null, incidentId: null, force: null }]);
    expect(rig.ofType('incident.opened')).toEqual([]);
    expect(rig.metrics.calls.get({ priority: 'ordinary' })).toBe(1);
  });

  it('a national-format number is normalised before the registry lookup', async () => {
    const rig = await startRig();
    await rig.ring('07700900123', 'L1', 129);
    expect(rig.ofType('call.ringing')).toMatchObject([{ callerNumber: HANDSET_NUMBER, priority: 'tecsos' }]);
  });

  it('an unregistered number in a force range is flagged, a withheld one is ordinary', async () => {
    const rig = await startRig();
    await rig.ring('+447700901234', 'L1');
    await rig.ring(null, 'L2');
    expect(rig.ofType('call.ringing')).toMatchObject([
      { priority: 'tecsos-unregistered', force: 'Thames Valley', incidentId: null },
      { priority: 'ordinary', callerNumber: null },
    ]);
  });
});

describe('line health', () => {
  it('is an event when the state, registration or signal (by 5 or more) changes, not on every poll', async () => {
    const rig = await startRig();
    const report = (state: 'up' | 'down', csq: number | null) => ({ lineId: 'L1', spec: 'tcp://127.0.0.1:7101', state, registration: state === 'up' ? 1 : null, csq, detail: '' });
    for (const r of [report('up', 20), report('up', 21), report('up', 19), report('up', 14), report('down', null), report('up', 14)]) rig.core.onHealth(r);
    await rig.core.idle();
    expect(rig.ofType('line.health').map((e) => [e['state'], e['registration'], e['signalCsq']])).toEqual([
      ['up', 'home', 20],
      ['up', 'home', 14],
      ['down', 'unknown', null],
      ['up', 'home', 14],
    ]);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });
});
