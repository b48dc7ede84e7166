// How `tecsos provision` and `tecsos test-alarm --gateway` tell the gateway's refusal of the test report
// (lastRejection in GET /api/handsets). An engineer's login gets the reason and when, with no detail (docs/api.md
// "Who sees what"), so the tool says what the reason means on the bench; for a sender-mismatch it never prints the
// gateway's detail, which an older gateway fills with the number the SMS came from (maybe a person's, the abuser's
// phone relaying her report). Before, the tool printed `reason (detail)` whatever it held.
import { describe, expect, it } from 'vitest';
import type { HandsetView } from '../../../protocol/schemas/handsets.js';
import type { GatewayClient } from '../../../hardware/provisioning/gateway-client.js';
import type { HandsetConsole } from '../../../hardware/provisioning/handset-console.js';
import { verifyReport } from '../../../hardware/provisioning/report-check.js';

const SENDER = '+447700900777';
const MARK = { lastReportAt: null, lastRejection: null };

/** The clause the tool ends its problem with, for a gateway that lists the handset refused with `rejection`. */
async function told(rejection: NonNullable<HandsetView['lastRejection']>): Promise<string | undefined> {
  const view: HandsetView = {
    id: 'TS-0042', number: '+447700900132', imei: '356938035643809', force: 'Met', testMode: false, registeredAt: '2026-11-20T10:00:00.000Z',
    batteryPct: 80, csq: 20, lastReportAt: null, lastHeartbeatAt: null, untested: true, lastRejection: rejection,
  };
  const usb = { testAlarm: async () => ({ ok: true, value: undefined }) } as unknown as HandsetConsole;
  const gateway = { listHandsets: async () => ({ ok: true, value: [view] }) } as unknown as GatewayClient;
  let t = 0;
  return verifyReport(usb, gateway, 'TS-0042', MARK, 2000, { now: () => t, sleep: async (ms) => void (t += ms) });
}

const AT = '2026-11-25T10:00:00.000Z';

describe("the gateway's refusal of the test report, as the tool tells it", () => {
  it('a sender-mismatch: the number the gateway has, never the one the SMS came from, whatever the gateway sent', async () => {
    const said = `no report from it reached the gateway within 2 s; the gateway refused a report claiming to be from it at ${AT}: ` +
      'sender-mismatch (the SMS came from a number other than +447700900132, the one the gateway has for TS-0042)';
    // An older gateway (or a supervisor's login): the stored detail, naming the sender.
    expect(await told({ reason: 'sender-mismatch', at: AT, detail: `TS-0042 is registered with +447700900132, the SMS came from ${SENDER}` })).toBe(said);
    // This gateway to an engineer: no detail.
    expect(await told({ reason: 'sender-mismatch', at: AT, detail: '' })).toBe(said);
  });

  it("another reason: the gateway's detail when it gives one, else what the reason means, else the reason alone", async () => {
    expect(await told({ reason: 'bad-mac', at: AT, detail: 'MAC does not match the key of TS-0042' })).toMatch(/: bad-mac \(MAC does not match the key of TS-0042\)$/);
    expect(await told({ reason: 'bad-mac', at: AT, detail: '' })).toMatch(/: bad-mac \(not signed with the key the gateway holds for TS-0042\)$/);
    expect(await told({ reason: 'bad-field', at: AT, detail: '' })).toMatch(/: bad-field$/);
  });
});
