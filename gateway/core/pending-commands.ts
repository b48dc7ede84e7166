// TSC1 commands sent to handsets and not yet answered. The handset's ACK report names no command, so an ACK
// acknowledges the oldest command still waiting for that handset (the handset handles commands in the order
// they arrive; docs/gateway.md).
import type { StoredEvent } from '../store/event-store.js';
import type { CommandsSnapshot } from './snapshot-schema.js';

/** How long a sent command waits for its ACK before its result is `timeout`. */
export const COMMAND_TIMEOUT_MS = 15 * 60_000;

export type PendingCommand = {
  readonly handsetId: string;
  readonly counter: number;
  readonly incidentId: string | null;
  readonly kind: string;
  /** When command.sent was stored (ms). */
  readonly sentAt: number;
};

export class PendingCommands {
  private readonly byHandset = new Map<string, PendingCommand[]>();
  /** When a LOCATE was last sent to each handset (ms): its answer is a TRK, which may come after its ACK. */
  private readonly locatedAt = new Map<string, number>();

  /** When a LOCATE was last sent to the handset (ms), if ever. */
  lastLocateAt(handsetId: string): number | undefined {
    return this.locatedAt.get(handsetId);
  }

  /** The oldest command waiting for the handset's ACK. */
  oldest(handsetId: string): PendingCommand | undefined {
    return this.byHandset.get(handsetId)?.[0];
  }

  /** Commands sent before `cutoff` and still waiting. */
  olderThan(cutoff: number): PendingCommand[] {
    return [...this.byHandset.values()].flat().filter((c) => c.sentAt < cutoff);
  }

  /** The commands as snapshot data (snapshot-schema.ts); handsets whose commands were all answered keep an empty list. */
  snapshot(): CommandsSnapshot {
    return { byHandset: [...this.byHandset].map(([handsetId, list]) => [handsetId, list.map((c) => ({ ...c }))]), locatedAt: [...this.locatedAt] };
  }

  /** Replaces the commands with snapshot data already checked. */
  restore(s: CommandsSnapshot): void {
    this.byHandset.clear();
    for (const [handsetId, list] of s.byHandset) this.byHandset.set(handsetId, list.map((c) => ({ ...c })));
    this.locatedAt.clear();
    for (const [handsetId, at] of s.locatedAt) this.locatedAt.set(handsetId, at);
  }

  apply(stored: StoredEvent): void {
    const e = stored.event as Record<string, unknown> & { type: string };
    const handsetId = e['handsetId'] as string;
    if (e.type === 'command.sent') {
      const list = this.byHandset.get(handsetId) ?? [];
      const command = e['command'] as { kind: string };
      const sentAt = typeof e['at'] === 'string' ? Date.parse(e['at']) : stored.storedAt;
      list.push({ handsetId, counter: e['counter'] as number, incidentId: (e['incidentId'] as string | null) ?? null, kind: command.kind, sentAt });
      this.byHandset.set(handsetId, list);
      if (command.kind === 'LOCATE') this.locatedAt.set(handsetId, Math.max(this.locatedAt.get(handsetId) ?? sentAt, sentAt));
    } else if (e.type === 'command.result' && e['result'] !== 'sent') {
      const list = this.byHandset.get(handsetId);
      if (list === undefined) return;
      const i = list.findIndex((c) => c.counter === e['counter']);
      if (i >= 0) list.splice(i, 1);
    }
  }
}
