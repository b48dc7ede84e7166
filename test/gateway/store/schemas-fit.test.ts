// The store does not depend on protocol/schemas, but what it returns must fit them: an event appended without
// `at` plus `{ v: 1, seq }` is a valid WebSocket message, and a stored audit entry is a valid REST audit entry.
import { describe, expect, it } from 'vitest';
import { AuditEntry, GatewayEvent } from '../../../protocol/schemas/index.js';
import { tmpStore } from './tmp-store.js';

describe('store output fits protocol/schemas', () => {
  it('an event stored without "at" becomes a valid envelope with its seq', async () => {
    const { store } = tmpStore();
    const payload = {
      type: 'line.health',
      lineId: 'line1',
      port: 'tcp://127.0.0.1:7101',
      state: 'up',
      registration: 'home',
      signalCsq: 17,
      detail: 'registered, CSQ 17',
    } as const;
    const [stored] = await store.append([payload]);
    const [read] = await store.readSince(0);
    for (const s of [stored, read]) {
      if (s === undefined) throw new Error('missing');
      expect(GatewayEvent.safeParse({ v: 1, seq: s.seq, ...s.event }).success).toBe(true);
    }
  });

  it('stored audit entries, the purge entry included, are valid audit entries', async () => {
    const { store } = tmpStore();
    await store.appendAudit({ actor: 'jsmith', action: 'track.read', subject: 'incident:INC-7', detail: 'GeoJSON, 118 points' });
    await store.append([{ type: 'fix', at: 0 }]);
    await store.purge(Date.now(), ['fix']);
    const entries = await store.readAudit(0);
    expect(entries).toHaveLength(2);
    for (const e of entries) expect(AuditEntry.safeParse(e).error).toBeUndefined();
  });
});
