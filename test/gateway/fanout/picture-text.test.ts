// The picture's text made a part at a time (gateway/fanout/picture-text.ts): exactly JSON.stringify of the
// picture, cut into parts of the given size, with the event loop free between parts, and a picture taken from a
// state that keeps changing (the next pages of a build) stays the picture of the moment it was taken.
import { describe, expect, it } from 'vitest';
import { ConsoleState } from '../../../protocol/schemas/console-state.js';
import { GatewayEvent } from '../../../protocol/schemas/index.js';
import { pictureOf, pictureParts } from '../../../gateway/fanout/picture-text.js';

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
let seq = 0;
const ev = (e: Record<string, unknown>) => GatewayEvent.parse({ v: 1, seq: ++seq, ...e });

function state(incidents: number, fixes: number): ConsoleState {
  const s = new ConsoleState();
  for (let i = 0; i < incidents; i++) {
    const incidentId = `INC-${String(i + 1).padStart(6, '0')}`;
    const handsetId = `TS-${String(i + 1).padStart(4, '0')}`;
    s.apply(ev({ type: 'incident.opened', at: iso(T0), incidentId, handsetId, cause: 'alarm', priority: 'tecsos', callId: null, force: 'West Yorkshire Police' }));
    s.apply(ev({ type: 'call.ringing', at: iso(T0), callId: `CALL-${String(i + 1).padStart(6, '0')}`, lineId: 'L1', callerNumber: '+447700900123', priority: 'tecsos', handsetId, incidentId, force: null, reason: 'registered' }));
    // Text that is not ASCII, some of it outside the BMP (a part boundary may fall inside a surrogate pair).
    s.apply(ev({ type: 'handset.health', at: iso(T0), handsetId, problem: 'tamper', lastHeartbeatAt: null, batteryPct: 10, detail: `case opened 🔧 — Ünit ${i}` }));
    for (let k = 0; k < fixes; k++) {
      const t = T0 + k * 30_000;
      s.apply(ev({ type: 'fix', at: iso(t), incidentId, handsetId, callId: null, lat: 53.79, lon: -1.54, accuracyM: 5, fixTime: iso(t), receivedAt: iso(t), source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1, courseDeg: 90, sats: 8, hdop: 1, reportCounter: k + 1 }));
    }
  }
  return s;
}

const now = () => Promise.resolve();

describe('the picture text, a part at a time', () => {
  it('is exactly JSON.stringify of the picture, cut into parts of the size asked', async () => {
    const s = state(40, 30);
    const whole = JSON.stringify(s.view());
    for (const size of [1, 7, 1000, 4096, whole.length - 1, whole.length, whole.length + 1]) {
      const parts = (await pictureParts(pictureOf(s), size, now, () => false)) as string[];
      expect(parts.join('')).toBe(whole);
      expect(parts.slice(0, -1).every((p) => p.length === size)).toBe(true);
      expect((parts.at(-1) as string).length).toBeLessThanOrEqual(size);
      expect(parts.at(-1)).not.toBe('');
    }
    // Empty state too.
    expect((await pictureParts(pictureOf(new ConsoleState()), 1000, now, () => false))?.join('')).toBe(JSON.stringify(new ConsoleState().view()));
  });

  it('lets the event loop run between parts, and stops when the client is gone', async () => {
    const s = state(20, 50);
    let ran = false;
    setImmediate(() => (ran = true));
    let turns = 0;
    const parts = await pictureParts(pictureOf(s), 4096, () => new Promise<void>((r) => setImmediate(() => ((turns += 1), r()))), () => false);
    expect((parts as string[]).length).toBeGreaterThan(10);
    expect(ran).toBe(true);
    expect(turns).toBeGreaterThanOrEqual((parts as string[]).length - 1);
    let asked = 0;
    expect(await pictureParts(pictureOf(s), 4096, now, () => ++asked > 2)).toBeUndefined();
  });

  it('a picture taken stays the picture of that moment while the state goes on', async () => {
    const s = state(3, 5);
    const before = JSON.stringify(s.view());
    const picture = pictureOf(s);
    // The next page of a build: more fixes on the same tracks, a call answered.
    for (let k = 0; k < 5; k++) {
      const t = T0 + 3_600_000 + k;
      s.apply(ev({ type: 'fix', at: iso(t), incidentId: 'INC-000001', handsetId: 'TS-0001', callId: null, lat: 53.8, lon: -1.5, accuracyM: 5, fixTime: iso(t), receivedAt: iso(t), source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1, courseDeg: 90, sats: 8, hdop: 1, reportCounter: 100 + k }));
    }
    s.apply(ev({ type: 'call.answered', at: iso(T0 + 3_600_000), callId: 'CALL-000001', lineId: 'L1', by: 'handler' }));
    expect(((await pictureParts(picture, 1000, now, () => false)) as string[]).join('')).toBe(before);
  });
});
