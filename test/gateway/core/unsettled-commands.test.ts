// TSC1 commands a crash left unsettled (gateway/core/unsettled-commands.ts): a counter reserved, no result. The
// log such a crash leaves is written here as the core writes it (command.reserved, durable before the SMS may
// leave), then the core starts on it. test/system/command-crash.test.ts makes the same log with a real SIGKILL.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEventStore } from '../../../gateway/store/index.js';
import { HANDSET_ID, START, startRig, tmpDir } from './harness.js';

const at = new Date(START + 5_000).toISOString();

describe('a command the last run reserved and never recorded the outcome of', () => {
  it('is recorded at the next start as possibly sent, once; one with a result is left alone', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const first = await startRig({ file });
    await first.stop();
    const store = openEventStore({ path: file });
    await store.append([
      // Settled: failed before the crash.
      { type: 'command.reserved', at, handsetId: HANDSET_ID, counter: 300_000_001, command: { kind: 'LOCATE' }, incidentId: null, by: 'engineer' },
      { type: 'command.result', at, handsetId: HANDSET_ID, counter: 300_000_001, result: 'failed', detail: 'not sent: no free line' },
      // Unsettled: the crash came between the reservation and the modem's answer.
      { type: 'command.reserved', at, handsetId: HANDSET_ID, counter: 300_000_002, command: { kind: 'STOP' }, incidentId: null, by: 'engineer' },
      // Unsettled, written before reservations named their command.
      { type: 'command.reserved', at, handsetId: HANDSET_ID, counter: 300_000_003 },
    ]);
    await store.close();

    const second = await startRig({ file, register: [] });
    const sent = second.ofType('command.sent');
    const results = second.ofType('command.result').filter((e) => (e['counter'] as number) > 300_000_001);
    expect(sent).toMatchObject([{ handsetId: HANDSET_ID, counter: 300_000_002, command: { kind: 'STOP' }, by: 'engineer', lineId: 'unknown' }]);
    expect(results).toMatchObject([
      { counter: 300_000_002, result: 'sent', detail: expect.stringMatching(/^uncertain: .*may not have left/) },
      { counter: 300_000_003, result: 'failed', detail: expect.stringMatching(/^uncertain: .*may have been sent/) },
    ]);
    // It waits for the handset's ACK as any sent command.
    expect(second.core.state.commands.waiting(HANDSET_ID).map((c) => c.counter)).toEqual([300_000_002]);
    await second.stop();

    // The next start finds them settled: nothing is recorded twice.
    const third = await startRig({ file, register: [] });
    const types = (await third.all()).map((e) => e.event.type);
    expect(types.filter((t) => t === 'command.sent')).toHaveLength(1);
    expect(types.filter((t) => t === 'command.result')).toHaveLength(3);
  });
});
