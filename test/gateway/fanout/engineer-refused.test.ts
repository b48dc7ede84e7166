// Refused reports to engineers (gateway/fanout/audience.ts ENGINEER_EVENT_FIELDS; docs/api.md "Who sees what"). The
// gateway sent engineers no `report.rejected`: a handset whose reports were refused (bad MAC, wrong SIM, replay,
// never registered) showed nothing on an engineer's console, live or after a reload. Now an engineer gets each
// one that names a handset, reduced to reason, handset, counter and time (sender null, detail empty), and none
// that names no handset; call handlers and supervisors get the event as stored, unchanged. Through the real HTTP
// edge, SQLite store and fan-out: live, in the backlog (since=0) and in the picture (view=1), the same.
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleView, GatewayEvent } from '../../../protocol/schemas/index.js';
import { receives, viewFor } from '../../../gateway/fanout/audience.js';
import type { NewEvent } from '../../../gateway/store/event-store.js';
import { lineUp, startEdge, type Edge } from '../http/harness.js';
import { connect, type Recorder } from '../http/ws-client.js';

const AT = '2026-11-25T09:00:00.000Z';
const SIM = '+447700900101';
const PUBLIC = '+447700900777';

function refused(reason: string, claimedHandsetId: string | null, fromNumber: string | null, counter: number | null, detail: string): NewEvent {
  return { type: 'report.rejected', at: AT, reason, claimedHandsetId, counter, fromNumber, receivedAt: AT, detail };
}

/** One of each kind an engineer must or must not get; the detail texts are what the core writes (gateway/reports). */
const LOG: NewEvent[] = [
  refused('bad-mac', 'TS-0007', PUBLIC, 12, 'MAC does not match the key of TS-0007'),
  refused('sender-mismatch', 'TS-0008', PUBLIC, 40, `TS-0008 is registered with ${SIM}, the SMS came from ${PUBLIC}`),
  refused('replay', 'TS-0009', SIM, 3, 'counter 3 (highest 9): replay'),
  refused('unknown-handset', 'TS-0999', PUBLIC, 1, 'no handset TS-0999 in the registry'),
  refused('incomplete', null, PUBLIC, null, 'expired: parts 1 of 2 (ref 5), missing 2'),
  refused('unknown-sender', null, PUBLIC, null, 'neither TSR1 nor AML (42 characters)'),
  refused('bad-aml', null, PUBLIC, null, 'absurd-value: lt=91.5072 is outside ±90'),
  refused('bad-field', null, SIM, null, 'b: expected b=<battery %>'),
  lineUp(),
];

/** What an engineer must get of LOG's refused reports (seq = index + 1). */
const FOR_ENGINEER = [
  { seq: 1, reason: 'bad-mac', claimedHandsetId: 'TS-0007', counter: 12 },
  { seq: 2, reason: 'sender-mismatch', claimedHandsetId: 'TS-0008', counter: 40 },
  { seq: 3, reason: 'replay', claimedHandsetId: 'TS-0009', counter: 3 },
  { seq: 4, reason: 'unknown-handset', claimedHandsetId: 'TS-0999', counter: 1 },
].map((r) => ({ v: 1, at: AT, type: 'report.rejected', fromNumber: null, receivedAt: AT, detail: '', ...r }));

let edge: Edge | undefined;
let base = '';
afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

async function live(user: string, query: string): Promise<Recorder> {
  if (edge === undefined) throw new Error('no edge');
  const cookie = await edge.login(user);
  const rec = connect(`${base.replace(/^http/, 'ws')}/ws?${query}`, { cookie, origin: base });
  await rec.until((m) => m['type'] === 'live');
  return rec;
}

/** The events a client received (single messages and batches), in order. */
function events(rec: Recorder): Record<string, unknown>[] {
  return rec.messages.flatMap((m) => (m['type'] === 'batch' ? (m['events'] as Record<string, unknown>[]) : typeof m['seq'] === 'number' && m['type'] !== 'view' && m['type'] !== 'live' ? [m] : []));
}

const rejectedOf = (rec: Recorder) => events(rec).filter((m) => m['type'] === 'report.rejected');

describe('refused reports for engineers', () => {
  it('viewFor: an engineer gets a refused report naming a handset reduced, and none naming none; the others unchanged', () => {
    expect(receives('engineer', 'report.rejected')).toBe(true);
    expect(receives('engineer', 'report.accepted')).toBe(false);
    LOG.forEach((e, i) => {
      if (e.type !== 'report.rejected') return;
      const wire = { v: 1 as const, seq: i + 1, ...e, at: AT } as const;
      // Handlers' and supervisors' shape is the contract: the very event.
      expect(viewFor('call-handler', wire)).toBe(wire);
      expect(viewFor('supervisor', wire)).toBe(wire);
      const eng = viewFor('engineer', wire);
      expect(eng).toEqual(FOR_ENGINEER.find((r) => r.seq === i + 1));
      if (eng !== undefined) expect(GatewayEvent.safeParse(eng).success).toBe(true);
    });
    // A field added to the event later does not reach engineers by default.
    const extra = { v: 1 as const, seq: 50, ...(LOG[0] as NewEvent), at: AT, text: 'TSR1;h=TS-0007;...', lat: 51.5, someday: 'x' };
    expect(Object.keys(viewFor('engineer', extra) ?? {}).sort()).toEqual(['at', 'claimedHandsetId', 'counter', 'detail', 'fromNumber', 'reason', 'receivedAt', 'seq', 'type', 'v']);
  });

  it('live, in the backlog and in the picture: the same reduced events, and no number or detail anywhere', { timeout: 30_000 }, async () => {
    edge = await startEdge();
    base = await edge.server.listen();
    const engLive = await live('eng', 'since=0&batch=1&view=1');
    const supLive = await live('super', 'since=0&batch=1&view=1');
    // The log starts with the test users (user.*, which no console gets).
    const head = await edge.store.lastSeq();
    await edge.store.append(LOG);
    const last = head + LOG.length;
    const expected = FOR_ENGINEER.map((r) => ({ ...r, seq: head + r.seq }));
    const reached = (m: Record<string, unknown>) => m['seq'] === last || (m['type'] === 'batch' && (m['events'] as { seq: number }[]).some((x) => x.seq === last));
    await Promise.all([engLive.until(reached), supLive.until(reached)]);

    // Supervisors: all eight, as stored.
    expect(rejectedOf(supLive)).toHaveLength(8);
    expect(rejectedOf(supLive)[1]).toMatchObject({ fromNumber: PUBLIC, detail: expect.stringContaining(SIM) as unknown });

    // Engineers, live.
    expect(rejectedOf(engLive)).toEqual(expected);

    // Engineers opening later: the backlog and the picture say the same.
    const engBacklog = await live('eng', 'since=0&batch=1');
    expect(rejectedOf(engBacklog)).toEqual(expected);
    const engView = await live('eng', 'since=0&batch=1&view=1');
    const parts = engView.messages.filter((m) => m['type'] === 'view');
    expect(parts.length).toBeGreaterThan(0);
    const view = ConsoleView.parse(JSON.parse(parts.map((m) => m['text'] as string).join('')));
    expect(view.rejected).toEqual(expected);

    for (const rec of [engLive, engBacklog, engView]) {
      const text = JSON.stringify(rec.messages);
      for (const secret of [PUBLIC, SIM, '91.5072', 'registry', 'MAC does not', 'neither TSR1']) expect(text, secret).not.toContain(secret);
      rec.ws.close();
    }
    supLive.ws.close();
  });
});
