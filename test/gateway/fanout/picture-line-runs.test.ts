// A console that opens (or reloads) during a modem line's outage starts from the gateway's picture (`view=1`),
// whose `recent` holds only the newest 200 events. When the line went down before those, the console's lines
// table could only say "03:12:00 or earlier" (console/line-since.ts, exact false): the engineer and the
// supervisor could not tell how long line 2 had been down. The picture now carries each line's current run
// (`lineRuns`, protocol/schemas/console-view.ts), built from every event of the log; here through the real HTTP
// edge, SQLite store and fan-out, for every role, against a console that replayed every event.
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleState } from '../../../protocol/schemas/console-state.js';
import { ConsoleView, GatewayEvent } from '../../../protocol/schemas/index.js';
import type { NewEvent } from '../../../gateway/store/event-store.js';
import { pictureOf, pictureParts } from '../../../gateway/fanout/picture-text.js';
import { LineSince } from '../../../console/line-since.js';
import { startEdge, type Edge } from '../http/harness.js';
import { connect, type Recorder } from '../http/ws-client.js';

const T0 = Date.parse('2026-11-24T02:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const line = (at: number, lineId: string, state: 'up' | 'down' | 'initialising', detail = 'test'): NewEvent =>
  ({ type: 'line.health', at: iso(at), lineId, port: `tcp://127.0.0.1:710${lineId.slice(1)}`, state, registration: state === 'up' ? 'home' : 'unknown', signalCsq: state === 'up' ? 20 : null, detail });
const DOWN_AT = T0 + 72 * 60_000; // 03:12:00

/** L1 and L2 up at 02:00, L2 down at 03:12, then 300 events: L2's retries, L1's signal changes, refused reports. */
function outageLog(): NewEvent[] {
  const out: NewEvent[] = [line(T0, 'L1', 'up'), line(T0, 'L2', 'up'), line(DOWN_AT, 'L2', 'down', 'no answer to AT')];
  let t = DOWN_AT;
  while (out.length < 303) {
    t += 10_000;
    const k = out.length % 3;
    if (k === 0) out.push(line(t, 'L2', 'initialising', 'retrying'));
    else if (k === 1) out.push(line(t, 'L2', 'down', 'no answer to AT'));
    else if (out.length % 2 === 0) out.push(line(t, 'L1', 'up', `signal ${out.length}`));
    else out.push({ type: 'report.rejected', at: iso(t), reason: 'bad-mac', claimedHandsetId: 'TS-0001', counter: null, fromNumber: '+447700900999', receivedAt: iso(t), detail: 'test' });
  }
  return out;
}

/** A console's messages: its picture (view=1) restored as console/app.ts restores it, then each event after it. */
function consoleOf(rec: Recorder): { state: ConsoleState; runs: LineSince; view: ConsoleView | undefined } {
  const state = new ConsoleState();
  const runs = new LineSince();
  let view: ConsoleView | undefined;
  let parts: string[] = [];
  for (const m of rec.messages) {
    if (m['type'] === 'view') {
      parts.push(m['text'] as string);
      if (parts.length === m['parts']) {
        view = ConsoleView.parse(JSON.parse(parts.join('')));
        state.restore(view, m['seq'] as number);
        runs.restored(state, view.lineRuns);
        parts = [];
      }
      continue;
    }
    const events = m['type'] === 'batch' ? (m['events'] as unknown[]) : typeof m['seq'] === 'number' ? [m] : [];
    for (const e of events) {
      const parsed = GatewayEvent.parse(e);
      if (state.apply(parsed) && parsed.type === 'line.health') runs.note(parsed, true);
    }
  }
  return { state, runs, view };
}

let edge: Edge | undefined;
let base = '';
afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

async function live(user: string, query: string): Promise<Recorder> {
  const e = edge as Edge;
  const rec = connect(`${base.replace(/^http/, 'ws')}/ws?${query}`, { cookie: await e.login(user), origin: base });
  await rec.until((m) => m['type'] === 'live');
  return rec;
}

describe('a console opening during an outage older than its picture\'s 200 events', () => {
  it('says exactly when the line went down, for every role, as a console that replayed every event', { timeout: 60_000 }, async () => {
    edge = await startEdge();
    base = await edge.server.listen();
    await edge.store.append(outageLog());
    for (const user of ['handler', 'super', 'eng']) {
      const opened = consoleOf(await live(user, 'since=0&batch=1&view=1'));
      const replayed = consoleOf(await live(user, 'since=0&batch=1'));
      // The outage began before the newest 200 events: the picture's `recent` has no event of L2 going down.
      expect(opened.view).toBeDefined();
      expect(opened.state.recent.some((e) => e.type === 'line.health' && e.lineId === 'L2' && e.at === iso(DOWN_AT))).toBe(false);
      expect(opened.runs.of('L2')).toEqual({ up: false, at: iso(DOWN_AT), exact: true });
      expect(opened.runs.of('L1')).toEqual({ up: true, at: iso(T0), exact: true });
      expect(opened.runs.of('L2')).toEqual(replayed.runs.of('L2'));
      expect(opened.runs.of('L1')).toEqual(replayed.runs.of('L1'));
      // Only when, never anything else (an engineer's picture carries no victim field here either).
      for (const r of opened.view?.lineRuns ?? []) expect(Object.keys(r).sort()).toEqual(['at', 'lineId', 'up']);
    }
  });

  it('the run that comes after the picture starts at its own event', { timeout: 60_000 }, async () => {
    edge = await startEdge();
    base = await edge.server.listen();
    await edge.store.append(outageLog());
    const rec = await live('eng', 'since=0&batch=1&view=1');
    const backUp = DOWN_AT + 3_600_000;
    await edge.store.append([line(backUp, 'L2', 'initialising'), line(backUp + 5_000, 'L2', 'up')]);
    await rec.until((m) => m['type'] === 'batch' && (m['events'] as { type: string; state?: string }[]).some((e) => e.type === 'line.health' && e.state === 'up'));
    expect(consoleOf(rec).runs.of('L2')).toEqual({ up: true, at: iso(backUp + 5_000), exact: true });
  });

  it('a picture without lineRuns (a gateway before 24 Nov 2026) still says "or earlier", and its text is JSON.stringify of the picture', async () => {
    const state = new ConsoleState();
    outageLog().forEach((e, i) => state.apply(GatewayEvent.parse({ ...e, v: 1, seq: i + 1 })));
    const old = new LineSince();
    old.restored(state, undefined);
    // The oldest of L2's retries the picture still holds: "04:0x:xx or earlier", not 03:12:00.
    const oldest = state.recent.find((e) => e.type === 'line.health' && e.lineId === 'L2');
    expect(oldest?.at).not.toBe(iso(DOWN_AT));
    expect(old.of('L2')).toEqual({ up: false, at: oldest?.at, exact: false });
    const lineRuns = [{ lineId: 'L1', up: true, at: iso(T0) }, { lineId: 'L2', up: false, at: iso(DOWN_AT) }];
    for (const view of [pictureOf(state), pictureOf(state, lineRuns)]) {
      const parts = (await pictureParts(view, 1000, () => Promise.resolve(), () => false)) as string[];
      expect(parts.join('')).toBe(JSON.stringify(view));
      expect(ConsoleView.parse(JSON.parse(parts.join(''))).lineRuns).toEqual(view.lineRuns);
    }
  });
});
