// A refused incoming message: a `report.rejected` security event. Stored and counted by reason (the
// /metrics label is the reason with `_` for `-`), never attached to an incident.
import type { ReportRejectReason } from '../../protocol/schemas/reports.js';
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
    receivedAt: new Date(r.receivedAt).toISOString(),
    detail: r.detail.slice(0, 500),
  });
}
