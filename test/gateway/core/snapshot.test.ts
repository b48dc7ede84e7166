// Snapshots of the core's projections (gateway/core/snapshot.ts). A realistic log is produced by the real core
// from real wire inputs (signed TSR1 reports of a synthetic fleet, calls, handler actions, TSC1 commands and
// their ACKs, timeouts, a re-provisioned handset, an AML SMS, a retention purge); then, for every point of that
// log, a state that applied the log up to there is snapshotted, restored into a fresh state, given the rest of
// the log, and compared with a state that applied the whole log directly. A bad snapshot is refused.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import type { CoreSnapshot } from '../../../gateway/core/snapshot-schema.js';
import { snapshotState, restoreState } from '../../../gateway/core/snapshot.js';
import { CoreState } from '../../../gateway/core/state.js';
import { callView, incidentView, trackOf } from '../../../gateway/core/views.js';
import { handsetView } from '../../../gateway/registry/registry.js';
import type { StoredEvent } from '../../../gateway/store/index.js';
import { deliverPdus, fleet, registrationOf, reportText, type FleetHandset } from '../../support/fleet.js';
import { CONFIG, ORDINARY_NUMBER, START, startRig, type Rig } from './harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
const AML = 'A"ML=1;lt=+51.50070;lg=-0.12180;rd=50;top=20261123055930;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=128';

async function readAll(rig: Rig): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for (let page = await rig.store.readSince(0, 10_000); page.length > 0; page = await rig.store.readSince(out[out.length - 1]!.seq, 10_000)) out.push(...page);
  return out;
}

/** A log of a busy shift, made by the real core. Returns the rig (its live state is compared too). */
async function busyLog(): Promise<Rig> {
  const handsets = fleet(6);
  const rig = await startRig({ register: handsets.map((h) => registrationOf(h)), config: { retentionDays: 1 } });
  const counters = new Map<FleetHandset, number>();
  let ref = 1;
  const send = async (h: FleetHandset, event: 'ALM' | 'TRK' | 'ACK' | 'HBT' = 'TRK', counter?: number) => {
    const n = counter ?? (counters.get(h) ?? 0) + 1;
    counters.set(h, Math.max(n, counters.get(h) ?? 0));
    await rig.sms(deliverPdus(reportText(h, n, rig.clock.now(), event), h.number, ref++, rig.clock.now()));
  };
  const [a, b, c, d, e] = handsets as [FleetHandset, FleetHandset, FleetHandset, FleetHandset, FleetHandset];

  // Day 1: alarms from a, b, c; a long track from a (more fixes than an incident keeps in memory).
  for (const h of [a, b, c]) await send(h, 'ALM');
  for (let i = 0; i < 25; i++) {
    rig.clock.advance(10_000);
    await send(a);
    if (i % 3 === 0) await send(b);
  }
  await send(a, 'TRK', 5); // a duplicate: rejected
  await send(b, 'TRK', (counters.get(b) ?? 0) + 3); // a gap: the late ones may still come
  await send(b, 'TRK', (counters.get(b) ?? 0) - 1); // late but unseen: kept
  // Calls: a's handset calls (joins its incident), d calls (opens one), an ordinary caller, a withheld one.
  await rig.ring(a.number, 'L1');
  await rig.ring(d.number, 'L2');
  await rig.ring(ORDINARY_NUMBER, 'L3');
  await rig.ring(null, 'L4');
  await rig.sms(deliverPdus(AML, ORDINARY_NUMBER, ref++, rig.clock.now()));
  const calls = rig.ofType('call.ringing').map((x) => x['callId'] as string);
  await rig.core.answer(calls[0]!, HANDLER);
  rig.clock.advance(30_000);
  await rig.core.hangup(calls[0]!, HANDLER);
  rig.core.onCall({ kind: 'ended', lineId: 'L3', at: rig.clock.now(), endedBy: 'caller' });
  await rig.core.idle();
  // Handlers act: acknowledge, locate (TSC1 sent, then ACKed), stop tracking (never ACKed), close.
  const incidents = rig.ofType('incident.opened').map((x) => x['incidentId'] as string);
  await rig.core.acknowledge(incidents[0]!, { note: 'units sent' }, HANDLER);
  await rig.core.locate(incidents[0]!, HANDLER);
  await send(a, 'ACK');
  await rig.core.stopTracking(incidents[1]!, HANDLER);
  await rig.core.close(incidents[2]!, { outcome: 'false-alarm' }, HANDLER);
  // d's incident closes while every modem refuses SMS: its STOP is owed, tried again, never sent, and settled as
  // expired 70 min after the close (owed-stops.ts).
  rig.lines.sendResult = { ok: false, detail: '+CMS ERROR: 500', lineId: null };
  await rig.core.close(incidents[3]!, { outcome: 'resolved-by-phone' }, HANDLER);
  await rig.core.idle();
  await send(c, 'ALM'); // c again: a new incident
  // e is re-provisioned with a new key (its replay window starts again); f stays silent (missed heartbeat).
  await rig.core.registerHandset({ ...registrationOf(e), key: new Uint8Array(32).fill(7), replace: true }, { username: 'eng', role: 'engineer' });
  // Time passes: tracking timeouts, the command timeout, stale rings, missed heartbeats.
  for (let m = 0; m < 72; m++) {
    rig.clock.advance(60_000);
    await rig.core.idle();
  }
  rig.lines.sendResult = { ok: true, detail: '+CMGS: 7', lineId: 'L1' };
  await send(a);
  await send(b, 'HBT');
  // Day 3: retention redacts day 1's fixes and raw SMS (and the daily timer ran); a new alarm after it.
  rig.clock.advance(2 * 86_400_000);
  await rig.core.idle();
  await send(d, 'ALM');
  for (let i = 0; i < 3; i++) {
    rig.clock.advance(10_000);
    await send(d);
  }
  await rig.core.idle();
  return rig;
}

