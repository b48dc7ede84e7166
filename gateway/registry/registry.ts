// The handset registry: a projection of the log. Registrations come from `handset.registered` (internal
// event: it holds the key and the victim's record); state comes from the public events about the handset
// (report.accepted, handset.status, handset.health, command.sent). Rebuilding from the log gives the same
// registry, the same replay windows and the same TSC1 counters as before the restart.
import { ReplayWindow, type ReplayWindowState } from '../../protocol/report/replay-window.js';
import type { VictimRecord } from '../../protocol/schemas/handsets.js';
import type { ReportRejectReason } from '../../protocol/schemas/reports.js';
import type { HandsetView } from '../http/actions.js';
import type { StoredEvent } from '../store/event-store.js';
import type { HandsetRegistered } from '../core/internal-events.js';
import { canonicalJson } from '../store/canonical-json.js';
import type { RegistrySnapshot } from '../core/snapshot-schema.js';


/** Stands in for a record retention cleared, until the registration that replaced it replays. */
const PURGED_RECORD: VictimRecord = { name: '(record purged by retention)', safetyNotes: '', riskMarkers: [] };
/** A health problem that is currently raised (handset.health), by kind. */
export type HealthProblem = 'missed-heartbeat' | 'low-battery' | 'tamper';

/** One registered handset, as the core uses it. */
export type Handset = {
  readonly id: string;
  /** E.164: its calls and reports come from this number. */
  number: string;
  imei: string;
  key: Uint8Array;
  force: string;
  victim: VictimRecord;
  testMode: boolean;
  registeredAt: string;
  /**
   * When the handset was issued to its current holder, as far as the registry can tell: its first
   * registration, or a later one with a new key (re-provisioned: `provision --replace` always writes a fresh
   * one). A closed incident opened before this belonged to the previous holder: its view must not show this
   * victim's record (told by `keySeq` below). A new name with the same key is a correction (a spelling, a
   * married name), not a new holder.
   */
  issuedAt: string;
  /**
   * The log seq of the registration that set the current key (the issue above, in log order). An incident
   * opened at a higher seq is the current holder's; compared by seq, not by `issuedAt`, because a wall clock
   * that ran ahead (or an incident opened in the same millisecond as the re-key) puts the previous holder's
   * incident after the re-issue by time.
   */
  keySeq: number;
  /** Anti-replay window of its TSR1 counters (fed with verified reports only). */
  window: ReplayWindow;
  /** The gateway's last TSC1 counter for it (0: none sent yet). */
  commandCounter: number;
  batteryPct: number | null;
  csq: number | null;
  lastReportAt: string | null;
  /** Last accepted report of any kind (proof of life, see docs/gateway.md). */
  lastHeartbeatAt: string | null;
  readonly problems: Set<HealthProblem>;
  /**
   * The last `report.rejected` claiming this handset since its last registration (engineers see it:
   * why a test report did not count). In snapshots from format 11.
   */
  lastRejection: { readonly reason: ReportRejectReason; readonly at: string; readonly detail: string } | null;
};

function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Registry projection: handsets by id and by number. */
export class Registry {
  private readonly byId = new Map<string, Handset>();
  private readonly byNumber = new Map<string, Handset>();

  get(id: string): Handset | undefined {
    return this.byId.get(id);
  }

  /** The handset whose SIM has this E.164 number. */
  byE164(number: string): Handset | undefined {
    return this.byNumber.get(number);
  }

  all(): Handset[] {
    return [...this.byId.values()];
  }

  /** Applies one stored event (other types are ignored). */
  apply(stored: StoredEvent): void {
    const e = stored.event as Record<string, unknown> & { type: string; at: string };
    switch (e.type) {
      case 'handset.registered':
        this.register(e as unknown as HandsetRegistered, stored.seq);
        return;
      case 'report.accepted': {
        const h = this.byId.get(e['handsetId'] as string);
        if (h === undefined) return;
        h.window.accept(e['counter'] as number, typeof e['mac'] === 'string' ? e['mac'] : undefined);
        h.lastHeartbeatAt = e['receivedAt'] as string;
        return;
      }
      case 'report.rejected': {
        const h = typeof e['claimedHandsetId'] === 'string' ? this.byId.get(e['claimedHandsetId']) : undefined;
        if (h === undefined) return;
        h.lastRejection = { reason: e['reason'] as ReportRejectReason, at: e['receivedAt'] as string, detail: e['detail'] as string };
        return;
      }
      case 'handset.status': {
        const h = this.byId.get(e['handsetId'] as string);
        if (h === undefined) return;
        h.batteryPct = e['batteryPct'] as number;
        h.csq = e['csq'] as number;
        h.lastReportAt = e['lastReportAt'] as string;
        return;
      }
      case 'handset.health': {
        const h = this.byId.get(e['handsetId'] as string);
        if (h === undefined) return;
        const problem = e['problem'] as HealthProblem | 'recovered';
        if (problem === 'recovered') {
          const which = e['recovered'];
          if (typeof which === 'string') h.problems.delete(which as HealthProblem);
          else h.problems.clear();
        } else h.problems.add(problem);
        return;
      }
      case 'command.reserved':
      case 'command.sent': {
        const h = this.byId.get(e['handsetId'] as string);
        if (h !== undefined) h.commandCounter = Math.max(h.commandCounter, e['counter'] as number);
        return;
      }
      default:
    }
  }

