// The gateway's projections together, and the one place a stored event is applied to them. Everything the
// core decides reads this state; everything it changes goes through the log first (gateway-core.ts commits,
// then applies), so a restart that replays the log rebuilds exactly the same state. A snapshot (snapshot.ts)
// saves all of it, so a restart can restore it and replay only the events after it.
import type { Clock } from '../../protocol/time/clock.js';
import { isoTime } from '../../protocol/time/iso-time.js';
import type { GatewayConfig } from '../config/config.js';
import { Calls } from '../incidents/calls.js';
import { Incidents } from '../incidents/incidents.js';
import { WaitingAml } from '../incidents/waiting-aml.js';
import { Registry } from '../registry/registry.js';
import type { NewEvent, StoredEvent } from '../store/event-store.js';
import { OwedStops } from './owed-stops.js';
import { PendingCommands } from './pending-commands.js';

/** The configuration fields the core reads. */
export type CoreConfig = Pick<GatewayConfig, 'countryCode' | 'tecsosRanges' | 'retentionDays' | 'heartbeatGraceMinutes'>;

export class CoreState {
  readonly registry = new Registry();
  readonly incidents = new Incidents();
  readonly calls = new Calls();
  readonly commands = new PendingCommands();
  /** AML positions that came while no call from their number was up, waiting for the next (incidents/waiting-aml.ts). */
  readonly waitingAml = new WaitingAml();
  /** The close's STOPs that no line sent, sent again when a line is free (owed-stops.ts). */
  readonly owedStops = new OwedStops();
  /** Seq of the last event applied. */
  lastSeq = 0;

  constructor(
    readonly config: CoreConfig,
    readonly clock: Clock,
  ) {}

  apply(stored: StoredEvent): void {
    if (stored.seq <= this.lastSeq) return;
    this.lastSeq = stored.seq;
    if (stored.redacted) return;
    this.registry.apply(stored);
    this.incidents.apply(stored);
    this.calls.apply(stored);
    this.commands.apply(stored);
    this.owedStops.apply(stored);
    // A new key (a handset re-issued): the LOCATEs sent to the previous holder are not this holder's to answer;
    // a TRK of hers taken for their answer kept her lost alarm's first TRK from opening an incident.
    if (stored.event.type === 'handset.registered') {
      const id = (stored.event as { handsetId?: unknown }).handsetId;
      if (typeof id === 'string' && this.registry.get(id)?.keySeq === stored.seq) {
        this.commands.forgetLocates(id);
        // Nor is a STOP owed to the previous holder's tracking hers to get.
        this.owedStops.forget(id);
      }
    }
    this.waitingAml.apply(stored);
  }

  /** The current time as an event's `at`. */
  nowIso(): string {
    // Every event of a decision (five for a report) is stamped in the same millisecond: format it once.
    const now = this.clock.now();
    if (now !== this.isoOf) {
      this.isoOf = now;
      this.iso = isoTime(now);
    }
    return this.iso;
  }

  private isoOf = NaN;
  private iso = '';
}

/** Builds an event stamped now. */
export function event<T extends string>(state: CoreState, type: T, payload: Record<string, unknown>): NewEvent & { type: T } {
  return { type, at: state.nowIso(), ...payload };
}
