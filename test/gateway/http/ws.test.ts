// /ws on a real listening server: refusals before the upgrade, resume without gap or duplicate while events
// keep being appended, slow consumer dropped while others keep receiving, oversized frame, role filtering.
import { afterEach, describe, expect, it } from 'vitest';
import { fix, lineUp, PASSWORD, ringing, startEdge, type Edge } from './harness.js';
import { connect, type Recorder } from './ws-client.js';
import type { HttpConfig } from '../../../gateway/http/config.js';
import { DEFAULT_FANOUT } from '../../../gateway/fanout/fanout.js';
import type { EventStore } from '../../../gateway/store/event-store.js';
import { WsServerMessage } from '../../../protocol/schemas/control.js';

/**
 * The store with the hand-over race built in: when a backlog read returns a short page (the client is about
 * to be level), two more events are committed, and broadcast live, after the page was read and before it is
 * returned; `racing.left` times, so the client must notice it is behind again.
 */
function racingReads(s: EventStore, racing: { left: number }): EventStore {
  return new Proxy(s, {
    get(target, prop, receiver) {
      if (prop === 'readSince') {
        return async (after: number, limit?: number) => {
          const page = await target.readSince(after, limit);
          if (racing.left > 0 && limit !== undefined && limit < 100 && page.length < limit) {
            racing.left--;
            await target.append([ringing(), ringing()]);
          }
          return page;
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

let edge: Edge | undefined;
let base = '';
const open: Recorder[] = [];

async function start(config: Partial<HttpConfig> = {}, wrapStore?: (s: EventStore) => EventStore): Promise<Edge> {
  edge = await startEdge({ config, ...(wrapStore && { wrapStore }) });
  base = (await edge.server.listen()).replace(/^http/, 'ws');
  return edge;
}

function client(path: string, headers: Record<string, string>): Recorder {
  const c = connect(`${base}${path}`, headers);
  open.push(c);
  return c;
}

afterEach(async () => {
  for (const c of open.splice(0)) c.ws.terminate();
  await edge?.close();
  edge = undefined;
});

const origin = () => base.replace(/^ws/, 'http');

describe('upgrade checks', () => {
  it('refuses a foreign Origin with 403 before the upgrade: no open, nothing streamed', async () => {
    const e = await start();
    await e.store.append([ringing()]);
    const cookie = await e.login('handler');
    const c = client('/ws?since=0', { cookie, origin: 'https://evil.example' });
    const outcome = await c.ended;
    expect(outcome).toMatchObject({ kind: 'refused', status: 403 });
    expect(JSON.parse((outcome as { body: string }).body)).toEqual({ error: 'forbidden', message: 'foreign Origin' });
    expect(c.opened).toBe(false);
    expect(c.messages).toEqual([]);
    expect(e.server.metrics.wsRefused.get({ status: '403' })).toBe(1);
  });

  it('refuses a missing or unknown session with 401 before the upgrade', async () => {
    await start();
    const none = client('/ws', { origin: origin() });
    expect(await none.ended).toMatchObject({ kind: 'refused', status: 401 });
    const forged = client('/ws', { origin: origin(), cookie: `tecsos_session=${'A'.repeat(43)}` });
    expect(await forged.ended).toMatchObject({ kind: 'refused', status: 401 });
    expect(none.opened || forged.opened).toBe(false);
  });

  it('refuses a bad since (400) and another path (404)', async () => {
    const e = await start();
    const cookie = await e.login('handler');
    expect(await client('/ws?since=-1', { cookie, origin: origin() }).ended).toMatchObject({ kind: 'refused', status: 400 });
    expect(await client('/ws?since=abc', { cookie, origin: origin() }).ended).toMatchObject({ kind: 'refused', status: 400 });
    expect(await client('/ws?since=0&batch=yes', { cookie, origin: origin() }).ended).toMatchObject({ kind: 'refused', status: 400 });
    expect(await client('/other', { cookie, origin: origin() }).ended).toMatchObject({ kind: 'refused', status: 404 });
  });

  it('accepts a same-origin client with a session and records the subscription in the audit log', async () => {
    const e = await start();
    const cookie = await e.login('handler');
    const c = client('/ws?since=0', { cookie, origin: origin() });
    await c.until((m) => m['type'] === 'live');
    expect(c.messages[0]).toMatchObject({ v: 1, type: 'hello', user: { username: 'handler', role: 'call-handler' }, since: 0 });
    const audit = await e.store.readAudit(0, 100);
    expect(audit.map((a) => [a.actor, a.action, a.subject])).toContainEqual(['handler', 'ws.subscribe', 'ws:since=0']);
  });
});

describe('audit before streaming', () => {
  it('refuses the upgrade with 503 when the audit log cannot record the subscription', async () => {
    let failing = false;
    const e = await start({}, (s) =>
      new Proxy(s, {
        get(target, prop, receiver) {
          if (prop === 'appendAudit') {
            return (x: Parameters<EventStore['appendAudit']>[0]) => (failing ? Promise.reject(new Error('disk full')) : target.appendAudit(x));
          }
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      }));
    await e.store.append([fix()]);
    const cookie = await e.login('handler');
    failing = true;
    const c = client('/ws?since=0', { cookie, origin: origin() });
    expect(await c.ended).toMatchObject({ kind: 'refused', status: 503 });
    expect(c.opened).toBe(false);
    expect(c.messages).toEqual([]);
  });
});

describe('a session that ends during the upgrade', () => {
  it('refuses the upgrade (401) when the session logs out while the subscription is being audited', async () => {
    let hold: Promise<void> | undefined = undefined;
    let release = () => undefined as void;
    let reached = () => undefined as void;
    const waiting = new Promise<void>((r) => (reached = r));
    const e = await start({}, (s) =>
      new Proxy(s, {
        get(target, prop, receiver) {
          if (prop === 'appendAudit') {
            return async (x: Parameters<EventStore['appendAudit']>[0]) => {
              if (x.action === 'ws.subscribe' && hold !== undefined) {
                reached();
                await hold;
              }
              return target.appendAudit(x);
            };
          }
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      }));
    const cookie = await e.login('handler');
    hold = new Promise((r) => (release = r));
    const c = client('/ws?since=0', { cookie, origin: origin() });
    await waiting;
    const out = await fetch(`${origin()}/api/logout`, { method: 'POST', headers: { cookie, origin: origin() } });
    expect(out.status).toBe(204);
    release();
    const opened = new Promise<'opened'>((r) => c.ws.once('open', () => r('opened')));
    expect(await Promise.race([c.ended, opened])).toMatchObject({ kind: 'refused', status: 401 });
    expect(c.opened).toBe(false);
    await e.store.append([fix()]);
    expect(c.messages).toEqual([]);
  });
});

describe('resume', () => {
  /** The event messages received, with those inside `batch` messages in their place. */
  const eventsOf = (messages: readonly Record<string, unknown>[]) =>
    messages.flatMap((m) => (m['type'] === 'batch' ? (m['events'] as Record<string, unknown>[]) : m['seq'] === undefined ? [] : [m]));

  it.each([
    ['one message per event', ''],
    ['the backlog in batch messages', '&batch=1'],
  ])('since=N delivers N+1.. in order exactly once while events keep being appended (%s)', async (_, batch) => {
    // Small pages so that the backlog is read in many steps while the appender runs.
    const racing = { left: 0 };
    const e = await start({ fanout: { ...DEFAULT_FANOUT, pageSize: 7 } }, (s) => racingReads(s, racing));
    // user.created events for the test users are in the log too: they are never sent (not protocol events).
    for (let i = 0; i < 30; i++) await e.store.append(Array.from({ length: 10 }, () => ringing()));
    const cookie = await e.login('handler');
    const since = 100;
    let appending = true;
    const appender = (async () => {
      for (let i = 0; i < 100; i++) {
        await e.store.append(Array.from({ length: 1 + (i % 5) }, () => ringing()));
        await new Promise((r) => setTimeout(r, 2));
      }
      appending = false;
    })();
    racing.left = 10;
    const c = client(`/ws?since=${since}${batch}`, { cookie, origin: origin() });
    await appender;
    expect(appending).toBe(false);
    const last = await e.store.lastSeq();
    await c.until(() => eventsOf(c.messages).some((m) => m['seq'] === last));
    const seqs = eventsOf(c.messages).map((m) => m['seq'] as number);
    const firstEvent = (await e.store.readSince(since, 1))[0]?.seq as number;
    const expected = (await e.store.readSince(since, 10_000)).filter((s) => s.event.type === 'call.ringing').map((s) => s.seq);
    expect(firstEvent).toBe(since + 1);
    expect(seqs).toEqual(expected);
    expect(seqs[0]).toBe(since + 1);
    expect(new Set(seqs).size).toBe(seqs.length);
    // hello first, live exactly once, after the backlog.
    expect(c.messages[0]?.['type']).toBe('hello');
    expect(c.messages.filter((m) => m['type'] === 'live')).toHaveLength(1);
    // The race really ran: 10 short backlog reads each had two events committed and broadcast behind them.
    expect(racing.left).toBe(0);
    // Every event message is a protocol message with v: 1.
    expect(eventsOf(c.messages).every((m) => m['v'] === 1 && m['type'] === 'call.ringing')).toBe(true);
    // Batches only when asked for: the backlog's pages, and after `live` only commits of more than one event
    // (a one-event commit stays a plain message).
    const live = c.messages.findIndex((m) => m['type'] === 'live');
    const batches = c.messages.flatMap((m, i) => (m['type'] === 'batch' ? [i] : []));
    if (batch === '') expect(batches).toEqual([]);
    else {
      expect(batches.filter((i) => i < live).length).toBeGreaterThan(1);
      for (const i of batches) expect(WsServerMessage.safeParse(c.messages[i]).success).toBe(true);
      for (const i of batches.filter((b) => b > live)) expect((c.messages[i]?.['events'] as unknown[]).length).toBeGreaterThan(1);
    }
  });

  it('a second connection resuming from the last seq seen gets only what came after', async () => {
    const e = await start();
    const cookie = await e.login('super');
    await e.store.append([ringing(), ringing()]);
    const a = client('/ws?since=0', { cookie, origin: origin() });
    await a.until((m) => m['type'] === 'live');
    const seen = a.seqs();
    a.ws.close();
    await a.ended;
    await e.store.append([ringing(), ringing(), ringing()]);
    const b = client(`/ws?since=${seen[seen.length - 1]}`, { cookie, origin: origin() });
    const last = await e.store.lastSeq();
    await b.until((m) => m['seq'] === last);
    expect(b.seqs()).toEqual([last - 2, last - 1, last]);
  });

  it('closes with 4009 when since is ahead of the log', async () => {
    const e = await start();
    const cookie = await e.login('handler');
    const c = client('/ws?since=999999', { cookie, origin: origin() });
    const outcome = await c.ended;
    expect(outcome).toMatchObject({ kind: 'closed', code: 4009 });
    expect(c.messages.find((m) => m['type'] === 'error')).toMatchObject({ code: 'bad-since' });
  });
});

describe('slow consumers and bad clients', () => {
  it('drops a client that stops reading (4008 with its last seq) while another keeps receiving everything', async () => {
    const e = await start({ fanout: { ...DEFAULT_FANOUT, maxBufferedBytes: 64 * 1024 } });
    const cookie = await e.login('handler');
    const fast = client('/ws?since=0', { cookie, origin: origin() });
    const slow = client('/ws?since=0', { cookie, origin: origin() });
    await Promise.all([fast.until((m) => m['type'] === 'live'), slow.until((m) => m['type'] === 'live')]);
    // Stop reading on the slow client's socket: its kernel buffers fill, then the server's queue.
    const sock = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    sock.pause();
    let dropped = false;
    void slow.ended.then(() => (dropped = true));
    for (let i = 0; i < 400 && e.server.fanout.stats.drops.slow === 0; i++) {
      await e.store.append(Array.from({ length: 200 }, () => ringing()));
    }
    expect(e.server.fanout.stats.drops.slow).toBe(1);
    const last = await e.store.lastSeq();
    await fast.until((m) => m['seq'] === last);
    const fs = fast.seqs();
    expect(fs).toEqual(Array.from({ length: fs.length }, (_, i) => (fs[0] as number) + i));
    // The slow client, once it reads again, gets what was queued, the error with its last seq, and 4008.
    sock.resume();
    const outcome = await slow.ended;
    expect(dropped).toBe(true);
    expect(outcome).toMatchObject({ kind: 'closed', code: 4008 });
    const err = slow.messages.find((m) => m['type'] === 'error');
    expect(err).toMatchObject({ code: 'slow-consumer' });
    const ss = slow.seqs();
    expect(err?.['lastSeq']).toBe(ss[ss.length - 1]);
    expect(e.server.metrics.registry.render()).toMatch(/tecsos_fanout_drops_total\{reason="slow"\} 1/);
  });

  it('closes a client that sends a frame over 64 KiB with 1009; the gateway keeps serving', async () => {
    const e = await start();
    const cookie = await e.login('handler');
    const c = client('/ws', { cookie, origin: origin() });
    await c.until((m) => m['type'] === 'live');
    c.ws.send(Buffer.alloc(64 * 1024 + 1, 0x41));
    expect(await c.ended).toMatchObject({ kind: 'closed', code: 1009 });
    const health = await fetch(`${origin()}/healthz`);
    expect(health.status).toBe(200);
    const d = client('/ws', { cookie, origin: origin() });
    await d.until((m) => m['type'] === 'live');
    await e.store.append([ringing()]);
    await d.until((m) => m['type'] === 'call.ringing');
  });

  it('answers a ping with a pong and closes (1008) on anything else', async () => {
    const e = await start();
    const cookie = await e.login('handler');
    const c = client('/ws', { cookie, origin: origin() });
    await c.until((m) => m['type'] === 'live');
    c.ws.send(JSON.stringify({ v: 1, type: 'ping', nonce: 'n1' }));
    await c.until((m) => m['type'] === 'pong');
    expect(c.messages.find((m) => m['type'] === 'pong')).toMatchObject({ v: 1, nonce: 'n1' });
    c.ws.send('{"type":"acknowledge","incidentId":"inc-1"}');
    expect(await c.ended).toMatchObject({ kind: 'closed', code: 1008 });
  });

  it('does not pile up pongs for a client that floods pings and never reads (nothing broadcast meanwhile)', async () => {
    const e = await start();
    const cookie = await e.login('handler');
    const c = client('/ws', { cookie, origin: origin() });
    await c.until((m) => m['type'] === 'live');
    // The gateway's side of this connection (the fan-out's one client), to count what it received and queued.
    const [server] = [...(e.server.fanout as unknown as { clients: Set<{ ws: { bufferedAmount: number; on(ev: 'message', f: () => void): void } }> }).clients];
    let received = 0;
    server?.ws.on('message', () => received++);
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Enough that the pongs overflow the kernel's socket buffers (several MiB on loopback) into the gateway's.
    const pings = 150_000;
    const ping = JSON.stringify({ v: 1, type: 'ping', nonce: 'n'.repeat(64) });
    for (let i = 0; i < pings; i++) c.ws.send(ping);
    while (received < pings) await new Promise((r) => setTimeout(r, 10));
    // 150,000 pongs are ~20 MiB, of which ~14 MiB stayed queued in the gateway (it grew without bound before:
    // the slow-consumer check runs only at a broadcast); now at most one pong is queued.
    expect(server?.ws.bufferedAmount).toBeLessThan(64 * 1024);
    // A client that reads again still gets its answer and the stream.
    (c.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await c.until((m) => m['type'] === 'pong');
    c.ws.send(JSON.stringify({ v: 1, type: 'ping', nonce: 'after' }));
    await c.until((m) => m['nonce'] === 'after');
    await e.store.append([ringing()]);
    await c.until((m) => m['type'] === 'call.ringing');
  });
});

describe('who sees what', () => {
  it('engineers get line health but no victim positions; handlers get both', async () => {
    const e = await start();
    const eng = client('/ws', { cookie: await e.login('eng'), origin: origin() });
    const hnd = client('/ws', { cookie: await e.login('handler'), origin: origin() });
    await Promise.all([eng.until((m) => m['type'] === 'live'), hnd.until((m) => m['type'] === 'live')]);
    await e.store.append([fix(), lineUp()]);
    await hnd.until((m) => m['type'] === 'line.health');
    await eng.until((m) => m['type'] === 'line.health');
    expect(hnd.messages.map((m) => m['type'])).toContain('fix');
    expect(eng.messages.map((m) => m['type'])).not.toContain('fix');
    expect(JSON.stringify(eng.messages)).not.toContain('51.5072');
  });

  it('never sends user events (they carry the password hash) to anyone', async () => {
    const e = await start();
    const sup = client('/ws?since=0', { cookie: await e.login('super'), origin: origin() });
    await sup.until((m) => m['type'] === 'live');
    await e.users.create({ username: 'newbie', displayName: 'New', role: 'call-handler', passwordHash: e.users.find('handler')?.passwordHash as string, by: 'super' });
    await e.store.append([ringing()]);
    await sup.until((m) => m['type'] === 'call.ringing');
    expect(JSON.stringify(sup.messages)).not.toMatch(/scrypt|passwordHash|user\.created/);
  });

  it('ends the WebSockets of a session at its logout, not those of the same user\'s other session', async () => {
    const e = await start();
    const first = await e.login('handler');
    const second = await e.login('handler');
    const a = client('/ws', { cookie: first, origin: origin() });
    const b = client('/ws', { cookie: second, origin: origin() });
    await Promise.all([a.until((m) => m['type'] === 'live'), b.until((m) => m['type'] === 'live')]);
    const r = await fetch(`${origin()}/api/logout`, { method: 'POST', headers: { cookie: first, origin: origin() } });
    expect(r.status).toBe(204);
    expect(await a.ended).toMatchObject({ kind: 'closed', code: 4001 });
    await e.store.append([ringing()]);
    await b.until((m) => m['type'] === 'call.ringing');
  });

  it('ends the WebSockets of the session a new login in the same browser replaces: no victim data after it', async () => {
    // A shared control-room workstation: the handler's console is open, an engineer signs in on the same browser.
    // The handler's session ends at that login; its socket must end then too, not at the next heartbeat (30 s).
    const e = await start();
    const handler = await e.login('handler');
    const c = client('/ws', { cookie: handler, origin: origin() });
    await c.until((m) => m['type'] === 'live');
    const r = await fetch(`${origin()}/api/login`, {
      method: 'POST',
      headers: { cookie: handler, origin: origin(), 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'eng', password: PASSWORD }),
    });
    expect(r.status).toBe(200);
    await e.store.append([fix(52.1234, -1.4321)]);
    const other = client('/ws', { cookie: await e.login('super'), origin: origin() });
    await other.until((m) => m['type'] === 'fix');
    expect(JSON.stringify(c.messages)).not.toContain('52.1234');
    expect(await c.ended).toMatchObject({ kind: 'closed', code: 4001 });
  });

  it('ends the WebSocket of a user who is disabled', async () => {
    const e = await start();
    const c = client('/ws', { cookie: await e.login('handler'), origin: origin() });
    await c.until((m) => m['type'] === 'live');
    const sup = await e.login('super');
    const r = await fetch(`${origin()}/api/users/handler/disable`, { method: 'POST', headers: { cookie: sup, origin: origin() } });
    expect(r.status).toBe(200);
    expect(await c.ended).toMatchObject({ kind: 'closed', code: 4001 });
  });
});