function fresh(): CoreState {
  return new CoreState(CONFIG, new ManualClock(START));
}

function applyAll(state: CoreState, events: readonly StoredEvent[]): CoreState {
  for (const e of events) state.apply(e);
  return state;
}

/** What the REST API and the core's decisions read from a state, in the order they read it. */
function views(s: CoreState) {
  const now = START + 3 * 86_400_000;
  return {
    incidents: s.incidents.all().map((i) => ({ view: incidentView(s, i, true), trail: trackOf(i), lastTrackAt: i.lastTrackAt })),
    open: s.registry.all().map((h) => s.incidents.openFor(h.id)?.id ?? null),
    silent: s.incidents.silentTracking(now).map((i) => i.id),
    nextIncident: s.incidents.nextId(),
    calls: s.calls.list(now, 10 * 86_400_000).map(callView),
    ringing: s.calls.ringingSince(now).map((c) => c.id),
    nextCall: s.calls.nextId(),
    handsets: s.registry.all().map((h) => ({ ...handsetView(h), window: h.window.toJSON(), counter: h.commandCounter, problems: [...h.problems] })),
    byNumber: s.registry.all().map((h) => s.registry.byE164(h.number)?.id),
    commands: s.commands.olderThan(Number.MAX_SAFE_INTEGER),
    lastSeq: s.lastSeq,
  };
}

