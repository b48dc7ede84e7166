// The hand-over from the console's picture (`/ws?since=0&view=1`, gateway/fanout/console-views.ts) to the
// events after it, in the conditions the first tests of console-views.test.ts did not meet:
// - the store as the gateway really hands it to the edge (gateway-app.ts: publicLog(store)), not the bare store:
//   a retention purge must still make the next picture be built again;
// - a picture of megabytes read slowly: the client must get all of it and then the events after it, not be
//   dropped as a slow consumer by the first live event while its picture is still queued.
import { afterEach, describe, expect, it } from 'vitest';
import { publicLog } from '../../../gateway/core/public-log.js';
import type { NewEvent } from '../../../gateway/store/event-store.js';
import { startEdge, type Edge } from '../http/harness.js';
import { connect, type Recorder } from '../http/ws-client.js';

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const incidentId = (i: number) => `INC-${String(i + 1).padStart(6, '0')}`;
const handsetId = (i: number) => `TS-${String(i + 1).padStart(4, '0')}`;
let counter = 0;

const opened = (i: number): NewEvent => ({
  type: 'incident.opened', at: iso(T0 + i), incidentId: incidentId(i), handsetId: handsetId(i), cause: 'alarm', priority: 'tecsos', callId: null, force: 'West Yorkshire Police',
});
const fix = (i: number, t: number): NewEvent => ({
  type: 'fix', at: iso(t), incidentId: incidentId(i), handsetId: handsetId(i), callId: null, lat: 53.79, lon: -1.54, accuracyM: 5, fixTime: iso(t - 2000),
  receivedAt: iso(t), source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1.2, courseDeg: 90, sats: 8, hdop: 1, reportCounter: ++counter,
});

/** `incidents` open incidents with `fixes` fixes each. */
async function tracks(edge: Edge, incidents: number, fixes: number): Promise<void> {
  const events: NewEvent[] = [];
  for (let i = 0; i < incidents; i++) events.push(opened(i));
  for (let k = 0; k < fixes; k++) for (let i = 0; i < incidents; i++) events.push(fix(i, T0 + 60_000 + k * 30_000 + i));
  for (let i = 0; i < events.length; i += 5000) await edge.store.append(events.slice(i, i + 5000));
}

let edge: Edge | undefined;
let base = '';
afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

function open(cookie: string, query: string): Recorder {
  return connect(`${base.replace(/^http/, 'ws')}/ws?${query}`, { cookie, origin: base });
}

/** Track points the client was sent: in its picture, and as `fix` events. */
function points(rec: Recorder): number {
  const parts = rec.messages.filter((m) => m['type'] === 'view').map((m) => m['text'] as string);
  const view = parts.length === 0 ? [] : (JSON.parse(parts.join('')) as { tracks: { points: unknown[] }[] }).tracks;
  const inView = view.reduce((n, t) => n + t.points.length, 0);
  const events = rec.messages.flatMap((m) => (m['type'] === 'batch' ? (m['events'] as { type: string }[]) : [m])).filter((e) => e['type'] === 'fix');
  return inView + events.length;
}

describe('the picture handed over to the events after it', () => {
  it('through the store as the gateway wires it (publicLog), a retention purge still rebuilds the picture: no purged position is sent', { timeout: 30_000 }, async () => {
    edge = await startEdge({ wrapStore: (s) => publicLog(s) });
    base = await edge.server.listen();
    await tracks(edge, 2, 5);
    const cookie = await edge.login('handler');
    const first = open(cookie, 'since=0&batch=1&view=1');
    await first.until((m) => m['type'] === 'live');
    expect(points(first)).toBe(10);
    first.ws.close();
    const purged = await edge.store.purge(Date.now(), ['fix'], 'test');
    expect(purged.redacted).toBe(10);
    const replay = open(cookie, 'since=0&batch=1');
    const after = open(cookie, 'since=0&batch=1&view=1');
    await Promise.all([replay.until((m) => m['type'] === 'live'), after.until((m) => m['type'] === 'live')]);
    expect(points(replay)).toBe(0);
    // Before: the picture built before the purge was kept (publicLog had no purge count), with all 10 positions.
    expect(points(after)).toBe(0);
    replay.ws.close();
    after.ws.close();
  });

  it('a client reading a picture of megabytes slowly gets all of it, then the event committed meanwhile, and stays connected', { timeout: 60_000 }, async () => {
    edge = await startEdge();
    base = await edge.server.listen();
    // About 8 MB of picture: far beyond the 1 MiB a live client may have queued, and beyond what the loopback
    // socket's buffers take while the client does not read.
    await tracks(edge, 100, 400);
    const cookie = await edge.login('handler');
    const rec = open(cookie, 'since=0&batch=1&view=1');
    // The client stops reading once the picture has started to come (a slow link, a browser busy parsing).
    await rec.until((m) => m['type'] === 'view');
    const socket = (rec.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const server = edge.server;
    // Committed while the rest of the picture waits for the client (a control room with handsets tracking).
    await edge.store.append([fix(0, T0 + 86_400_000)]);
    const last = await edge.store.lastSeq();
    socket.resume();
    const ended = rec.ended.then((o) => ({ ended: o }));
    const got = rec.until((m) => m['type'] === 'live').then(() => rec.until((m) => (m['type'] === 'batch' ? (m['events'] as { seq: number }[]) : [m]).some((e) => e['seq'] === last)));
    // Before: closed 4008 (slow consumer) by that event, with the picture still being delivered.
    expect(await Promise.race([got.then(() => 'got the picture, then the event'), ended])).toBe('got the picture, then the event');
    const parts = rec.messages.filter((m) => m['type'] === 'view');
    expect(parts.length).toBe(parts[0]?.['parts']);
    expect(points(rec)).toBe(100 * 400 + 1);
    expect(rec.messages.some((m) => m['type'] === 'error')).toBe(false);
    expect(server.fanout.stats.drops.slow).toBe(0);
    rec.ws.close();
  });
});
