// STOPs the gateway owes a handset: the STOP a close sends (her incident closed, her handset still tracking)
// that surely did not leave (no line was free, every free line refused it: `command.result` `failed`, not an
// `uncertain:` one, which may have left and waits for its ACK). Before, nothing more happened: her handset went
// on tracking, an SMS of her position every 30 s to no one, until its tracking period ended (60 min from her
// alarm by default) unless a handler pressed Stop tracking on the closed incident. Now the failure is stored
// with an internal `stop.owed`, and the core sends the STOP again by itself once a line has been free for
// OWED_STOP_QUIET_MS (a call on it ended, or it came up: gateway-core.ts), and at the minute checks every OWED_STOP_RETRY_MS while none does
// (a modem that refuses SMS for a while), each try recorded as any command (command.reserved, command.sent +
// command.result, or command.result `failed` and a new `stop.owed`) (docs/gateway.md "TSC1 commands").
//
//   { type: 'stop.owed', at, handsetId: 'TS-0001', incidentId: 'INC-000001', by: 'handler', until: '2026-11-23T07:10:00.000Z', counter: 231234567 }
//
// It gives way to a user's STOP to her handset (a handler's Stop tracking, an engineer's STOP): not sent while one
// is being sent, nor once one left (before, both went: gateway-core.ts owedSettled).
// It is owed until a STOP leaves for her handset (any `command.sent` STOP, an uncertain one too), her handset
// raises a new alarm (`incident.opened`: the firmware ends all tracking on a STOP, so it would end her new
// alarm's; the retry asks again just before the AT+CMGS, as every STOP does), the handset is re-keyed (a new
// holder: state.ts), or OWED_STOP_MS after the close (her handset's tracking has ended by itself by then: the 70 min tail of
// reports/report-events/trk.ts). That last is stored too: the first minute check from then on stores a second
// `command.result` `failed` for the counter of its last try (`counter` of its `stop.owed`), saying it was never
// sent (the handler's alert: before, her last word of it was "it will be sent again ... until 07:10 UTC"), and
// it leaves the projection (before, it stayed for good, one per handset). A projection of the log, saved in the
// snapshot (format 14; its `counter` since format 15).
import type { Incident } from '../incidents/incidents.js';
import type { NewEvent, StoredEvent } from '../store/event-store.js';
import type { OwedStopsSnapshot } from './snapshot-schema.js';
import { event, type CoreState } from './state.js';

/** How long after the close a STOP is owed: her handset's tracking period (60 min) and the close's tail. */
export const OWED_STOP_MS = 70 * 60_000;

/**
 * How long a line must have been up and out of a call before an owed STOP goes (a call on it ended, or it came
 * up). The one danger of a STOP sent late is her new alarm that the gateway has not seen yet: the firmware ends
 * all tracking on a STOP, so it would end her new alarm's. While every line was busy or down, her new alarm's
 * ALM waited at the network and her 999 call could not come through; once a line is free the network delivers
 * the ALM, and her handset redials 999 at most 60 s apart (firmware backoff 5, 10, 20, 40, 60 s), so a line free
 * for two minutes with none of her reports or calls on it says she has not raised one. It also lets a 999 call
 * queued while every line was busy take the freed line first: its ATA must not wait behind an AT+CMGS.
 */
export const OWED_STOP_QUIET_MS = 2 * 60_000;

/** How often the minute checks try an owed STOP again while no line became free. */
export const OWED_STOP_RETRY_MS = 5 * 60_000;

export type OwedStop = {
  readonly handsetId: string;
  /** The closed incident the STOP is for. */
  readonly incidentId: string;
  /** Who closed it (the retries are sent as the close's STOP was, by them). */
  readonly by: string | null;
  /** ms: OWED_STOP_MS after the close. */
  readonly until: number;
  /** The counter of its last try, whose `command.result` `failed` it was stored with (null: a log from before 25 Nov). */
  readonly counter: number | null;
};

/**
 * The `stop.owed` for a close's STOP to `i`'s handset that surely did not leave, or undefined: `i` is not
 * closed (a STOP from an open incident is the handler's own, answered 503), or the horizon has passed.
 */
