// What the HTTP edge (fan-out, /ws backlog) may read of the event log: an allow-list of protocol/schemas
// GatewayEvent types. Every other stored event (internal events: raw SMS, handset keys and victim records,
// `user.*` with password hashes) is handed to the edge as a retention-style tombstone `{ type, at,
// redacted: true }`, which the fan-out skips silently while keeping its seq count dense. So a console sees
// every seq it may see, in order, and nothing it may not, whatever the fan-out's own audience table says.
import { GATEWAY_EVENT_TYPES } from '../../protocol/schemas/events.js';
import type { AuditLog, EventListener, EventLog, StoreStats, StoredEvent } from '../store/event-store.js';

const PUBLIC = new Set<string>(GATEWAY_EVENT_TYPES);

/** Whether an event of this type may ever reach a console. */
export function isPublicEventType(type: string): boolean {
  return PUBLIC.has(type);
}

function mask(e: StoredEvent): StoredEvent {
  if (isPublicEventType(e.event.type) || e.redacted) return e;
  return { seq: e.seq, storedAt: e.storedAt, redacted: true, event: { type: 'internal', at: e.event.at, redacted: true } };
}

/**
 * The log as the edge sees it (internal events masked), plus the audit log unchanged, and the store's purge count
 * when it has one: the fan-out's console pictures (gateway/fanout/console-views.ts) are built again after a
 * retention purge only if they are told of it (without it, purged positions stayed in every new console's picture).
 */
export type PublicLog = Pick<EventLog, 'readSince' | 'lastSeq' | 'subscribe'> & AuditLog & { stats?: () => Pick<StoreStats, 'purges'> };

/** Wraps a store for createHttpServer: readSince and subscribe mask every non-GatewayEvent. */
export function publicLog(store: Pick<EventLog, 'readSince' | 'lastSeq' | 'subscribe'> & AuditLog & { stats?: () => Pick<StoreStats, 'purges'> }): PublicLog {
  const stats = store.stats?.bind(store);
  return {
    ...(stats !== undefined && { stats: () => ({ purges: stats().purges }) }),
    readSince: async (after, limit) => (await store.readSince(after, limit)).map(mask),
    lastSeq: () => store.lastSeq(),
    // A masked event's text is the internal event's: never handed on.
    subscribe: (listener: EventListener) =>
      store.subscribe((events, texts) => {
        const masked = events.map(mask);
        listener(masked, texts?.map((t, i) => (masked[i] === events[i] ? t : undefined)));
      }),
    appendAudit: (entry) => store.appendAudit(entry),
    readAudit: (after, limit) => store.readAudit(after, limit),
    verifyAuditChain: () => store.verifyAuditChain(),
  };
}
