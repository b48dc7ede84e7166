// The handset health table showed a problem's battery and last heartbeat as they were when it was raised: a
// handset flagged `tamper` went on reporting and its row still read the heartbeat before the TMP (seen on the
// engineer's console: "Last heartbeat 01:30:47" while GET /api/handsets said 01:33:50).
import { describe, expect, it } from 'vitest';
import { ConsoleState } from '../../console/console-state.js';
import { healthFigures } from '../../console/health-figures.js';
import type { GatewayEvent } from '../../protocol/schemas/index.js';

const T0 = Date.parse('2026-11-25T01:30:47Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
let seq = 0;
const status = (s: number, batteryPct: number): GatewayEvent =>
  ({ v: 1, seq: ++seq, at: at(s), type: 'handset.status', handsetId: 'TS-0001', batteryPct, csq: 20, lastReportAt: at(s), lastEvent: 'TRK', lastCounter: seq });
const tamper = (s: number, lastHeartbeatAt: string | null): GatewayEvent =>
  ({ v: 1, seq: ++seq, at: at(s), type: 'handset.health', handsetId: 'TS-0001', problem: 'tamper', lastHeartbeatAt, batteryPct: 90, detail: 'TMP report: three bad provisioning signatures on the USB port' });

function row(state: ConsoleState) {
  const e = state.health.get('TS-0001');
  if (e === undefined) throw new Error('no health row');
  return healthFigures(e, state.handsets.get('TS-0001'));
}

describe('the handset health row follows the handset', () => {
  it("a tamper row shows the handset's latest report, not the one before the TMP", () => {
    const state = new ConsoleState();
    state.apply(status(0, 90));
    state.apply(tamper(68, at(0)));
    state.apply(status(68, 90));
    expect(row(state)).toEqual({ batteryPct: 90, lastHeartbeatAt: at(68) });
    state.apply(status(183, 71));
    expect(row(state)).toEqual({ batteryPct: 71, lastHeartbeatAt: at(183) });
  });

  it("keeps the event's figures when the console has no newer report (a missed heartbeat: the handset is silent)", () => {
    const state = new ConsoleState();
    state.apply(status(0, 55));
    state.apply({ v: 1, seq: ++seq, at: at(90_000), type: 'handset.health', handsetId: 'TS-0001', problem: 'missed-heartbeat', lastHeartbeatAt: at(0), batteryPct: 55, detail: 'silent' });
    expect(row(state)).toEqual({ batteryPct: 55, lastHeartbeatAt: at(0) });
    const fresh = new ConsoleState();
    fresh.apply(tamper(10, at(5)));
    expect(row(fresh)).toEqual({ batteryPct: 90, lastHeartbeatAt: at(5) });
  });
});