export function owedStop(state: CoreState, i: Incident, by: string | null, counter: number): (NewEvent & { until: string }) | undefined {
  const now = state.incidents.get(i.id);
  if (now?.closedAt == null) return undefined;
  const until = Date.parse(now.closedAt) + OWED_STOP_MS;
  if (!(until > state.clock.now())) return undefined;
  return { ...event(state, 'stop.owed', { handsetId: i.handsetId, incidentId: i.id, by }), until: new Date(until).toISOString(), counter };
}

/**
 * The `command.result` `failed` that settles each STOP owed past its time at `now` (ms): for the counter of its last
 * try, saying it was never sent. Applied, it takes the STOP out of the projection (OwedStops.apply).
 */
export function expiredOwedStops(state: CoreState, now: number): NewEvent[] {
  return state.owedStops.expired(now).map((o) =>
    event(state, 'command.result', {
      handsetId: o.handsetId,
      counter: o.counter,
      result: 'failed',
      detail: `not sent: the STOP owed since incident ${o.incidentId} closed was never sent: no line could send it by ${new Date(o.until).toISOString().slice(11, 16)} UTC, ${OWED_STOP_MS / 60_000} min after the close (her handset's tracking has ended by itself by then)`,
    }),
  );
}

/** What the failed command's detail adds (the console shows it in its alert): it will be sent again. */
export function owedNote(until: string): string {
  return `; it will be sent again by itself when a line is free, until ${until.slice(11, 16)} UTC`;
}

/** What a retry's `command.result` `sent` detail adds after the modem's answer: the audit tells it from a handler's Stop. */
export const OWED_SENT_NOTE = ' (the STOP owed since the close, sent by itself once a line was free)';

/**
 * What the failed detail of an owed STOP left unsent says when a user's STOP to her handset left, or is being
 * sent, instead (the console raises no alert for it: command-alerts.ts).
 */
export const OWED_GIVES_WAY = 'the owed STOP gives way to it';

/** At most one per handset: the handset's latest close's. */
export class OwedStops {
  private readonly byHandset = new Map<string, OwedStop>();

  /** The STOPs still owed at `now` (ms), oldest first. */
  due(now: number): OwedStop[] {
    return [...this.byHandset.values()].filter((o) => o.until > now);
  }

  /** The STOPs owed past their time at `now` (ms) that a `command.result` can settle (expiredOwedStops). */
  expired(now: number): (OwedStop & { counter: number })[] {
    return [...this.byHandset.values()].filter((o): o is OwedStop & { counter: number } => o.until <= now && o.counter !== null);
  }

  /** The handset's owed STOP, expired or not. */
  of(handsetId: string): OwedStop | undefined {
    return this.byHandset.get(handsetId);
  }

  /** Forgets the handset's owed STOP (re-registered: state.ts). */
  forget(handsetId: string): void {
    this.byHandset.delete(handsetId);
  }

  snapshot(): OwedStopsSnapshot {
    return [...this.byHandset.values()].map((o) => ({ ...o }));
  }

  restore(s: OwedStopsSnapshot): void {
    this.byHandset.clear();
    for (const o of s) this.byHandset.set(o.handsetId, { ...o });
  }

  apply(stored: StoredEvent): void {
    const e = stored.event as Record<string, unknown> & { type: string };
    const handsetId = e['handsetId'];
    if (typeof handsetId !== 'string') return;
    if (e.type === 'stop.owed') {
      const counter = typeof e['counter'] === 'number' ? e['counter'] : null;
      this.byHandset.set(handsetId, { handsetId, incidentId: e['incidentId'] as string, by: (e['by'] as string | null) ?? null, until: Date.parse(e['until'] as string), counter });
    } else if (e.type === 'command.result' && e['counter'] === this.byHandset.get(handsetId)?.counter) {
      // A second result for its last try's counter (whose own result came before the `stop.owed`): expired.
      this.byHandset.delete(handsetId);
    } else if ((e.type === 'command.sent' && (e['command'] as { kind?: unknown } | undefined)?.kind === 'STOP') || e.type === 'incident.opened') {
      this.byHandset.delete(handsetId);
    }
  }
}
