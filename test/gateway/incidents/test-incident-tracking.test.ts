// The provisioning TST (AT+TSTEST, or a test-mode handset's gesture) starts no tracking on the handset
// (docs/firmware-sim-handset.md: a TST is not an alarm), so its test incident must not read "tracking":
// the console showed "Incident open, tracking", "Tracking: yes" in the overview and an enabled Stop tracking
// that sent a TSC1 STOP to an idle handset. An ALM joining the test incident (a handset in test mode) tracks.
import { describe, expect, it } from 'vitest';
import { GatewayEvent } from '../../../protocol/schemas/events.js';
import { ConsoleState } from '../../../protocol/schemas/console-state.js';
import { isPublicEventType } from '../../../gateway/core/public-log.js';
import type { StoredEvent } from '../../../gateway/store/event-store.js';
import { HANDSET_NUMBER, deliver, registration, report, startRig } from '../core/harness.js';

/** The console's picture (the one the browser and the gateway's role views keep) from the public events. */
function picture(seen: readonly StoredEvent[]): ConsoleState {
  const state = new ConsoleState();
  for (const e of seen) {
    if (e.redacted || !isPublicEventType(e.event.type)) continue;
    const { type, at, ...rest } = e.event;
    state.apply(GatewayEvent.parse({ ...rest, v: 1, seq: e.seq, at: typeof at === 'number' ? new Date(at).toISOString() : at, type }));
  }
  return state;
}

describe("a TST's test incident is not tracking", () => {
  it('the incident view and the console picture say not tracking, and nothing is sent to the handset', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.getIncident(id)).toMatchObject({ cause: 'test', state: 'open', tracking: false });
    expect(picture(rig.seen).incidents.get(id)).toMatchObject({ cause: 'test', tracking: false });
    expect(rig.ofType('command.sent')).toEqual([]);
  });

  it("a test-mode handset's ALM joining the test incident makes it tracking, in both", async () => {
    const rig = await startRig({ register: [registration({ testMode: true })] });
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), HANDSET_NUMBER, 1));
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }), HANDSET_NUMBER, 2));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(await rig.core.getIncident(id)).toMatchObject({ tracking: true });
    expect(picture(rig.seen).incidents.get(id)).toMatchObject({ tracking: true });
  });
});
