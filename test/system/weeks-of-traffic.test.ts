// Days of a control room's traffic through the whole gateway in this process (core, SQLite store, HTTP and
// WebSocket edge) on a ManualClock: daily heartbeats, alarms that open incidents with tracking, calls answered
// and hung up, LOCATE and STOP with their ACKs, engineers' LOCATEs that time out, ordinary 999 calls with AML
// (each from a number never seen again), text from unknown senders, forged and replayed reports, concatenated
// SMS that never complete, logins and logouts, failed logins for names never seen again, consoles that open and
// leave, and a daily retention purge (retentionDays 1).
//
// A gateway runs for months; the benchmarks run minutes. What the gateway holds in memory must follow what is
// live, never the number of events or days gone by: the same traffic for three more days must leave every
// collection below no larger than the first three days did. (Closed incidents are the one projection known to
// grow with time: every incident stays in memory and in the snapshot for good, reported with its figures; it is
// not checked here.) The collections are read from the objects' own fields: they have no public sizes.
import Database from 'better-sqlite3';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/time/clock.js';
import { LoginLimiter } from '../../gateway/auth/login-limiter.js';
import { SessionStore } from '../../gateway/auth/sessions.js';
import { GatewayConfigSchema } from '../../gateway/config/config.js';
import { startGateway, type GatewayApp } from '../../gateway/core/gateway-app.js';
import { DEFAULT_FANOUT } from '../../gateway/fanout/fanout.js';
import { deliverPdus, fleet, reportText, type FleetHandset } from '../support/fleet.js';
import { CapturedLines, DEMO_PASSWORD } from '../support/in-process-gateway.js';
import { tmpDir } from '../gateway/core/harness.js';
import { connect } from '../gateway/http/ws-client.js';

const HANDSETS = 60;
const SLOT_MS = 10 * 60_000;
const SLOTS_PER_DAY = 144;
const HANDLER = { username: 'handler', role: 'call-handler' as const };
const ENGINEER = { username: 'engineer', role: 'engineer' as const };

// The edge's session table and login limiter are made inside createHttpServer: caught on their first use.
const edge: { sessions?: SessionStore; limiter?: LoginLimiter } = {};
const create = SessionStore.prototype.create;
SessionStore.prototype.create = function (this: SessionStore, ...a: Parameters<SessionStore['create']>) {
  edge.sessions = this;
  return create.apply(this, a);
};
const check = LoginLimiter.prototype.check;
LoginLimiter.prototype.check = function (this: LoginLimiter, ...a: Parameters<LoginLimiter['check']>) {
  edge.limiter = this;
  return check.apply(this, a);
};

type Fields = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The size of every collection that must follow what is live, by name. */
function held(app: GatewayApp, clock: ManualClock): Record<string, number> {
  const core = app.core as unknown as Fields;
  const state = core['state'] as Fields;
  const intake = (core['reports'] as Fields)['intake'] as Fields;
  const reassembler = intake['reassembler'] as Fields;
  const fanout = app.http.fanout as unknown as Fields;
  const sizes: Record<string, number> = {
    'registry handsets': state['registry'].byId.size,
    'open incidents': state['incidents'].openByHandset.size,
    'calls': state['calls'].byId.size,
    'calls on lines': state['calls'].activeByLine.size,
    'handsets with commands': state['commands'].byHandset.size,
    'commands waiting': [...(state['commands'].byHandset as Map<string, unknown[]>).values()].reduce((n, l) => n + l.length, 0),
    'unanswered LOCATEs': state['commands'].locates.size,
    'AML waiting': state['waitingAml'].size,
    'answer requests': core['answering'].size,
    'hang-up requests': core['hangingUp'].size,
    'calls ringing on lines': core['ringingOnLines'].size,
    'background work': core['background'].size,
    'reassembly open': reassembler['open'].size,
    'reassembly held': reassembler['held'].size,
    'single-part copies': intake['singles'].size,
    'stored expiries remembered': intake['recorded'].size,
    'reassembly timers': intake['clock'].kept.length + intake['clock'].onBase.size,
    'sessions': (edge.sessions as unknown as Fields)['byDigest'].size,
    'login limiter keys': (edge.limiter as unknown as Fields)['failures'].size,
    'WebSocket clients': fanout['clients'].size,
    'fan-out pending': fanout['pending'].size,
    'clock timers': clock.pendingCount,
  };
  for (const [role, picture] of fanout['views'].pictures as Map<string, Fields>) {
    const s = picture['state'] as Fields;
    sizes[`${role} picture calls`] = s['calls'].size;
    sizes[`${role} picture incidents`] = s['incidents'].size;
    sizes[`${role} picture tracks`] = s['tracks'].size;
    sizes[`${role} picture commands`] = s['commands'].size;
    sizes[`${role} picture rejected`] = s['rejected'].length;
  }
  for (const [name, metric] of (app.http.metrics.registry as unknown as Fields)['metrics'] as Map<string, Fields>) sizes[`${name} label sets`] = metric['values'].size;
  for (const [name, n] of Object.entries(sizes)) expect(Number.isInteger(n), `${name} is read from a field that is no longer there`).toBe(true);
  return sizes;
}

