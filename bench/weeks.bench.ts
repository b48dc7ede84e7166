// Weeks of a control room's traffic through the whole gateway in this process (core, SQLite file store, HTTP and
// WebSocket edge) on a ManualClock, in a few minutes: BENCH_WEEKS_HANDSETS handsets (default 300) each sending
// its daily heartbeat, 6 alarms a day (ALM, her call answered, 10 min of TRK, LOCATE acknowledged every other
// time, STOP, hang-up, close), 24 ordinary 999 calls a day with AML from numbers never seen again and 24 AML
// with no call, text from unknown senders, forged and replayed reports, concatenated SMS that never complete,
// engineers' LOCATEs that time out, logins, logouts, failed logins, consoles opening with the picture (view=1)
// and leaving, a daily retention purge (retentionDays 2, or BENCH_WEEKS_RETENTION_DAYS). After each simulated week: the size of every
// in-memory collection of the core and the edge, heap after a full GC, snapshot size, and how long the first
// console to open took (the first after each daily purge rebuilds its role's picture from the whole log), and the
// store on disk: the file and its write-ahead log, events (redacted ones among them) and audit entries.
// Then a restart from the snapshot and one from the whole log, timed (wall and CPU). BENCH_WEEKS (default 4);
// BENCH_WEEKS_RESTART=1 restarts every week instead of running on (docs/benchmarks.md "Weeks").
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { ManualClock } from '../protocol/time/clock.js';
import { GatewayConfigSchema } from '../gateway/config/config.js';
import { startGateway, type GatewayApp } from '../gateway/core/gateway-app.js';
import { DEFAULT_FANOUT } from '../gateway/fanout/fanout.js';
import { SessionStore } from '../gateway/auth/sessions.js';
import { LoginLimiter } from '../gateway/auth/login-limiter.js';
import { snapshotState } from '../gateway/core/snapshot.js';
import { CapturedLines, DEMO_PASSWORD, seedRegistrations } from '../test/support/in-process-gateway.js';
import { deliverPdus, fleet, reportText, type FleetHandset } from '../test/support/fleet.js';
import { connect, type Recorder } from '../test/gateway/http/ws-client.js';
import { envNumber, machine, writeResult } from './support/common.js';

const WEEKS = envNumber('BENCH_WEEKS', 4);
const N = envNumber('BENCH_WEEKS_HANDSETS', 300);
const RETENTION_DAYS = envNumber('BENCH_WEEKS_RETENTION_DAYS', 2);
const SLOT = 10 * 60_000;

const captured: { sessions?: SessionStore; limiter?: LoginLimiter } = {};
const origCreate = SessionStore.prototype.create;
SessionStore.prototype.create = function (this: SessionStore, ...a: Parameters<SessionStore['create']>) {
  captured.sessions = this;
  return origCreate.apply(this, a);
};
const origCheck = LoginLimiter.prototype.check;
LoginLimiter.prototype.check = function (this: LoginLimiter, ...a: Parameters<LoginLimiter['check']>) {
  captured.limiter = this;
  return origCheck.apply(this, a);
};

const dir = mkdtempSync(path.join(import.meta.dirname, 'results', '.weeks-'));
const db = path.join(dir, 'tecsos.db');
const clock = new ManualClock(Date.UTC(2026, 10, 23, 0, 0, 0));
const handsets = fleet(N);
const counters = new Map<string, number>();
const HANDLER = { username: 'handler', role: 'call-handler' as const };
const ENGINEER = { username: 'engineer', role: 'engineer' as const };
let ref = 1;
let uniq = 0;

async function start(): Promise<{ app: GatewayApp; lines: CapturedLines; startMs: number; startCpuMs: number }> {
  const lines = new CapturedLines();
  const config = GatewayConfigSchema.parse({ db, http: '127.0.0.1:0', demoUsers: true, demoPassword: DEMO_PASSWORD, retentionDays: RETENTION_DAYS });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const app = await startGateway({
    config,
    env: {},
    logger: pino({ level: 'silent' }),
    clock,
    http: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 2_000_000_000 } },
    lineBank: (_s, listener) => {
      lines.listener = listener;
      return lines;
    },
  });
  const c1 = process.cpuUsage(c0);
  return { app, lines, startMs: performance.now() - t0, startCpuMs: (c1.user + c1.system) / 1000 };
}

