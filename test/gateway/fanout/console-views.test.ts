// A console that opens with nothing asks for the picture (`/ws?since=0&view=1`, gateway/fanout/console-views.ts)
// instead of every event. The picture must be exactly what the console would have built from every event:
// here two consoles of each role sign in on the same log through the real HTTP edge, SQLite store and fan-out,
// one with the picture and one replaying every event, and their states are compared whole. The log exercises
// every path of the reducer: more than 50 ended calls and closed incidents (the oldest dropped), re-alarms,
// AML fixes of ordinary calls, health problems and recoveries, commands of every kind, more than 200
// rejected reports, and events no console receives (internal, user.*).
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleState } from '../../../protocol/schemas/console-state.js';
import { ConsoleView, GatewayEvent } from '../../../protocol/schemas/index.js';
import type { EventStore, NewEvent } from '../../../gateway/store/event-store.js';
import { openEventStore } from '../../../gateway/store/open-store.js';
import { DEFAULT_FANOUT } from '../../../gateway/fanout/fanout.js';
import { startEdge, type Edge } from '../http/harness.js';
import { connect, type Recorder } from '../http/ws-client.js';

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A deterministic mixed log of about `n` events, each checked against protocol/schemas when public. */
function mixedLog(n: number, seed: number, t0 = T0): NewEvent[] {
  let x = seed;
  const rnd = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out: NewEvent[] = [];
  let t = t0;
  let calls = 0;
  let incidents = 0;
  let counter = 1;
  const ringing: string[] = [];
  const answered: string[] = [];
  const open: { id: string; handsetId: string }[] = [];
  const sent: { handsetId: string; counter: number }[] = [];
  while (out.length < n) {
    t += 1000 + Math.floor(rnd() * 5000);
    const at = iso(t);
    const h = `TS-${String(1 + Math.floor(rnd() * 12)).padStart(4, '0')}`;
    const r = rnd();
    if (r < 0.1) {
      const callId = `CALL-${String(++calls).padStart(6, '0')}`;
      const inc = rnd() < 0.3 ? open.at(-1) : undefined;
      const priority = inc ? 'tecsos' : pick(['ordinary', 'tecsos-unregistered', 'test', 'ordinary'] as const);
      out.push({ type: 'call.ringing', at, callId, lineId: pick(['L1', 'L2']), callerNumber: rnd() < 0.1 ? null : '+447700900123', priority, handsetId: inc?.handsetId ?? null, incidentId: inc?.id ?? null, force: inc ? 'West Yorkshire Police' : null });
      ringing.push(callId);
    } else if (r < 0.17 && ringing.length > 0) {
      const callId = ringing.splice(Math.floor(rnd() * ringing.length), 1)[0] as string;
      if (rnd() < 0.6) {
        out.push({ type: 'call.answered', at, callId, lineId: 'L1', by: 'handler' });
        answered.push(callId);
      } else out.push({ type: 'call.ended', at, callId, lineId: 'L1', endedBy: 'caller', by: null, talkSeconds: null });
    } else if (r < 0.23 && answered.length > 0) {
      const callId = answered.shift() as string;
      out.push({ type: 'call.ended', at, callId, lineId: 'L1', endedBy: pick(['caller', 'handler', 'network'] as const), by: 'handler', talkSeconds: 30 });
    } else if (r < 0.3) {
      const id = `INC-${String(++incidents).padStart(6, '0')}`;
      const callId = ringing.length > 0 && rnd() < 0.3 ? (ringing.at(-1) as string) : null;
      out.push({ type: 'incident.opened', at, incidentId: id, handsetId: h, cause: pick(['alarm', 'call', 'test', 'tracking'] as const), priority: pick(['tecsos', 'test'] as const), callId, force: 'West Yorkshire Police' });
      open.push({ id, handsetId: h });
    } else if (r < 0.38 && open.length > 0) {
      const i = pick(open);
      const k = rnd();
      if (k < 0.3) out.push({ type: 'incident.acknowledged', at, incidentId: i.id, by: 'handler', note: 'on it' });
      else if (k < 0.45) out.push({ type: 'incident.re-alarmed', at, incidentId: i.id, handsetId: i.handsetId, reportCounter: counter++ });
      else if (k < 0.6) out.push({ type: 'incident.tracking-stopped', at, incidentId: i.id, handsetId: i.handsetId, reason: 'handler', by: 'handler' });
      else if (k < 0.65) out.push({ type: 'incident.locate-requested', at, incidentId: i.id, handsetId: i.handsetId, by: 'handler' });
      else {
        out.push({ type: 'incident.closed', at, incidentId: i.id, by: 'supervisor', outcome: 'officers-attended' });
        open.splice(open.indexOf(i), 1);
      }
    } else if (r < 0.55) {
      const i = open.length > 0 && rnd() < 0.8 ? pick(open) : undefined;
      const callId = i === undefined && ringing.length > 0 && rnd() < 0.5 ? pick(ringing) : null;
      // Fix times out of order now and then (SMS): the track keeps fix-time order.
      const fixAt = iso(t - Math.floor(rnd() * 60_000));
      out.push({
        type: 'fix', at, incidentId: i?.id ?? null, handsetId: i?.handsetId ?? null, callId, lat: 53.79 + rnd() * 0.01, lon: -1.54 + rnd() * 0.01,
        accuracyM: 5, fixTime: fixAt, receivedAt: at, source: callId === null ? 'gps' : 'aml', gpsStatus: callId === null ? 'valid' : null,
        amlMethod: callId === null ? null : 'gnss', speedKnots: 1, courseDeg: 90, sats: 8, hdop: 1, reportCounter: callId === null ? counter++ : null,
        ...(callId !== null && { confidencePct: 68 }),
      });
    } else if (r < 0.65) {
      out.push({ type: 'report.accepted', at, handsetId: h, counter: counter++, event: pick(['TRK', 'HBT', 'ALM'] as const), batteryPct: Math.floor(rnd() * 100), csq: pick([5, 20, 99]), incidentId: open.at(-1)?.id ?? null, receivedAt: iso(t - Math.floor(rnd() * 90_000)), fromNumber: '+447700900101' });
      if (rnd() < 0.5) out.push({ type: 'handset.status', at, handsetId: h, batteryPct: 70, csq: 18, lastReportAt: at, lastEvent: 'TRK', lastCounter: counter });
    } else if (r < 0.75) {
      out.push({ type: 'report.rejected', at, reason: pick(['bad-mac', 'replay', 'duplicate', 'unknown-sender'] as const), claimedHandsetId: rnd() < 0.5 ? h : null, counter: null, fromNumber: '+447700900999', receivedAt: at, detail: 'test' });
    } else if (r < 0.8) {
      out.push({ type: 'handset.health', at, handsetId: h, problem: pick(['missed-heartbeat', 'low-battery', 'tamper', 'recovered'] as const), lastHeartbeatAt: null, batteryPct: 10, detail: 'test' });
    } else if (r < 0.88) {
      const c = counter++;
      out.push({ type: 'command.sent', at, handsetId: h, incidentId: open.at(-1)?.id ?? null, counter: c, command: pick([{ kind: 'STOP' }, { kind: 'LOCATE' }, { kind: 'INTERVAL', seconds: 30 }] as const), by: 'handler', lineId: 'L2' });
      sent.push({ handsetId: h, counter: c });
    } else if (r < 0.93 && sent.length > 0) {
      const c = pick(sent);
      out.push({ type: 'command.result', at, handsetId: c.handsetId, counter: c.counter, result: pick(['sent', 'acknowledged', 'failed', 'timeout'] as const), detail: 'test' });
    } else if (r < 0.96) {
      out.push({ type: 'line.health', at, lineId: pick(['L1', 'L2', 'L3']), port: 'tcp://127.0.0.1:7101', state: pick(['up', 'down'] as const), registration: 'home', signalCsq: 20, detail: 'test' });
    } else {
      // Never sent to a console.
      out.push({ type: 'sms.received', at, lineId: 'L1', pdu: '00', receivedAt: t });
    }
  }
  for (const [i, e] of out.entries()) {
    if (e.type === 'sms.received') continue;
    const parsed = GatewayEvent.safeParse({ ...e, v: 1, seq: i + 1 });
    if (!parsed.success) throw new Error(`test log event ${i} (${e.type}) is off-schema: ${JSON.stringify(parsed.error.issues[0])}`);
  }
  return out;
}

