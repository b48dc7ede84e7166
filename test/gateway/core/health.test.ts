// Heartbeat supervision and battery health, driven by the ManualClock.
import { describe, expect, it } from 'vitest';
import { HANDSET_ID, HANDSET_NUMBER, START, deliver, invalidPublicEvents, registration, report, startRig } from './harness.js';

const HOUR = 3600_000;

describe('heartbeat supervision', () => {
  it('a handset that misses its daily HBT by more than the grace raises handset.health once, then recovers', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'HBT' })));
    rig.clock.advance(25 * HOUR - 60_000); // 24 h + 59 min: within the grace
    await rig.core.idle();
    expect(rig.ofType('handset.health')).toEqual([]);
    rig.clock.advance(2 * 60_000);
    await rig.core.idle();
    rig.clock.advance(HOUR);
    await rig.core.idle();
    expect(rig.ofType('handset.health')).toMatchObject([{ handsetId: HANDSET_ID, problem: 'missed-heartbeat', lastHeartbeatAt: new Date(START).toISOString() }]);
    expect(await rig.core.handsetHealth()).toMatchObject([{ id: HANDSET_ID, problems: ['missed-heartbeat'] }]);

    await rig.sms(deliver(report({ counter: 2, event: 'HBT' }, undefined, rig.clock.now()), HANDSET_NUMBER, 9));
    expect(rig.ofType('handset.health').map((e) => e['problem'])).toEqual(['missed-heartbeat', 'recovered']);
    expect(await rig.core.handsetHealth()).toMatchObject([{ problems: [] }]);
  });

  it('a handset that never reported is overdue a day and the grace after registration', async () => {
    const rig = await startRig({ config: { heartbeatGraceMinutes: 30 } });
    rig.clock.advance(24 * HOUR + 29 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('handset.health')).toEqual([]);
    rig.clock.advance(2 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('handset.health')).toMatchObject([{ problem: 'missed-heartbeat', lastHeartbeatAt: null }]);
  });
});

describe('battery and tamper', () => {
  it('LOB raises low-battery once; a charged battery recovers it', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'LOB', batteryPct: 14 }), HANDSET_NUMBER, 1));
    await rig.sms(deliver(report({ counter: 2, event: 'TRK', batteryPct: 12 }), HANDSET_NUMBER, 2));
    await rig.sms(deliver(report({ counter: 3, event: 'HBT', batteryPct: 90 }), HANDSET_NUMBER, 3));
    expect(rig.ofType('handset.health')).toMatchObject([
      { problem: 'low-battery', batteryPct: 14 },
      { problem: 'recovered', batteryPct: 90 },
    ]);
  });

  it('TMP raises tamper', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TMP' })));
    expect(rig.ofType('handset.health')).toMatchObject([{ problem: 'tamper' }]);
    expect(rig.ofType('incident.opened')).toEqual([]);
  });

  it("tamper stays through reports and is cleared by an engineer's re-registration, and by nothing else", async () => {
    const rig = await startRig();
    const engineer = { username: 'eng', role: 'engineer' } as const;
    await rig.sms(deliver(report({ counter: 1, event: 'TMP' }), HANDSET_NUMBER, 1));
    await rig.sms(deliver(report({ counter: 2, event: 'HBT' }), HANDSET_NUMBER, 2));
    expect((await rig.core.handsetHealth())[0]?.problems).toEqual(['tamper']);
    // Registering exactly what is registered changes nothing (no event), so it clears nothing either.
    expect(await rig.core.registerHandset(registration({ replace: true }), engineer)).toMatchObject({ ok: true });
    expect((await rig.core.handsetHealth())[0]?.problems).toEqual(['tamper']);
    // Re-provisioned with a new key and registered again: cleared, and engineers are told.
    const r = await rig.core.registerHandset(registration({ key: new Uint8Array(32).fill(7), replace: true }), engineer);
    expect(r).toMatchObject({ ok: true });
    expect((await rig.core.handsetHealth())[0]?.problems).toEqual([]);
    expect(rig.ofType('handset.health')).toMatchObject([{ problem: 'tamper' }, { problem: 'recovered', recovered: 'tamper', handsetId: HANDSET_ID, detail: 're-registered by eng' }]);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });
});
