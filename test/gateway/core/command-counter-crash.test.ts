// A TSC1 counter is never used twice, even when the gateway dies after the SMS left and before it recorded
// command.sent: the handset refuses a counter it has seen (a replay), so a reused one would be a command lost.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSubmit } from '../../../protocol/sms/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { deliver, report, START, startRig, tmpDir } from './harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;

function counterOf(pdu: string): number {
  const text = decodeSubmit(pdu).text;
  return Number(/;n=(\d+);/.exec(text)?.[1]);
}

describe('TSC1 counters across a crash', () => {
  it('a command sent just before the gateway died is not sent again with the same counter', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const first = await startRig({ file });
    await first.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const incidentId = (await first.core.listIncidents({ state: 'open' }))[0]!.id;
    // The modem takes the SMS and the gateway dies before the answer: command.sent is never stored.
    let taken!: () => void;
    const tookIt = new Promise<void>((r) => (taken = r));
    first.lines.sendSms = async (parts) => {
      first.lines.sent.push([...parts]);
      taken();
      return new Promise(() => undefined);
    };
    void first.core.locate(incidentId, HANDLER);
    await tookIt;
    await first.store.close(); // nothing is queued: as a kill -9 at this point
    const sentBefore = counterOf(first.lines.sent[0]![0]!.pdu);

    const second = await startRig({ file, clock: new ManualClock(START + 60_000), register: [] });
    const r = await second.core.locate(incidentId, HANDLER);
    expect(r.ok).toBe(true);
    expect(counterOf(second.lines.sent[0]![0]!.pdu)).toBeGreaterThan(sentBefore);
  });
});