/** A console's state from the messages it received: the picture (if any), then every event after it. */
function stateOf(rec: Recorder): ConsoleState {
  const state = new ConsoleState();
  let parts: string[] = [];
  for (const m of rec.messages) {
    if (m['type'] === 'view') {
      parts.push(m['text'] as string);
      if (parts.length === m['parts']) {
        state.restore(ConsoleView.parse(JSON.parse(parts.join(''))), m['seq'] as number);
        parts = [];
      }
      continue;
    }
    const events = m['type'] === 'batch' ? (m['events'] as unknown[]) : typeof m['seq'] === 'number' ? [m] : [];
    for (const e of events) state.apply(GatewayEvent.parse(e));
  }
  return state;
}

let base = '';

async function start(options: Parameters<typeof startEdge>[0] = {}): Promise<Edge> {
  const e = await startEdge(options);
  base = await e.server.listen();
  return e;
}

async function live(edge: Edge, user: string, query: string): Promise<Recorder> {
  const cookie = await edge.login(user);
  const rec = connect(`${base.replace(/^http/, 'ws')}/ws?${query}`, { cookie, origin: base });
  await rec.until((m) => m['type'] === 'live');
  return rec;
}

function levelWith(rec: Recorder, seq: number): Promise<void> {
  return rec.until((m) => (typeof m['seq'] === 'number' && (m['seq'] as number) >= seq) || (m['type'] === 'batch' && (m['events'] as { seq: number }[]).some((e) => e.seq >= seq)));
}