const next = (h: FleetHandset) => {
  const n = (counters.get(h.id) ?? 0) + 1;
  counters.set(h.id, n);
  return n;
};

async function main() {
  await seedRegistrations(db, handsets, new Date(clock.now()).toISOString());
  let g = await start();
  console.log(`start: ${g.startMs.toFixed(0)} ms`);
  const sms = (text: string, from: string) => {
    for (const pdu of deliverPdus(text, from, ref++, clock.now())) g.lines.sms(pdu, clock.now());
  };
  const report = (h: FleetHandset, e: 'ALM' | 'TRK' | 'HBT' | 'ACK') => sms(reportText(h, next(h), clock.now(), e), h.number);
  const idle = () => g.app.core.idle();
  const step = async (ms: number) => {
    clock.advance(ms);
    await idle();
  };
  const login = async (user: string, password = DEMO_PASSWORD) => {
    const r = await fetch(`${g.app.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
    const cookie = String(r.headers.get('set-cookie')).split(';')[0] as string;
    await r.text();
    return { status: r.status, cookie };
  };
  const logout = async (cookie: string) => {
    const r = await fetch(`${g.app.url}/api/logout`, { method: 'POST', headers: { cookie, origin: g.app.url, 'content-type': 'application/json' }, body: '{}' });
    await r.text();
  };
  const AML = (n: number) => `A"ML=1;lt=+53.80${String(n % 1000).padStart(3, '0')};lg=-1.55180;rd=50;top=${new Date(clock.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14)};lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=128`;

  const consoles: Recorder[] = [];
  let openMs: number[] = [];
  const stats: Record<string, unknown>[] = [];
  for (let week = 1; week <= WEEKS; week++) {
    for (let day = 0; day < 7; day++) {
      for (let slot = 0; slot < 144; slot++) {
        // Heartbeats: each handset once a day.
        for (let i = slot; i < N; i += 144) report(handsets[i]!, 'HBT');
        // Alarms: 6 a day.
        if (slot % 24 === 5) {
          const h = handsets[((week * 7 + day) * 6 + Math.floor(slot / 24)) % 50]!;
          report(h, 'ALM');
          await idle();
          g.app.core.onCall({ kind: 'ringing', lineId: 'L2', at: clock.now(), number: h.number, toa: 145 });
          await idle();
          const call = g.app.core.state.calls.onLine('L2');
          if (call) await g.app.core.answer(call.id, HANDLER);
          const inc = g.app.core.state.incidents.openFor(h.id);
          for (let k = 0; k < 20; k++) {
            await step(30_000);
            report(h, 'TRK');
            if (k === 5 && inc) {
              await g.app.core.acknowledge(inc.id, { note: 'units' }, HANDLER);
              await g.app.core.locate(inc.id, HANDLER);
            }
            if (k === 6 && slot % 48 === 5) report(h, 'ACK'); // half the LOCATEs acked
          }
          if (call) await g.app.core.hangup(call.id, HANDLER);
          if (inc) {
            await g.app.core.stopTracking(inc.id, HANDLER);
            report(h, 'ACK');
            await g.app.core.close(inc.id, { outcome: 'false-alarm' }, HANDLER);
          }
          await idle();
          continue; // this slot took 10 min
        }
        // Ordinary 999 calls with AML: 24 a day, from numbers never seen again.
        if (slot % 6 === 1) {
          const num = `+4479${String(10_000_000 + uniq++)}`;
          g.app.core.onCall({ kind: 'ringing', lineId: 'L3', at: clock.now(), number: num, toa: 145 });
          await idle();
          sms(AML(uniq), num);
          await step(60_000);
          g.app.core.onCall({ kind: 'ended', lineId: 'L3', at: clock.now(), endedBy: 'caller' });
          // A second AML that comes after the call with no call (waits), from another fresh number.
          sms(AML(uniq + 1), `+4478${String(10_000_000 + uniq++)}`);
        }
        // Forged / unknown / bad MAC / replay / incomplete.
        if (slot % 4 === 2) sms(`hello ${uniq}`, `+4476${String(10_000_000 + uniq++)}`);
        if (slot % 12 === 3) {
          const h = handsets[slot % N]!;
          sms(reportText({ ...h, key: new Uint8Array(32).fill(9) }, (counters.get(h.id) ?? 0) + 1, clock.now(), 'ALM'), h.number);
        }
        if (slot % 24 === 7) {
          const h = handsets[(slot * 7) % N]!;
          sms(reportText(h, Math.max(1, (counters.get(h.id) ?? 1) - 1), clock.now(), 'HBT'), h.number);
        }
        if (slot % 36 === 8) {
          const h = handsets[(slot * 3) % N]!;
          const pdus = deliverPdus(reportText(h, next(h), clock.now(), 'HBT'), h.number, ref++, clock.now());
          g.lines.sms(pdus[0]!, clock.now()); // part 2 never comes
        }
        // Engineers' LOCATE, never ACKed (times out).
        if (slot % 36 === 20) await g.app.core.sendCommand(handsets[(slot + day) % N]!.id, { kind: 'LOCATE' }, ENGINEER);
        // Logins, logouts, failed logins (fresh usernames), consoles.
        if (slot % 12 === 9) {
          const l = await login(slot % 24 === 9 ? 'handler' : 'supervisor');
          if (l.status === 200) {
            const t0 = performance.now();
            const c = connect(`${g.app.url.replace('http', 'ws')}/ws?since=0&view=1`, { cookie: l.cookie, origin: g.app.url });
            await Promise.race([c.until((m) => m['type'] === 'live'), c.ended]);
            openMs.push(performance.now() - t0);
            consoles.push(c);
            if (consoles.length > 2) {
              const old = consoles.shift()!;
              old.ws.close();
              await old.ended;
            }
            if (slot % 36 !== 9) await logout(l.cookie);
          }
        }
        if (slot % 48 === 30) await login(`nobody${uniq++}`, 'wrong');
        await step(SLOT);
        g.lines.sent.length = 0; // the harness's record of the TSC1 SMS sent: not the gateway's memory
      }
    }
    await idle();
    const m = { ...measure(g.app), disk: await disk() };
    const lastSeq = await g.app.store.lastSeq();
    // Restart: stop (snapshot), start again, timing it.
    for (const c of consoles.splice(0)) {
      c.ws.close();
      await c.ended;
    }
    const restarted = process.env['BENCH_WEEKS_RESTART'] === '1' || week === WEEKS;
    if (restarted) {
      await g.app.close();
      (globalThis as { gc?: () => void }).gc?.();
      g = await start();
    }
    const sorted = [...openMs].sort((a, b) => a - b);
    const consoleOpen = { n: sorted.length, medianMs: Math.round(sorted[sorted.length >> 1] ?? 0), maxMs: Math.round(sorted.at(-1) ?? 0), load: loadavg()[0]!.toFixed(1) };
    openMs = [];
    stats.push({ week, lastSeq, consoleOpen, ...(restarted && { restartMs: Math.round(g.startMs), restartCpuMs: Math.round(g.startCpuMs) }), ...m });
    console.log(JSON.stringify(stats.at(-1)));
  }
  // A rebuild from the whole log, for comparison: no snapshot.
  await g.app.close();
  // What a copy without the freed space would weigh (the backup of docs/operations.md).
  const Vacuum = (await import('better-sqlite3')).default;
  const v = new Vacuum(db, { readonly: true });
  v.exec(`VACUUM INTO '${path.join(dir, 'copy.db')}'`);
  v.close();
  console.log(`store file ${(statSync(db).size / 1e6).toFixed(1)} MB; a VACUUM INTO copy of it ${(statSync(path.join(dir, 'copy.db')).size / 1e6).toFixed(1)} MB`);
  const Database = (await import('better-sqlite3')).default;
  const d = new Database(db);
  d.exec('DELETE FROM snapshots');
  d.close();
  g = await start();
  const rebuild = { wallMs: Math.round(g.startMs), cpuMs: Math.round(g.startCpuMs), load: loadavg()[0]!.toFixed(1), held: measure(g.app) };
  console.log(`full rebuild (no snapshot): ${JSON.stringify(rebuild)}`);
  await g.app.close();
  rmSync(dir, { recursive: true, force: true });
  writeResult('weeks', { conditions: { ...machine(), weeks: WEEKS, handsets: N, retentionDays: RETENTION_DAYS, clock: 'ManualClock', path: 'IncomingSms and call events -> core -> SQLite file store -> HTTP/WebSocket edge (serial/AT layer excluded)' }, weeks: stats, fullRebuild: rebuild });
}

/** The store on disk, read by a second (read-only) connection while the gateway runs. */
async function disk(): Promise<Record<string, number>> {
  const Database = (await import('better-sqlite3')).default;
  const ro = new Database(db, { readonly: true });
  try {
    const n = (sql: string) => (ro.prepare(sql).get() as { n: number }).n;
    return {
      fileMB: +(statSync(db).size / 1e6).toFixed(1),
      walMB: existsSync(`${db}-wal`) ? +(statSync(`${db}-wal`).size / 1e6).toFixed(2) : 0,
      events: n('SELECT count(*) AS n FROM events'),
      redacted: n('SELECT count(*) AS n FROM events WHERE redacted_at IS NOT NULL'),
      auditEntries: n('SELECT count(*) AS n FROM audit'),
      // Space inside the events table's pages that no row uses: what redaction freed (SQLite's dbstat table).
      eventsTableMB: +(n("SELECT sum(pgsize) AS n FROM dbstat WHERE name = 'events'") / 1e6).toFixed(1),
      eventsUnusedMB: +(n("SELECT sum(unused) AS n FROM dbstat WHERE name = 'events'") / 1e6).toFixed(1),
      freelistPages: ro.pragma('freelist_count', { simple: true }) as number,
    };
  } finally {
    ro.close();
  }
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
function measure(app: GatewayApp): Record<string, unknown> {
  const core = app.core as unknown as Any;
  const st = core.state as Any;
  const reports = core.reports as Any;
  const intake = reports.intake as Any;
  const ra = intake.reassembler as Any;
  const fan = app.http.fanout as unknown as Any;
  const views = fan.views as Any;
  const pics: Record<string, unknown> = {};
  for (const [role, p] of views.pictures as Map<string, Any>) {
    const s = p.state as Any;
    pics[role] = { calls: s.calls.size, incidents: s.incidents.size, tracks: s.tracks.size, trackPts: [...s.tracks.values()].reduce((a: number, t: unknown[]) => a + t.length, 0), handsets: s.handsets.size, health: s.health.size, commands: s.commands.size, rejected: s.rejected.length, recent: s.recent.length };
  }
  const metricSizes: Record<string, number> = {};
  for (const [name, metric] of (app.http.metrics.registry as unknown as Any).metrics as Map<string, Any>) metricSizes[name] = metric.values.size;
  const cmdLists = [...(st.commands.byHandset as Map<string, unknown[]>).values()];
  (globalThis as { gc?: () => void }).gc?.();
  const snap = snapshotState(st as never);
  return {
    heapMB: +(process.memoryUsage().heapUsed / 1e6).toFixed(1),
    snapshotKB: Math.round(snap.length / 1024),
    registry: st.registry.byId.size,
    incidents: st.incidents.byId.size,
    incOpen: st.incidents.openByHandset.size,
    incLastClosed: st.incidents.lastClosedByHandset.size,
    incFixes: [...st.incidents.byId.values()].reduce((a: number, i: Any) => a + i.recentFixes.length, 0),
    calls: st.calls.byId.size,
    callsActive: st.calls.activeByLine.size,
    cmdHandsets: cmdLists.length,
    cmdPending: cmdLists.reduce((a, l) => a + l.length, 0),
    locates: st.commands.locates.size,
    waitingAml: st.waitingAml.size,
    macsMax: Math.max(...[...st.registry.byId.values()].map((h: Any) => (h.window.toJSON().macs as unknown[]).length)),
    answering: core.answering.size,
    hangingUp: core.hangingUp.size,
    ringingOnLines: core.ringingOnLines.size,
    background: core.background.size,
    raOpen: ra.open.size,
    raHeld: ra.held.size,
    raDone: ra.done.size,
    singles: intake.singles.byKey.size,
    recorded: intake.recorded.size,
    missed: intake.missed.length,
    rcKept: intake.clock.kept.length,
    rcOnBase: intake.clock.onBase.size,
    sessions: (captured.sessions as unknown as Any)?.byDigest.size,
    limiterKeys: (captured.limiter as unknown as Any)?.failures.size,
    limiterInFlight: (captured.limiter as unknown as Any)?.inFlight.size,
    fanClients: fan.clients.size,
    fanPending: fan.pending.size,
    fanTurns: fan.turns.length,
    pictures: pics,
    metrics: metricSizes,
    timers: clock.pendingCount,
    storeListeners: ((app.store as unknown as Any).listeners as Set<unknown>)?.size,
  };
}

await main();

