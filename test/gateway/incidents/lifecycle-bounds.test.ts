// The incident lifecycle at its edges, as a handler sees it: who acknowledged and closed it and when (each from
// its own event), a re-alarm whose ALM its own TRKs overtook, and the bound of the tracking tail after a close
// (a TRK less than TRACKING_TAIL_MS after the close joins nothing; one at or after it is her next, lost alarm).
import { describe, expect, it } from 'vitest';
import { TRACKING_TAIL_MS } from '../../../gateway/reports/report-events/trk.js';
import { HANDSET_NUMBER, deliver, registration, report, startRig } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
const OTHER = { username: 'other', role: 'call-handler' } as const;
const MINUTE = 60_000;

describe('the incident lifecycle', () => {
  it('shows her force, who acknowledged and who closed it, each at its own time, and the force it was handed to', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    const opened = await rig.core.getIncident(id);
    rig.clock.advance(2 * MINUTE);
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    const ackAt = new Date(rig.clock.now()).toISOString();
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'handler', acknowledgedAt: ackAt, closedAt: null, closedBy: null, force: 'Metropolitan Police' });
    expect(ackAt).not.toBe(opened?.openedAt);
    rig.clock.advance(5 * MINUTE);
    expect(await rig.core.close(id, { outcome: 'transferred', transferredTo: 'Kent Police' }, OTHER)).toMatchObject({ ok: true });
    const closedAt = new Date(rig.clock.now()).toISOString();
    expect(await rig.core.getIncident(id)).toMatchObject({
      state: 'closed', acknowledgedBy: 'handler', acknowledgedAt: ackAt, closedBy: 'other', closedAt, outcome: 'transferred', transferredTo: 'Kent Police',
    });
  });

  it('a re-alarm clears the acknowledgement: who and when', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    rig.clock.advance(10 * MINUTE);
    await rig.sms(deliver(report({ counter: 5, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.re-alarmed')).toHaveLength(1);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'open', acknowledgedBy: null, acknowledgedAt: null });
  });

  it('re-alarms an incident a TRK opened when her new press\'s TRKs overtake its ALM', async () => {
    const rig = await startRig();
    // Her ALM (n=1) lost: TRK n=2 opens the incident, and a handler acknowledges it.
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    // She presses again (ALM n=9); its TRKs n=10, 11 arrive before it.
    rig.clock.advance(10 * MINUTE);
    for (const [n, part] of [[10, 2], [11, 3], [9, 4]] as const) {
      await rig.sms(deliver(report({ counter: n, event: n === 9 ? 'ALM' : 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, part));
    }
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(rig.ofType('incident.re-alarmed')).toMatchObject([{ incidentId: id, reportCounter: 9 }]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'open' });
  });

  it('the tail after a close ends TRACKING_TAIL_MS after it: a TRK just before joins nothing, one at the bound opens', async () => {
    expect(TRACKING_TAIL_MS).toBe(70 * MINUTE);
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.close(id, { outcome: 'no-trace' }, HANDLER)).toMatchObject({ ok: true });
    rig.clock.advance(70 * MINUTE - 1000);
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    rig.clock.advance(1000);
    await rig.sms(deliver(report({ counter: 3, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'alarm' }, { cause: 'tracking', priority: 'tecsos' }]);
  });

  it("closing a test incident that its test-mode handset's TRK joined sends the handset STOP (it tracks)", async () => {
    const rig = await startRig({ register: [registration({ testMode: true })] });
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), HANDSET_NUMBER, 1));
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 2));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(await rig.core.getIncident(id)).toMatchObject({ cause: 'test', tracking: true });
    expect(await rig.core.close(id, { outcome: 'test' }, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    expect(rig.ofType('command.sent')).toMatchObject([{ incidentId: id, command: { kind: 'STOP' }, by: 'handler' }]);
  });

  it("a late report of a handled alarm opens nothing though the incident's last report was an earlier-numbered one", async () => {
    const rig = await startRig();
    const send = async (n: number, event: 'ALM' | 'TRK'): Promise<void> => {
      await rig.sms(deliver(report({ counter: n, event }, undefined, rig.clock.now()), HANDSET_NUMBER, n));
    };
    await send(1, 'ALM');
    await send(4, 'TRK');
    await send(2, 'TRK'); // held by the network, it arrives after TRK 4
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.close(id, { outcome: 'officers-attended' }, HANDLER)).toMatchObject({ ok: true });
    rig.clock.advance(3 * 60 * MINUTE);
    await send(3, 'TRK');
    expect(rig.ofType('report.accepted').at(-1)).toMatchObject({ counter: 3, event: 'TRK', incidentId: null });
    expect(rig.ofType('incident.opened')).toHaveLength(1);
  });

  it("her lost ALM arriving late after an earlier-numbered ACK does not re-alarm the acknowledged incident its TRK opened", async () => {
    const rig = await startRig();
    // Her ALM (n=3) is held by the network: TRK n=5 opens the incident, then an ACK n=2 sent before the alarm
    // arrives late, and a handler acknowledges the incident.
    await rig.sms(deliver(report({ counter: 5, event: 'TRK' }), HANDSET_NUMBER, 1));
    await rig.sms(deliver(report({ counter: 2, event: 'ACK' }), HANDSET_NUMBER, 2));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    // The ALM (n=3, below every TRK of the incident) is this alarm's own, not a new press: no sound again.
    await rig.sms(deliver(report({ counter: 3, event: 'ALM' }), HANDSET_NUMBER, 3));
    expect(rig.ofType('report.accepted').map((e) => [e['counter'], e['incidentId']])).toEqual([[5, id], [2, id], [3, id]]);
    expect(rig.ofType('incident.re-alarmed')).toEqual([]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'handler' });
  });

  it("a handler's Stop tracking that the handset never acknowledged keeps the tail: her next TRK after the close opens nothing", async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    // An ACK (of an earlier command) is the incident's highest report when the handler stops its tracking.
    await rig.sms(deliver(report({ counter: 2, event: 'ACK' }), HANDSET_NUMBER, 2));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: true });
    expect(await rig.core.close(id, { outcome: 'no-trace' }, HANDLER)).toMatchObject({ ok: true });
    // The STOP never reached her handset: it still tracks the same alarm, and TRK n=3 is its tail.
    rig.clock.advance(10 * MINUTE);
    await rig.sms(deliver(report({ counter: 3, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 3));
    expect(rig.ofType('report.accepted').at(-1)).toMatchObject({ counter: 3, event: 'TRK', incidentId: null });
    expect(rig.ofType('incident.opened')).toHaveLength(1);
  });
});
