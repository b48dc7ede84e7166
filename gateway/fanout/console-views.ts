// The console's picture of the control room per role (protocol/schemas/console-state.ts), built from the log, to
// start a console that opens with nothing (`/ws?since=0&view=1`): it gets the picture and then only the events
// after it, instead of every event of the log (600,000 public events took a console 20 s to replay, and a
// call ringing meanwhile showed only at the end).
//
// Each role's picture is built from exactly what the fan-out would send that role, event by event: the wire
// shape (wire.ts), the role's view of it (audience.ts), the same check (an event that fails it is sent to no
// one, so it is not applied either) and the checked, parsed event, as the console parses it. Redacted events
// (retention) are skipped, as the backlog skips them. So the picture is the one the console would have built.
// Roles that receive every console event alike share one picture (audience.ts receiveAlike): call handlers and
// supervisors have one, engineers theirs.
//
// Built in the background and kept. When the fan-out starts (a gateway start), one pass over the whole log builds
// every picture: each page is read once and applied to each picture, one page per event-loop turn, so an alarm's
// RING does not wait behind it (before 24 Nov the first console of each role after a start waited for a build of
// its own: 6.6 s at 600,000 public events). While no console waits for it, the pass takes a turn only when no
// client's backlog wants one, and reads pages a fifth of the backlog's: consoles resuming after a restart (the
// moment it runs) are not held up by it; once a console waits for it, it takes its turn with the backlogs. At
// each heartbeat of the fan-out, a picture that is behind the broadcast is brought level the same way, and one
// that a retention purge made stale (it redacts events the picture was built from; the fan-out is told the
// store's purge count) is built again from the start. A console that opens reads only what came since its picture; one that opens while a pass is building
// its picture waits for that pass and then reads what came since: there is never a second build of a picture at
// the same time, and the picture it gets stands at one seq, every event up to it applied once.
import { GATEWAY_EVENT_TYPES, GatewayEvent } from '../../protocol/schemas/events.js';
import { ConsoleState } from '../../protocol/schemas/console-state.js';
import type { ConsoleLineRun } from '../../protocol/schemas/console-view.js';
import { ROLES, type Role } from '../auth/roles.js';
import type { EventLog, StoredEvent } from '../store/event-store.js';
import { receiveAlike, viewFor } from './audience.js';
import type { Validate } from './role-frames.js';
import { toWire, type WireEvent } from './wire.js';

/** The role whose picture a role's consoles get: the first of ROLES that receives the console events alike. */
const PICTURE_OF = new Map<Role, Role>(ROLES.map((r) => [r, ROLES.find((o) => receiveAlike(o, r, GATEWAY_EVENT_TYPES)) ?? r]));

/** The picture a role's consoles get, by the role it is built for (PICTURES). */
export function pictureKey(role: Role): Role {
  return PICTURE_OF.get(role) ?? role;
}

/** The distinct pictures, by the role they are built for (call-handler, also the supervisors'; engineer). */
export const PICTURES: readonly Role[] = [...new Set(PICTURE_OF.values())];

type Picture = {
  /** The role it is built for (PICTURES). */
  readonly role: Role;
  readonly state: ConsoleState;
  /** The last seq of the log read into it (the events its role does not get included). */
  position: number;
  /** The store's purge count when it was started. */
  readonly purges: number;
  /**
   * Each line's current run up or not up, by line id (the picture's `lineRuns`): from every `line.health` event
   * of the role's, while the state keeps only the newest 200 events. Without it a console opening during an
   * outage that began before those 200 could only say "down since HH:MM:SS or earlier".
   */
  readonly lineRuns: Map<string, ConsoleLineRun>;
};

