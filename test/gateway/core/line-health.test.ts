// Which line health reports become `line.health` events: a state or registration change, a signal change of
// 5 or more, and the SMS storage becoming nearly full, full, or clear again (gateway/lines/sim-storage.ts).
import { describe, expect, it } from 'vitest';
import { healthChanged, lineHealthEvent } from '../../../gateway/core/line-health.js';
import { CoreState } from '../../../gateway/core/state.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { startRig } from './harness.js';
import type { LineHealthReport } from '../../../gateway/lines/types.js';

const base: LineHealthReport = { lineId: 'L1', spec: 'mock:a', state: 'up', registration: 1, csq: 17, storage: { used: 0, total: 30 }, detail: 'poll' };

describe('healthChanged', () => {
  it('a signal wobble or a message more in the storage is not an event', () => {
    expect(healthChanged(base, { ...base, csq: 19 })).toBe(false);
    expect(healthChanged(base, { ...base, storage: { used: 3, total: 30 } })).toBe(false);
  });

  it('the state, the registration or a signal change of 5 is', () => {
    expect(healthChanged(base, { ...base, state: 'down' })).toBe(true);
    expect(healthChanged(base, { ...base, registration: 5 })).toBe(true);
    expect(healthChanged(base, { ...base, csq: 22 })).toBe(true);
  });

  it('the domain it is registered in is: a line that falls back to LTE only (calls only by VoLTE) says so on the console', () => {
    const cs = { ...base, registeredIn: 'cs' as const };
    expect(healthChanged(cs, { ...cs, registeredIn: 'eps', detail: 'registration registered-home on LTE only' })).toBe(true);
    expect(healthChanged(cs, { ...cs })).toBe(false);
  });

  it('the SMS storage becoming nearly full, full, and clear again, is an event (a full SIM refuses reports)', () => {
    const nearlyFull = { ...base, storage: { used: 27, total: 30 } };
    expect(healthChanged(base, nearlyFull)).toBe(true);
    expect(healthChanged(nearlyFull, { ...base, storage: { used: 28, total: 30 } })).toBe(false);
    expect(healthChanged(nearlyFull, { ...base, storage: { used: 30, total: 30 } })).toBe(true);
    expect(healthChanged(nearlyFull, base)).toBe(true);
    expect(healthChanged({ ...base, storage: null }, nearlyFull)).toBe(true);
  });

  it('a line registered for packet data only is not registered for calls in its event (the console marks it); LTE only is registered', () => {
    const state = new CoreState({ countryCode: '44', tecsosRanges: [], retentionDays: 365, heartbeatGraceMinutes: 60 }, new ManualClock(0));
    expect(lineHealthEvent(state, { ...base, registeredIn: 'ps', detail: 'registration registered-home for packet data only' })).toMatchObject({ state: 'up', registration: 'not-registered' });
    expect(lineHealthEvent(state, { ...base, registeredIn: 'eps' })).toMatchObject({ state: 'up', registration: 'home' });
  });

  it('/healthz counts no line registered for packet data only as up: no 999 call reaches it', async () => {
    const rig = await startRig();
    rig.lines.reports = [
      { ...base, lineId: 'L1', registeredIn: 'ps' },
      { ...base, lineId: 'L2', registeredIn: 'eps' },
    ];
    expect(rig.core.health()).toMatchObject({ linesUp: 1, linesTotal: 2 });
  });
});
