// A console that loses its connection during a stream of events and comes back: once after 30 s (the socket
// dies without a close frame, as when a network cable is pulled) and once after 10 min (a clean close). It
// resumes with ?since=<the last seq it received>. Compared with a console that stayed connected throughout,
// it must have every event exactly once, in order. The referee is the store's log, not only that console:
// an event the fan-out lost would be missing from both (every public event a call handler may see, from the
// first seq on, must have reached the reference and, across its three sessions, the resuming console).
//
// Simulated: time. The gateway runs on a ManualClock (its sessions, timers and event times), so the 30 s and
// 10 min gaps are simulated minutes during which events keep arriving; the session (30 min idle expiry)
// survives both gaps, as it would in real time. The sockets and the store are real.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_EVENT_TYPES } from '../../protocol/schemas/events.js';
import { ManualClock } from '../../protocol/time/clock.js';
import { deliverPdus, fleet, registrationOf, reportText } from '../support/fleet.js';
import { login } from '../support/gateway-process.js';
import { readAll, startInProcessGateway } from '../support/in-process-gateway.js';
import { tmpDir } from '../gateway/core/harness.js';
import { connect, type Recorder } from '../gateway/http/ws-client.js';

const PUBLIC = new Set<string>(GATEWAY_EVENT_TYPES);
/** Public types a call handler does not receive (docs/api.md, "Who sees what"). */
const NOT_FOR_HANDLERS = /^(user|audit|security)\./;

describe('console disconnections during 500 events', () => {
  it('a console back after 30 s and after 10 min has every event once, in order', async () => {
    const dir = tmpDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
    const gw = await startInProcessGateway({ db: path.join(dir, 'tecsos.db'), clock });
    try {
      const handsets = fleet(5);
      await gw.app.core.importRegistrations(handsets.map((h) => registrationOf(h)));
      const wsUrl = (since: number) => `${gw.url.replace('http', 'ws')}/ws?since=${since}`;
      const start = await gw.app.store.lastSeq();
      const cookie = await login(gw.url, 'handler');
      const reference = connect(wsUrl(start), { cookie: await login(gw.url, 'handler'), origin: gw.url });
      await reference.until((m) => m['type'] === 'live');

      let counter = 0;
      /** One report from each handset (ALM first), 10 s of simulated time; about 3 public events per report. */
      const round = async () => {
        counter++;
        for (const h of handsets) for (const pdu of deliverPdus(reportText(h, counter, clock.now(), counter === 1 ? 'ALM' : 'TRK'), h.number, counter, clock.now())) gw.lines.sms(pdu, clock.now());
        await gw.app.core.idle();
        await clock.advanceAsync(10_000, 1000);
      };
      const publicCount = () => reference.seqs().length;
      const open = async (since: number): Promise<Recorder> => {
        const c = connect(wsUrl(since), { cookie, origin: gw.url });
        await c.until((m) => m['type'] === 'live');
        return c;
      };

      const sessions: Recorder[] = [];
      let c = await open(start);
      sessions.push(c);
      while (publicCount() < 120) await round();

      // 30 s gap: the socket dies without a close frame; events go on.
      c.ws.terminate();
      await c.ended;
      const resumeAfter30s = Math.max(start, ...c.seqs());
      for (let i = 0; i < 3; i++) await round();
      c = await open(resumeAfter30s);
      sessions.push(c);
      while (publicCount() < 300) await round();

      // 10 min gap: a clean close; 60 rounds of events meanwhile.
      c.ws.close();
      await c.ended;
      const resumeAfter10min = Math.max(...c.seqs());
      const gapStart = clock.now();
      while (clock.now() - gapStart < 10 * 60_000) await round();
      c = await open(resumeAfter10min);
      sessions.push(c);
      while (publicCount() < 500) await round();
      await gw.app.core.idle();
      // Let the sockets drain: both consoles up to the last public event in the log.
      const lastPublic = Math.max(...(await gw.app.store.readSince(start, 10_000)).filter((e) => PUBLIC.has(e.event.type)).map((e) => e.seq));
      for (let i = 0; i < 250 && Math.min(Math.max(...reference.seqs()), Math.max(...c.seqs())) < lastPublic; i++) await new Promise((r) => setTimeout(r, 20));

      const expected = reference.seqs();
      const received = sessions.flatMap((s) => s.seqs());
      expect(expected.length).toBeGreaterThanOrEqual(500);
      expect(received).toEqual(expected);
      // The same events, not only the same numbers.
      const byseq = new Map(reference.messages.filter((m) => typeof m['seq'] === 'number').map((m) => [m['seq'], JSON.stringify(m)]));
      for (const s of sessions) for (const m of s.messages) if (typeof m['seq'] === 'number') expect(JSON.stringify(m)).toBe(byseq.get(m['seq']));
      // The log decides: every public event for a call handler after the start, once, in order.
      const log = (await readAll(gw.app.store)).filter((e) => e.seq > start && PUBLIC.has(e.event.type) && !NOT_FOR_HANDLERS.test(e.event.type));
      expect(expected).toEqual(log.map((e) => e.seq));
      // And each message says what the log says (docs/api.md: `{ v: 1, seq, at, type, ...payload }`; these
      // events have no secret fields to strip): a wrong field would be wrong on every console alike.
      for (const e of log) {
        const { type, at, ...payload } = e.event;
        const wire = { v: 1, seq: e.seq, at: typeof at === 'number' ? new Date(at).toISOString() : at, type, ...payload };
        expect(byseq.get(e.seq) === undefined ? undefined : JSON.parse(byseq.get(e.seq) as string), `seq ${e.seq}`).toEqual(wire);
      }
      // Each resumed session said where it resumed from and replayed a backlog before going live.
      expect(sessions[1]!.messages[0]).toMatchObject({ type: 'hello', since: resumeAfter30s });
      expect(sessions[2]!.messages[0]).toMatchObject({ type: 'hello', since: resumeAfter10min });
      expect(sessions[2]!.messages.findIndex((m) => m['type'] === 'live')).toBeGreaterThan(100);
      reference.ws.close();
      c.ws.close();
    } finally {
      await gw.close();
    }
  }, 120_000);
});