/** The line's run after `e`: a new one when the line is new or its state went from up to not up or back. */
function runAfter(run: ConsoleLineRun | undefined, e: { lineId: string; state: string; at: string }): ConsoleLineRun | undefined {
  const up = e.state === 'up';
  return run !== undefined && run.up === up ? undefined : { lineId: e.lineId, up, at: e.at };
}

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
  /**
   * The same for a background pass no console waits for: a turn after the clients' backlogs (the fan-out's idle
   * turn), so that consoles resuming after a restart are not slowed by the build. Default: `turn`.
   */
  readonly idleTurn?: () => Promise<void>;
  readonly pageSize: number;
  /** Told when a background pass failed (a store read): the next heartbeat tries again. */
  readonly onBackgroundError?: (err: unknown) => void;
};

/** A background pass no console waits for reads pages this much smaller: the event loop waits less for each. */
const IDLE_PAGE_DIVISOR = 5;

export class ConsoleViews {
  /** By the role it is built for (PICTURES). */
  private readonly pictures = new Map<Role, Picture>();
  /** The pass building each picture now: one at a time per picture; a console that asks meanwhile waits for it. */
  private readonly building = new Map<Role, Promise<unknown>>();
  /** Consoles waiting for the pass building a picture (a background pass then takes the clients' turns and pages). */
  private readonly waiting = new Map<Role, number>();
  /** Wakes a background pass waiting for an idle turn, by picture: a console now waits for it. */
  private readonly wakers = new Map<Role, () => void>();
  constructor(private readonly options: ConsoleViewsOptions) {}

  /**
   * The picture of `role` after at least `until()` (re-read after every page: events keep coming), with the
   * log position it stands at. `gone()` stops early (the client left): undefined.
   */
  async levelWith(role: Role, until: () => number, gone: () => boolean): Promise<{ state: ConsoleState; position: number; lineRuns: ConsoleLineRun[] } | undefined> {
    const key = pictureKey(role);
    for (;;) {
      const previous = this.building.get(key);
      if (previous === undefined) break;
      this.waiting.set(key, (this.waiting.get(key) ?? 0) + 1);
      this.wakers.get(key)?.();
      try {
        await previous.catch(() => undefined);
      } finally {
        this.waiting.set(key, (this.waiting.get(key) ?? 1) - 1);
      }
    }
    const work = this.pass([key], until, gone, false);
    this.building.set(key, work);
    try {
      if (!(await work)) return undefined;
    } finally {
      if (this.building.get(key) === work) this.building.delete(key);
    }
    // Read in the same turn as the pass ended: no other pass may have applied a page to it since.
    const p = this.pictures.get(key) as Picture;
    return { state: p.state, position: p.position, lineRuns: [...p.lineRuns.values()] };
  }

  /**
   * Starts, in the background, one pass over the log that builds every picture which no pass is building now and
   * which is missing (the fan-out's start), behind `until()`, or stale (a retention purge since it was started:
   * built again from the start). The fan-out calls it at its start and at each heartbeat. Returns the pass (it
   * never rejects; `gone()` stops it: the fan-out stopped), or undefined when no picture needed one.
   */
  refresh(until: () => number, gone: () => boolean): Promise<void> | undefined {
    const purges = this.options.purges();
    const keys = PICTURES.filter((k) => {
      if (this.building.has(k)) return false;
      const p = this.pictures.get(k);
      return p === undefined || p.purges !== purges || p.position < until();
    });
    if (keys.length === 0) return undefined;
    const work = this.pass(keys, until, gone, true).then(
      () => undefined,
      (err: unknown) => this.options.onBackgroundError?.(err),
    );
    for (const k of keys) this.building.set(k, work);
    void work.then(() => {
      for (const k of keys) if (this.building.get(k) === work) this.building.delete(k);
    });
    return work;
  }

  /** Resolves when every pass running now has ended (tests and benchmarks wait for the background build). */
  async settled(): Promise<void> {
    await Promise.all([...new Set(this.building.values())].map((p) => p.catch(() => undefined)));
  }