describe('core snapshot', () => {
  it('a state restored from a snapshot at any point of a real log and given the rest equals one built from the whole log', async () => {
    const rig = await busyLog();
    const log = await readAll(rig);
    const types = new Set(log.map((e) => e.event.type));
    // The log exercises what the projections build from.
    for (const t of ['handset.registered', 'report.accepted', 'report.rejected', 'fix', 'incident.opened', 'incident.acknowledged', 'incident.closed', 'incident.tracking-stopped', 'call.ringing', 'call.answered', 'call.ended', 'command.reserved', 'command.sent', 'command.result', 'handset.status', 'handset.health', 'stop.owed']) {
      expect(types, t).toContain(t);
    }
    expect(log.some((e) => e.redacted)).toBe(true);
    // An owed STOP that expired: settled in the log (owed-stops.ts), so a snapshot and a rebuild agree it is gone.
    expect(log.some((e) => e.event.type === 'command.result' && String((e.event as { detail?: unknown }).detail).includes('was never sent'))).toBe(true);

    const direct = applyAll(fresh(), log);
    const expected = snapshotState(direct);
    // The live core's projections are what a rebuild from its log gives.
    expect(snapshotState(rig.core.state)).toBe(expected);
    expect(views(rig.core.state)).toEqual(views(direct));

    for (let cut = 0; cut <= log.length; cut++) {
      const half = applyAll(fresh(), log.slice(0, cut));
      const restored = fresh();
      expect(restoreState(restored, snapshotState(half), { maxSeq: log.length })).toBe(true);
      expect(restored.lastSeq).toBe(half.lastSeq);
      applyAll(restored, log); // what it holds already is skipped (seq <= lastSeq)
      expect(snapshotState(restored), `cut at ${cut}`).toBe(expected);
      if (cut % 25 === 0 || cut === log.length) {
        expect(restored, `cut at ${cut}`).toEqual(direct);
        expect(views(restored), `cut at ${cut}`).toEqual(views(direct));
      }
    }
  });

  it('refuses a snapshot it does not understand, without throwing and without touching the state', async () => {
    const rig = await busyLog();
    const log = await readAll(rig);
    const good = JSON.parse(snapshotState(applyAll(fresh(), log))) as CoreSnapshot;
    const state = applyAll(fresh(), log.slice(0, Math.floor(log.length / 2)));
    const before = snapshotState(state);
    const bad: [string, string][] = [
      ['empty', ''],
      ['not JSON', '{"format":1,'],
      ['null', 'null'],
      ['an array', '[]'],
      ['a number', '42'],
      ['another format', JSON.stringify({ ...good, format: 99 })],
      ['format 8 (no AML positions waiting for a call)', JSON.stringify({ ...good, format: 8, waitingAml: undefined })],
      ['a waiting AML beyond lastSeq', JSON.stringify({ ...good, waitingAml: [{ seq: good.lastSeq + 1, fromNumber: '+447700900999', lat: 51.5, lon: -0.12, accuracyM: 50, fixTime: '2026-11-23T05:59:30.000Z', receivedAt: '2026-11-23T06:00:00.000Z', amlMethod: 'gnss', confidencePct: 90 }] })],
      ['format 7 (incidents and keys told apart by time)', JSON.stringify({ ...good, format: 7, registry: { ...good.registry, handsets: good.registry.handsets.map(({ keySeq: _k, ...h }: { keySeq: number }) => h) }, incidents: { ...good.incidents, incidents: good.incidents.incidents.map(({ openedSeq: _o, ...i }: { openedSeq: number }) => i) } })],
      ['format 6 (no highest counter per incident)', JSON.stringify({ ...good, format: 6, incidents: { ...good.incidents, incidents: good.incidents.incidents.map(({ highestCounter: _h, ...i }: { highestCounter: number | null }) => i) } })],
      ['format 5 (no lowest TRK per incident)', JSON.stringify({ ...good, format: 5, incidents: { ...good.incidents, incidents: good.incidents.incidents.map(({ lowestTrk: _l, ...i }: { lowestTrk: number | null }) => i) } })],
      ['format 4 (the last LOCATE of each handset, answered or not)', JSON.stringify({ ...good, format: 4 })],
      ['format 3 (no LOCATE times)', JSON.stringify({ ...good, format: 3, commands: { byHandset: good.commands.byHandset } })],
      ['format 1 (recent fixes in seq order)', JSON.stringify({ ...good, format: 1 })],
      ['format 2 (no alarm count per incident)', JSON.stringify({ ...good, format: 2, incidents: { ...good.incidents, incidents: good.incidents.incidents.map(({ alarms: _alarms, ...i }: { alarms: number }) => i) } })],
      ['no format', JSON.stringify({ ...good, format: undefined })],
      ['no registry', JSON.stringify({ ...good, registry: undefined })],
      ['a handset with a broken replay window', JSON.stringify({ ...good, registry: { ...good.registry, handsets: [{ ...good.registry.handsets[0], window: { highest: -1, bitmap: 'ff', macs: [] } }] } })],
      ['a handset with a short key', JSON.stringify({ ...good, registry: { ...good.registry, handsets: [{ ...good.registry.handsets[0], keyHex: 'abcd' }] } })],
      ['a number naming no handset', JSON.stringify({ ...good, registry: { ...good.registry, byNumber: [['+447700900000', 'TS-NOPE']] } })],
      ['an open incident that does not exist', JSON.stringify({ ...good, incidents: { ...good.incidents, open: [['TS-00001', 'INC-999999']] } })],
      ['an active call that does not exist', JSON.stringify({ ...good, calls: { ...good.calls, active: [['L1', 'CALL-999999']] } })],
      ['an unknown incident state', JSON.stringify({ ...good, incidents: { ...good.incidents, incidents: [{ ...good.incidents.incidents[0], state: 'lost' }] } })],
      ['a fix beyond lastSeq', JSON.stringify({ ...good, lastSeq: 1 })],
      ['a victim with a field the schema does not know', JSON.stringify({ ...good, registry: { ...good.registry, handsets: [{ ...good.registry.handsets[0], victim: { ...good.registry.handsets[0].victim, extra: 1 } }] } })],
      ['a huge text', JSON.stringify({ ...good, incidents: { ...good.incidents, incidents: [{ ...good.incidents.incidents[0], force: 'x'.repeat(100_000) }] } })],
    ];
    for (const [what, json] of bad) {
      expect(() => restoreState(state, json), what).not.toThrow();
      expect(restoreState(state, json), what).toBe(false);
      expect(snapshotState(state), what).toBe(before);
    }
    // Ahead of the log (a store restored from an older backup): refused.
    expect(restoreState(state, JSON.stringify(good), { maxSeq: log.length - 1 })).toBe(false);
    expect(snapshotState(state)).toBe(before);
    // The good one is taken.
    expect(restoreState(state, JSON.stringify(good), { maxSeq: log.length })).toBe(true);
    expect(state.lastSeq).toBe(log.length);
  });
});
