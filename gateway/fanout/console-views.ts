// The console's picture of the control room per role (protocol/schemas/console-state.ts), built from the log, to
// start a console that opens with nothing (`/ws?since=0&view=1`): it gets the picture and then only the events
// after it, instead of every event of the log (600,000 public events took a console 20 s to replay, and a
// call ringing meanwhile showed only at the end).
//
// Each role's picture is built from exactly what the fan-out would send that role, event by event: the wire
// shape (wire.ts), the role's view of it (audience.ts), the same check (an event that fails it is sent to no
// one, so it is not applied either) and the checked, parsed event, as the console parses it. Redacted events
// (retention) are skipped, as the backlog skips them. So the picture is the one the console would have built.
//
// Built on demand and kept: the first console of a role after a start reads the whole log (in pages, one per
// event-loop turn with the other clients' backlogs, so an alarm's RING does not wait behind it); the next
// reads only what came since. A retention purge redacts events the picture was built from: the fan-out is
// told the store's purge count, and a picture older than the last purge is built again from the start, in the
// background at the fan-out's next heartbeat (refreshStale), so that no console waits for it.
import { GatewayEvent } from '../../protocol/schemas/events.js';
import { ConsoleState } from '../../protocol/schemas/console-state.js';
import type { Role } from '../auth/roles.js';
import type { EventLog, StoredEvent } from '../store/event-store.js';
import { viewFor } from './audience.js';
import type { Validate } from './role-frames.js';
import { toWire } from './wire.js';

type Picture = {
  readonly state: ConsoleState;
  /** The last seq of the log read into it (the events its role does not get included). */
  position: number;
  /** The store's purge count when it was started. */
  readonly purges: number;
};

export type ConsoleViewsOptions = {
  readonly log: Pick<EventLog, 'readSince'>;
  /**
   * The fan-out's own outgoing check when it was given one (tests); every event is also parsed as the
   * protocol/schemas GatewayEvent it must be, which is the fan-out's default check, so that one runs once.
   */
  readonly validate?: Validate;
  /** Retention purges since the store opened (a picture started before the last one is built again). */
  readonly purges: () => number;
  /** Resolves when the next page may be read (the fan-out's backlog turn). */
  readonly turn: () => Promise<void>;
  readonly pageSize: number;
};

export class ConsoleViews {
  private readonly pictures = new Map<Role, Picture>();
  /** One build at a time per role: two consoles signing in together share it. */
  private readonly building = new Map<Role, Promise<unknown>>();
  constructor(private readonly options: ConsoleViewsOptions) {}

  /**
   * The picture of `role` after at least `until()` (re-read after every page: events keep coming), with the
   * log position it stands at. `gone()` stops early (the client left): undefined.
   */
  async levelWith(role: Role, until: () => number, gone: () => boolean): Promise<{ state: ConsoleState; position: number } | undefined> {
    for (;;) {
      const previous = this.building.get(role);
      if (previous === undefined) break;
      await previous.catch(() => undefined);
    }
    const work = this.build(role, until, gone);
    this.building.set(role, work);
    try {
      return await work;
    } finally {
      if (this.building.get(role) === work) this.building.delete(role);
    }
  }

  /**
   * Starts rebuilding, in the background, every picture a retention purge has made stale since it was built:
   * the daily purge redacts fixes it was built from, and the first console of the role afterwards waited for a
   * build from the whole log (about 5 us an event: 821 ms at 144,000 events, and the log only grows; the
   * weeks benchmark). Built as a console's would be (one page per turn with the backlogs). The fan-out calls it
   * at each heartbeat; it returns the builds it started, which never reject.
   */
  refreshStale(until: () => number): Promise<unknown>[] {
    const purges = this.options.purges();
    const started: Promise<unknown>[] = [];
    for (const [role, p] of this.pictures) {
      if (p.purges === purges || this.building.has(role)) continue;
      started.push(this.levelWith(role, until, () => false).catch(() => undefined));
    }
    return started;
  }

  private async build(role: Role, until: () => number, gone: () => boolean): Promise<{ state: ConsoleState; position: number } | undefined> {
    const purges = this.options.purges();
    let p = this.pictures.get(role);
    if (p === undefined || p.purges !== purges) {
      p = { state: new ConsoleState(), position: 0, purges };
      this.pictures.set(role, p);
    }
    for (;;) {
      if (p.position >= until()) return { state: p.state, position: p.position };
      await this.options.turn();
      if (gone()) return undefined;
      const page = await this.options.log.readSince(p.position, this.options.pageSize);
      if (this.options.purges() !== purges) {
        // A purge ran while this picture was read: start again from the beginning.
        return this.restart(role, until, gone);
      }
      for (const e of page) {
        if (e.seq <= p.position) continue;
        this.apply(p.state, role, e);
        p.position = e.seq;
      }
      if (page.length < this.options.pageSize) return { state: p.state, position: Math.max(p.position, 0) };
    }
  }

  private restart(role: Role, until: () => number, gone: () => boolean): Promise<{ state: ConsoleState; position: number } | undefined> {
    this.pictures.delete(role);
    return this.build(role, until, gone);
  }

  /** One stored event, as the fan-out would send it to `role`, applied (or not, when it would not be sent). */
  private apply(state: ConsoleState, role: Role, stored: StoredEvent): void {
    if (stored.redacted) return;
    const view = viewFor(role, toWire(stored));
    if (view === undefined || (this.options.validate !== undefined && !this.options.validate(view))) return;
    const parsed = GatewayEvent.safeParse(view);
    if (parsed.success) state.apply(parsed.data);
  }
}