/** The store with its readSince calls counted in `reads.n`. */
function counting(reads: { n: number }): (s: EventStore) => EventStore {
  return (s) =>
    new Proxy(s, {
      get(target, prop, receiver) {
        if (prop === 'readSince') return (after: number, limit?: number) => (reads.n++, target.readSince(after, limit));
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
}

/** Resolves once `reads.n` has not moved for two looks 200 ms apart (a background build done). */
async function readsSettled(reads: { n: number }): Promise<void> {
  let settled = -1;
  await expect.poll(async () => {
    const was = settled;
    settled = reads.n;
    await new Promise((r) => setTimeout(r, 200));
    return reads.n === settled && was === settled;
  }, { timeout: 10_000 }).toBe(true);
}

let edge: Edge | undefined;
afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

describe('a console that opens with nothing starts from the picture', () => {
  it('the picture is the state every event would have built, for every role, and live events follow it', { timeout: 60_000 }, async () => {
    edge = await start();
    const log = mixedLog(3000, 7);
    for (let i = 0; i < log.length; i += 400) await edge.store.append(log.slice(i, i + 400));
    for (const user of ['handler', 'super', 'eng']) {
      const head = await edge.store.lastSeq();
      const withView = await live(edge, user, 'since=0&batch=1&view=1');
      const replay = await live(edge, user, 'since=0&batch=1');
      const viewParts = withView.messages.filter((m) => m['type'] === 'view');
      expect(viewParts.length).toBeGreaterThan(0);
      expect(viewParts[0]?.['seq']).toBe(head);
      // The picture replaced the log: no event up to its seq was sent.
      expect(stateOfSeqs(withView)).toEqual([]);
      const a = stateOf(withView);
      const b = stateOf(replay);
      expect(b.applied).toBeGreaterThan(0);
      expect(a.view()).toEqual(b.view());
      // Who hung up (call.ended's `by`) is in the picture too: the console names her (CallView hungUpBy, 25 Nov).
      if (user !== 'eng') expect(a.view().calls.filter((c) => c.state === 'ended' && c.endedBy === 'handler').map((c) => c.hungUpBy)).toContain('handler');
      expect(a.lastSeq).toBe(head);
      // Live events after it: both apply them, and still agree.
      const more = mixedLog(200, 11 + user.length, T0 + 86_400_000);
      await edge.store.append(more);
      const last = await edge.store.lastSeq();
      const lastPublic = last - (more.at(-1)?.type === 'sms.received' ? 1 : 0);
      await Promise.all([levelWith(withView, lastPublic), levelWith(replay, lastPublic)]);
      expect(stateOf(withView).view()).toEqual(stateOf(replay).view());
      withView.ws.close();
      replay.ws.close();
    }
  });

  it('what the reducer holds is covered: dropped calls and incidents, tracks, commands, health, lines, rejected', async () => {
    const state = new ConsoleState();
    mixedLog(3000, 7).forEach((e, i) => {
      if (e.type !== 'sms.received') state.apply(GatewayEvent.parse({ ...e, v: 1, seq: i + 1 }));
    });
    const v = state.view();
    expect(v.calls.filter((c) => c.state === 'ended')).toHaveLength(50);
    expect(v.incidents.filter((i) => i.state === 'closed')).toHaveLength(50);
    expect(v.incidents.some((i) => i.reAlarmedAt !== null)).toBe(true);
    expect(v.tracks.some((t) => t.key.startsWith('call:'))).toBe(true);
    expect(v.commands.some((c) => c.result !== null)).toBe(true);
    expect(v.health.length).toBeGreaterThan(0);
    expect(v.lines.length).toBeGreaterThan(0);
    expect(v.rejected).toHaveLength(200);
    expect(v.recent).toHaveLength(200);
  });

  it('after a retention purge the picture is built again: it holds no purged position', { timeout: 60_000 }, async () => {
    edge = await start();
    const log = mixedLog(1500, 3);
    await edge.store.append(log);
    const first = await live(edge, 'handler', 'since=0&batch=1&view=1');
    const before = stateOf(first);
    const fixes = (s: ConsoleState) => [...s.tracks.values()].reduce((n, t) => n + t.length, 0);
    expect(fixes(before)).toBeGreaterThan(0);
    first.ws.close();
    // Every fix of the log is older than this.
    await edge.store.purge(Date.now(), ['fix'], 'test');
    const after = await live(edge, 'handler', 'since=0&batch=1&view=1');
    const replay = await live(edge, 'handler', 'since=0&batch=1');
    expect(fixes(stateOf(after))).toBe(0);
    const metrics = await edge.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^tecsos_fanout_views_total 2$/m);
    expect(stateOf(after).view()).toEqual(stateOf(replay).view());
    after.ws.close();
    replay.ws.close();
  });

  it('after a purge the stale picture is rebuilt at the next heartbeat, so the next console does not wait for a build', { timeout: 60_000 }, async () => {
    const reads = { n: 0 };
    // A heartbeat of 1 s, not 50 ms: under load a client's pong came later than 50 ms, and the heartbeat
    // terminated it (the test then waited for its `live` until it timed out).
    edge = await start({ config: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 1000 } }, wrapStore: counting(reads) });
    await edge.store.append(mixedLog(3000, 9));
    (await live(edge, 'handler', 'since=0&batch=1&view=1')).ws.close();
    await readsSettled(reads);
    reads.n = 0;
    await edge.store.purge(Date.now(), ['fix'], 'test');
    // The heartbeat's rebuild reads the whole log (7 pages of 500), in the background.
    await expect.poll(() => reads.n, { timeout: 10_000 }).toBeGreaterThanOrEqual(7);
    await readsSettled(reads);
    reads.n = 0;
    const after = await live(edge, 'handler', 'since=0&batch=1&view=1');
    // Only the backlog's read after the picture: no build.
    expect(reads.n).toBeLessThanOrEqual(2);
    const replay = await live(edge, 'handler', 'since=0&batch=1');
    expect(stateOf(after).view()).toEqual(stateOf(replay).view());
    after.ws.close();
    replay.ws.close();
  });

  it('after a start over a log, every role\'s picture is built in the background: a console that opens then reads no page of the log for it', { timeout: 60_000 }, async () => {
    // The log as a restarted gateway finds it.
    const store = openEventStore({ path: ':memory:' });
    const log = mixedLog(3000, 13);
    for (let i = 0; i < log.length; i += 500) await store.append(log.slice(i, i + 500));
    const reads = { n: 0 };
    edge = await start({ store, wrapStore: counting(reads) });
    // The build begins PICTURE_BUILD_DELAY_MS (5 s) after the start and reads the whole log (6 pages of 500).
    await expect.poll(() => reads.n, { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
    await readsSettled(reads);
    reads.n = 0;
    const consoles: Recorder[] = [];
    for (const user of ['handler', 'super', 'eng']) consoles.push(await live(edge, user, 'since=0&batch=1&view=1'));
    // One backlog page each after the picture; before, the first console of each role read the whole log first
    // (7 pages of 500) and the call handler waited for it.
    expect(reads.n).toBeLessThanOrEqual(3);
    const head = await edge.store.lastSeq();
    for (const [i, user] of ['handler', 'super', 'eng'].entries()) {
      const withView = consoles[i] as Recorder;
      expect(withView.messages.find((m) => m['type'] === 'view')?.['seq']).toBe(head);
      const replay = await live(edge, user, 'since=0&batch=1');
      expect(stateOf(withView).view()).toEqual(stateOf(replay).view());
      withView.ws.close();
      replay.ws.close();
    }
  });

  it('view=0 or a resume (since > 0) gets events as before, and a bad value is refused', async () => {
    edge = await start();
    await edge.store.append(mixedLog(100, 5));
    const resumed = await live(edge, 'handler', 'since=10&batch=1&view=1');
    expect(resumed.messages.some((m) => m['type'] === 'view')).toBe(false);
    expect(Math.min(...stateOfSeqs(resumed))).toBe(11);
    const cookie = await edge.login('handler');
    const bad = connect(`${base.replace(/^http/, 'ws')}/ws?since=0&view=yes`, { cookie, origin: base });
    const outcome = await bad.ended;
    expect(outcome).toMatchObject({ kind: 'refused', status: 400 });
    resumed.ws.close();
  });
});

function stateOfSeqs(rec: Recorder): number[] {
  const seqs: number[] = [];
  for (const m of rec.messages) {
    if (m['type'] === 'batch') for (const e of m['events'] as { seq: number }[]) seqs.push(e.seq);
    else if (typeof m['seq'] === 'number' && m['type'] !== 'view') seqs.push(m['seq'] as number);
  }
  return seqs;
}
