// A refused incoming message: a `report.rejected` security event. Stored and counted by reason (the
// /metrics label is the reason with `_` for `-`), never attached to an incident.
import type { ReportRejectReason } from '../../protocol/schemas/reports.js';
import { isoTime } from '../../protocol/time/iso-time.js';
import { event, type CoreState } from '../core/state.js';
import type { NewEvent } from '../store/event-store.js';

export type Rejection = {
  readonly reason: ReportRejectReason;
  readonly claimedHandsetId?: string | null;
  readonly counter?: number | null;
  readonly fromNumber: string | null;
  readonly receivedAt: number;
  readonly detail: string;
};

/** `TSR1;h=<id>;` at the start of a text (protocol/report HANDSET_ID_PATTERN): read even when the rest does not decode. */
const CLAIM = /^TSR1;h=([A-Z0-9][A-Z0-9-]{0,15});/;

/**
 * The handset a refused message claims to be from, unverified: the `h=` its text gives, else the registered handset
 * whose SIM number sent it, else null. So a handset whose reports do not decode (a firmware or GPS fault) or come in
 * incomplete is named, and shows in the engineers' refused reports (gateway/fanout/audience.ts) and in
 * GET /api/handsets' lastRejection.
 */
export function claimedHandset(state: CoreState, text: string, from: string | null): string | null {
  return CLAIM.exec(text)?.[1] ?? (from === null ? undefined : state.registry.byE164(from)?.id) ?? null;
}

/** The metric label of a reason (`bad-mac` -> `bad_mac`). */
export function reasonLabel(reason: string): string {
  return reason.replace(/-/g, '_');
}

export function rejected(state: CoreState, r: Rejection): NewEvent {
  return event(state, 'report.rejected', {
    reason: r.reason,
    claimedHandsetId: r.claimedHandsetId ?? null,
    counter: r.counter ?? null,
    fromNumber: r.fromNumber,
    receivedAt: isoTime(r.receivedAt),
    detail: r.detail.slice(0, 500),
  });
}
