// publicLog: what the HTTP edge hears of each commit. Internal events are tombstones, and the store's JSON text
// of one (raw SMS, keys, password hashes) is never handed on with it; a public event's text is, for the fan-out
// to send as it is (gateway/fanout/wire.ts wireText).
import { describe, expect, it } from 'vitest';
import { publicLog } from '../../../gateway/core/public-log.js';
import type { StoredEvent } from '../../../gateway/store/event-store.js';
import { tmpStore } from '../store/tmp-store.js';

const AT = '2026-11-23T06:00:00.000Z';

describe('publicLog', () => {
  it('hands the edge a public event with its stored text, an internal one masked and without its text', async () => {
    const { store } = tmpStore();
    const told: { events: StoredEvent[]; texts: (string | undefined)[] | undefined }[] = [];
    publicLog(store).subscribe((events, texts) => told.push({ events: [...events], texts: texts && [...texts] }));
    const internal = { type: 'sms.received', at: AT, lineId: 'line1', pdu: '0791447728008000', secret: 'raw' };
    const health = { type: 'line.health', at: AT, lineId: 'line1', port: 'mock:a', state: 'up', registration: 'home', signalCsq: 20, detail: '' };
    await store.stage([internal, health]).durable;
    expect(told).toHaveLength(1);
    const [masked, shown] = told[0]?.events ?? [];
    expect(masked).toMatchObject({ seq: 1, redacted: true, event: { type: 'internal', redacted: true } });
    expect(shown).toMatchObject({ seq: 2, redacted: false, event: health });
    expect(told[0]?.texts).toEqual([undefined, JSON.stringify(health)]);
  });
});