  /**
   * Brings the pictures of `keys` level with `until()` in one pass: each page is read once, in its turn, and
   * applied to every picture still behind it. A `background` pass no console waits for yet takes idle turns and
   * smaller pages. False when `gone()` stopped it.
   */
  private async pass(keys: readonly Role[], until: () => number, gone: () => boolean, background: boolean): Promise<boolean> {
    const { pageSize, turn } = this.options;
    const idleTurn = this.options.idleTurn ?? turn;
    const idlePage = Math.max(1, Math.floor(pageSize / IDLE_PAGE_DIVISOR));
    for (;;) {
      const purges = this.options.purges();
      const targets = keys.map((k) => this.current(k, purges));
      const from = Math.min(...targets.map((p) => p.position));
      if (from >= until()) return true;
      const idle = background && !this.awaited(keys);
      if (idle) await this.idleOrWoken(keys, idleTurn, turn);
      else await turn();
      if (gone()) return false;
      const size = idle && !this.awaited(keys) ? idlePage : pageSize;
      const page = await this.options.log.readSince(from, size);
      if (this.options.purges() !== purges) {
        // A purge ran while this page was read: these pictures are built again from the beginning.
        for (const k of keys) this.pictures.delete(k);
        continue;
      }
      this.applyPage(page, targets);
      if (page.length < size) return true;
    }
  }

  /**
   * An idle turn, or a turn with the backlogs as soon as a console waits for one of these pictures: idle turns
   * come only when no backlog wants one, and a console must not wait behind a shift change's replays for it.
   */
  private async idleOrWoken(keys: readonly Role[], idleTurn: () => Promise<void>, turn: () => Promise<void>): Promise<void> {
    let wake: () => void = () => undefined;
    const woken = new Promise<'woken'>((resolve) => (wake = () => resolve('woken')));
    for (const k of keys) this.wakers.set(k, wake);
    try {
      // A turn given after a wake goes unused: it only lets the event loop run once more.
      if ((await Promise.race([idleTurn().then(() => 'turn' as const), woken])) === 'woken') await turn();
    } finally {
      for (const k of keys) if (this.wakers.get(k) === wake) this.wakers.delete(k);
    }
  }

  /** Whether a console waits for one of these pictures. */
  private awaited(keys: readonly Role[]): boolean {
    return keys.some((k) => (this.waiting.get(k) ?? 0) > 0);
  }

  /** The picture built for `key`, or a new empty one when there is none or a purge has run since it was started. */
  private current(key: Role, purges: number): Picture {
    const p = this.pictures.get(key);
    if (p !== undefined && p.purges === purges) return p;
    const fresh: Picture = { role: key, state: new ConsoleState(), position: 0, purges, lineRuns: new Map() };
    this.pictures.set(key, fresh);
    return fresh;
  }

  /**
   * A page applied to each picture behind it, every event as the fan-out would send it to the picture's role (or
   * not, when it would not be sent). The wire shape is made once per event and the check runs once per distinct
   * view: a view no field was removed from is the same object for every role, and so is its parsed event.
   */
  private applyPage(page: readonly StoredEvent[], pictures: readonly Picture[]): void {
    for (const stored of page) {
      let wire: WireEvent | undefined;
      let checked: WireEvent | undefined;
      let parsed: GatewayEvent | undefined;
      for (const p of pictures) {
        if (stored.seq <= p.position) continue;
        if (!stored.redacted) {
          wire ??= toWire(stored);
          const view = viewFor(p.role, wire);
          if (view !== undefined && view !== checked) {
            checked = view;
            parsed = this.check(view);
          }
          if (view !== undefined && parsed !== undefined && p.state.apply(parsed) && parsed.type === 'line.health') {
            const run = runAfter(p.lineRuns.get(parsed.lineId), parsed);
            if (run !== undefined) p.lineRuns.set(parsed.lineId, run);
          }
        }
        p.position = stored.seq;
      }
    }
  }

  /** The event a console would parse from `view`, or undefined when the fan-out would not send it. */
  private check(view: WireEvent): GatewayEvent | undefined {
    if (this.options.validate !== undefined && !this.options.validate(view)) return undefined;
    const parsed = GatewayEvent.safeParse(view);
    return parsed.success ? parsed.data : undefined;
  }
}