  /** The registry as snapshot data (core/snapshot-schema.ts): handsets and the number index, in insertion order. */
  snapshot(): RegistrySnapshot {
    return {
      handsets: [...this.byId.values()].map((h) => ({
        id: h.id,
        number: h.number,
        imei: h.imei,
        keyHex: Buffer.from(h.key).toString('hex'),
        force: h.force,
        victim: h.victim,
        testMode: h.testMode,
        registeredAt: h.registeredAt,
        issuedAt: h.issuedAt,
        keySeq: h.keySeq,
        window: h.window.toJSON() as { highest: number; bitmap: string; macs: string[] },
        commandCounter: h.commandCounter,
        batteryPct: h.batteryPct,
        csq: h.csq,
        lastReportAt: h.lastReportAt,
        lastHeartbeatAt: h.lastHeartbeatAt,
        problems: [...h.problems],
        lastRejection: h.lastRejection,
      })),
      byNumber: [...this.byNumber].map(([number, h]) => [number, h.id]),
    };
  }

  /** Replaces the registry with snapshot data already checked (schema, and every number naming a handset). */
  restore(s: RegistrySnapshot): void {
    this.byId.clear();
    this.byNumber.clear();
    for (const r of s.handsets) {
      this.byId.set(r.id, {
        id: r.id,
        number: r.number,
        imei: r.imei,
        key: hexToBytes(r.keyHex),
        force: r.force,
        victim: r.victim,
        testMode: r.testMode,
        registeredAt: r.registeredAt,
        issuedAt: r.issuedAt,
        keySeq: r.keySeq,
        window: new ReplayWindow(r.window as ReplayWindowState),
        commandCounter: r.commandCounter,
        batteryPct: r.batteryPct,
        csq: r.csq,
        lastReportAt: r.lastReportAt,
        lastHeartbeatAt: r.lastHeartbeatAt,
        problems: new Set(r.problems),
        lastRejection: r.lastRejection,
      });
    }
    for (const [number, id] of s.byNumber) this.byNumber.set(number, this.byId.get(id) as Handset);
  }

  private register(e: HandsetRegistered, seq: number): void {
    const old = this.byId.get(e.handsetId);
    const keyChanged = old === undefined || Buffer.from(old.key).toString('hex') !== e.keyHex;
    if (old !== undefined && this.byNumber.get(old.number) === old) this.byNumber.delete(old.number);
    const h: Handset = {
      id: e.handsetId,
      number: e.number,
      imei: e.imei,
      key: hexToBytes(e.keyHex),
      force: e.force,
      // Null only in a registration a later one replaced, whose record retention cleared: that one replays next.
      victim: e.victim ?? old?.victim ?? PURGED_RECORD,
      testMode: e.testMode,
      registeredAt: old?.registeredAt ?? e.at,
      issuedAt: old === undefined || keyChanged ? e.at : old.issuedAt,
      keySeq: old === undefined || keyChanged ? seq : old.keySeq,
      // A new key is a re-provisioned handset: its flash counter may have started again.
      window: keyChanged || old === undefined ? new ReplayWindow() : old.window,
      commandCounter: old?.commandCounter ?? 0,
      batteryPct: old?.batteryPct ?? null,
      csq: old?.csq ?? null,
      lastReportAt: old?.lastReportAt ?? null,
      lastHeartbeatAt: old?.lastHeartbeatAt ?? null,
      problems: old?.problems ?? new Set(),
      // Each registration is an engineer's answer to what was wrong (a new number, a new key): start again.
      lastRejection: null,
    };
    this.byId.set(h.id, h);
    this.byNumber.set(h.number, h);
  }
}

/**
 * A handset as engineers see it (never the key, never the victim). `untested` while no report signed with the
 * current key has been accepted: a new key starts a new replay window, which only verified reports feed.
 * `lastRejection` is as stored: the HTTP routes give it each role as fanout/audience.ts handsetFor says (an
 * engineer gets no `detail`).
 */
export function handsetView(h: Handset): HandsetView {
  return {
    id: h.id,
    number: h.number,
    imei: h.imei,
    force: h.force,
    testMode: h.testMode,
    registeredAt: h.registeredAt,
    batteryPct: h.batteryPct,
    csq: h.csq,
    lastReportAt: h.lastReportAt,
    lastHeartbeatAt: h.lastHeartbeatAt,
    untested: h.window.highest < 0,
    lastRejection: h.lastRejection,
  };
}

/** Whether a registration would change nothing (manifest import twice, the same REST body again). */
export function sameRegistration(h: Handset, r: Omit<HandsetRegistered, 'type' | 'at' | 'by'>): boolean {
  return (
    h.number === r.number &&
    h.imei === r.imei &&
    Buffer.from(h.key).toString('hex') === r.keyHex &&
    h.force === r.force &&
    h.testMode === r.testMode &&
    canonicalJson(h.victim) === canonicalJson(r.victim)
  );
}