describe('weeks of traffic', () => {
  it('what the gateway holds follows what is live, not the days gone by', async () => {
    const dir = tmpDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 0, 0, 0));
    const db = path.join(dir, 'tecsos.db');
    const lines = new CapturedLines();
    const start = () =>
      startGateway({
        config: GatewayConfigSchema.parse({ db, http: '127.0.0.1:0', demoUsers: true, demoPassword: DEMO_PASSWORD, retentionDays: 1 }),
        env: {},
        logger: pino({ level: 'silent' }),
        clock,
        http: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 2_000_000_000 } },
        lineBank: (_specs, listener) => {
          lines.listener = listener;
          return lines;
        },
      });
    let app = await start();
    try {
      let core = app.core;
      const handsets = fleet(HANDSETS);
      await core.importRegistrations(
        handsets.map((h) => ({ id: h.id, number: h.number, imei: h.imei, key: h.key, force: 'West Yorkshire Police', victim: { name: `Victim ${h.id}`, safetyNotes: '', riskMarkers: [] }, testMode: false, replace: false })),
      );
      const counters = new Map<string, number>();
      let ref = 1;
      let fresh = 0;
      const sms = (text: string, from: string) => {
        for (const pdu of deliverPdus(text, from, ref++, clock.now())) lines.sms(pdu, clock.now());
      };
      const next = (h: FleetHandset) => {
        counters.set(h.id, (counters.get(h.id) ?? 0) + 1);
        return counters.get(h.id) as number;
      };
      const send = (h: FleetHandset, e: 'ALM' | 'TRK' | 'HBT' | 'ACK') => sms(reportText(h, next(h), clock.now(), e), h.number);
      const step = async (ms: number) => {
        clock.advance(ms);
        await core.idle();
      };
      const post = (url: string, body: unknown, cookie = '') =>
        fetch(`${app.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: app.url, cookie }, body: JSON.stringify(body) });
      const aml = () => `A"ML=1;lt=+53.80${String(fresh % 1000).padStart(3, '0')};lg=-1.55180;rd=50;top=20261123055930;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=128`;
      let day = 0;

      const oneDay = async () => {
        for (let slot = 0; slot < SLOTS_PER_DAY; slot++) {
          for (let i = slot; i < HANDSETS; i += SLOTS_PER_DAY) send(handsets[i] as FleetHandset, 'HBT');
          if (slot % 48 === 5) {
            // An alarm: ALM, her call answered, 10 min of tracking, LOCATE (ACKed every other time), STOP, close.
            const h = handsets[(day * 3 + Math.floor(slot / 48)) % HANDSETS] as FleetHandset;
            send(h, 'ALM');
            await core.idle();
            core.onCall({ kind: 'ringing', lineId: 'L2', at: clock.now(), number: h.number, toa: 145 });
            await core.idle();
            const call = core.state.calls.onLine('L2');
            const incident = core.state.incidents.openFor(h.id);
            expect(call?.incidentId).toBe(incident?.id);
            await core.answer((call as { id: string }).id, HANDLER);
            for (let k = 0; k < 20; k++) {
              await step(30_000);
              send(h, 'TRK');
              if (k === 5) await core.locate((incident as { id: string }).id, HANDLER);
              if (k === 6 && slot % 96 === 5) send(h, 'ACK');
            }
            await core.hangup((call as { id: string }).id, HANDLER);
            await core.stopTracking((incident as { id: string }).id, HANDLER);
            send(h, 'ACK');
            expect(await core.close((incident as { id: string }).id, { outcome: 'false-alarm' }, HANDLER)).toMatchObject({ ok: true });
            continue;
          }
          if (slot % 12 === 1) {
            // An ordinary 999 call with its AML, and an AML with no call from another number.
            const number = `+4479${String(10_000_000 + fresh++)}`;
            core.onCall({ kind: 'ringing', lineId: 'L3', at: clock.now(), number, toa: 145 });
            await core.idle();
            sms(aml(), number);
            await step(60_000);
            core.onCall({ kind: 'ended', lineId: 'L3', at: clock.now(), endedBy: 'caller' });
            sms(aml(), `+4478${String(10_000_000 + fresh++)}`);
          }
          if (slot % 8 === 2) sms(`hello ${fresh}`, `+4476${String(10_000_000 + fresh++)}`);
          if (slot % 24 === 3) {
            const h = handsets[slot % HANDSETS] as FleetHandset;
            sms(reportText({ ...h, key: new Uint8Array(32).fill(9) }, (counters.get(h.id) ?? 0) + 1, clock.now(), 'ALM'), h.number); // forged
            sms(reportText(h, Math.max(1, counters.get(h.id) ?? 1), clock.now(), 'HBT'), h.number); // replayed
          }
          if (slot % 36 === 8) {
            const h = handsets[(slot * 3) % HANDSETS] as FleetHandset;
            lines.sms(deliverPdus(reportText(h, next(h), clock.now(), 'HBT'), h.number, ref++, clock.now())[0] as string, clock.now()); // part 2 never comes
          }
          if (slot % 48 === 20) await core.sendCommand((handsets[(slot + day) % HANDSETS] as FleetHandset).id, { kind: 'LOCATE' }, ENGINEER); // never ACKed
          if (slot % 24 === 9) {
            const r = await post('/api/login', { username: slot % 48 === 9 ? 'handler' : 'supervisor', password: DEMO_PASSWORD });
            expect(r.status).toBe(200);
            const cookie = String(r.headers.get('set-cookie')).split(';')[0] as string;
            const c = connect(`${app.url.replace('http', 'ws')}/ws?since=0&view=1`, { cookie, origin: app.url });
            await c.until((m) => m['type'] === 'live');
            c.ws.close();
            await c.ended;
            if (slot % 72 !== 9) await (await post('/api/logout', {}, cookie)).text();
          }
          if (slot % 48 === 30) expect((await post('/api/login', { username: `nobody${fresh++}`, password: 'wrong' })).status).toBe(401);
          await step(SLOT_MS);
        }
        day++;
      };

      for (let d = 0; d < 3; d++) await oneDay();
      await new Promise((r) => setImmediate(r)); // the fan-out's broadcast of the last commit
      const first = held(app, clock);
      for (let d = 0; d < 3; d++) await oneDay();
      await new Promise((r) => setImmediate(r));
      const second = held(app, clock);

      // The traffic did happen: incidents, purges, rejections.
      expect(core.state.incidents.all().filter((i) => i.state === 'closed')).toHaveLength(6 * 3);
      expect(app.store.stats().purges).toBeGreaterThanOrEqual(5);
      expect(second['tecsos_reports_rejected_total label sets']).toBeGreaterThanOrEqual(3);
      // Kept per handset, or up to a fixed number, by design: these fill up over the first days, then stay.
      const capped: [RegExp, number][] = [
        [/^handsets with commands$/, HANDSETS],
        [/^unanswered LOCATEs$/, HANDSETS],
        [/picture calls$/, 50], // protocol/schemas/console-state.ts ENDED_KEEP ended calls (none live here)
        [/picture incidents$/, 50],
        [/picture commands$/, 2 * HANDSETS], // the newest of each kind per handset
        [/picture rejected$/, 200],
      ];
      const over = Object.keys(second).flatMap((k) => {
        const cap = capped.find(([re]) => re.test(k))?.[1];
        if (cap !== undefined) return (second[k] as number) > cap ? [`${k}: ${second[k]} > ${cap}`] : [];
        return (second[k] as number) > (first[k] ?? 0) ? [`${k}: ${first[k]} -> ${second[k]}`] : [];
      });
      expect(over).toEqual([]);

      // A start without a snapshot (a new snapshot format, a damaged one) rebuilds from the whole log: it holds
      // what the running gateway held, nothing of the days it read through.
      await app.close();
      const sqlite = new Database(db);
      sqlite.exec('DELETE FROM snapshots');
      sqlite.close();
      app = await start();
      core = app.core;
      await oneDay();
      await new Promise((r) => setImmediate(r));
      const rebuilt = held(app, clock);
      expect(core.state.incidents.all()).toHaveLength(6 * 3 + 3);
      const live = ['stored expiries remembered', 'reassembly open', 'reassembly held', 'single-part copies', 'calls', 'AML waiting', 'commands waiting'];
      expect(live.filter((k) => (rebuilt[k] as number) > (second[k] as number)).map((k) => `${k}: ${second[k]} -> ${rebuilt[k]}`)).toEqual([]);
    } finally {
      await app.close();
    }
  }, 60_000);
});
