// The frames of a run of stored events for each role, with the work shared between roles: each event is
// shaped for the wire (toWire) and checked against protocol/schemas once; a role's view is derived from that
// checked object (audience.ts) and needs no second check when it is the same object (nothing stripped, the
// usual case); a stripped view is checked itself, since removing a field can make it off-schema. The JSON
// text of a shared view is made once for all roles that get it, and a role's texts once for all its clients.
// A live event the store gave its text of (trusted, below) is not even shaped: its message is made from that text
// (wire.ts wireText) and a role that gets it whole (audience.ts seesWhole, decided on the stored payload) is given
// that; only a role whose view changes it (engineers' reduced or stripped views) has the wire object made.
//
// What a client is written of the run (`tailFor`): one text frame per event, or, for a client that asked for
// batches, one `batch` message (batch-messages.ts) when it gets more than one event of the run. Both are
// built once per role (and starting point), on demand, and written as they are to every client that needs
// them: a commit of 300 events to 10 consoles of one role is serialised once, not 10 times.
//
// Nothing off-schema is sent: an event whose view fails its check is left out for that role and reported
// through `onInvalid` (once per event and role, as before).
//
// Which events are checked. Events read from the log (a backlog page, a gap filled from the store) are checked
// against protocol/schemas: the log may hold what an older version of the gateway wrote. A run made `trusted`
// (the store's listener handing over what this gateway staged and committed a moment ago: fanout.ts) was built
// by the gateway's own code from input it validated at its edge, and its events of a protocol/schemas type are
// sent as they are when nothing is stripped from them; an event of any other type (an internal one, should a
// store reach the fan-out without gateway/core's publicLog masking it) is still checked and refused, and a
// stripped view is still checked (removing a field can make it off-schema).
// The zod check was the one schema parse left on the live path of every event: about 2.5 us and 3.4 KB of
// garbage per event, some 10 % of the gateway thread at saturation (docs/benchmarks.md). That the core makes
// only valid public events is what its tests assert (test/gateway/core/harness.ts invalidPublicEvents), and
// the console checks every message it is sent against the same schema (console/connection.ts).
import { GATEWAY_EVENT_TYPES } from '../../protocol/schemas/events.js';
import type { Role } from '../auth/roles.js';
import type { StoredEvent } from '../store/event-store.js';
import { seesWhole, viewFor } from './audience.js';
import { batchMessages } from './batch-messages.js';
import { TextFrames } from './text-frames.js';
import { toWire, wireText, type WireEvent } from './wire.js';

/** The protocol/schemas event types: an event of any other type is always checked (and refused). */
const GATEWAY_TYPES: ReadonlySet<string> = new Set(GATEWAY_EVENT_TYPES);

/** Checks an outgoing event against protocol/schemas; false = not sent. */
export type Validate = (message: unknown) => boolean;

/** What one client is written of a run: the frames of `frames` from event `i` on, carrying `events` events. */
export type Tail = { readonly frames: TextFrames; readonly i: number; readonly events: number };

const UNKNOWN = 0;
const VALID = 1;
const INVALID = 2;

/** One role's texts of events `from` and later (null: not for this role), and what is built from them. */
type RoleRun = {
  readonly from: number;
  readonly texts: readonly (string | null)[];
  /** visibleFrom[k]: how many of texts[k..] are not null. */
  readonly visibleFrom: Int32Array;
  frames?: TextFrames;
  /** `batch` messages by index into texts where they start. */
  batches?: Map<number, TextFrames>;
};

/** One run of consecutive events; texts and frames per role are built on demand and kept for the run. */
export class RoleFrames {
  private readonly wire: (WireEvent | undefined)[] = [];
  private readonly checked: Uint8Array;
  private readonly text: (string | undefined)[] = [];
  private readonly byRole = new Map<Role, RoleRun>();
  private readonly eventTexts: readonly (string | undefined)[] | undefined;

  constructor(
    readonly events: readonly StoredEvent[],
    private readonly validate: Validate,
    private readonly onInvalid: (e: StoredEvent, role: Role) => void,
    /** Events this gateway staged itself (the store's listener): not checked unless a view strips them. */
    private readonly trusted = false,
    /** JSON.stringify of each event's `event`, when the store gave them (EventListener): see wire.ts wireText. */
    texts?: readonly (string | undefined)[],
  ) {
    this.checked = new Uint8Array(events.length);
    this.eventTexts = texts !== undefined && texts.length === events.length ? texts : undefined;
  }

  /** Makes the texts of events `from` and later for `role` (call with each role's lowest `from` first). */
  prepare(role: Role, from: number): void {
    this.runFor(role, from);
  }

  /** The frames of events `from` and later for `role` (built once per role from the lowest `from` asked first). */
  framesFor(role: Role, from: number): { from: number; frames: TextFrames } {
    const run = this.runFor(role, from);
    run.frames ??= new TextFrames(run.texts);
    return { from: run.from, frames: run.frames };
  }

  /**
   * What a client of `role` that needs events `from` and later is written: one frame per event; or, when
   * `batch` and it gets more than one of them, `batch` messages timed `at` (one frame each). A client that
   * gets one event of the run gets it as its own message either way.
   */
  tailFor(role: Role, from: number, batch: boolean, at: string): Tail {
    const run = this.runFor(role, from);
    const k = from - run.from;
    const events = run.visibleFrom[k] as number;
    if (!batch || events <= 1) {
      run.frames ??= new TextFrames(run.texts);
      return { frames: run.frames, i: k, events };
    }
    run.batches ??= new Map();
    let frames = run.batches.get(k);
    if (frames === undefined) {
      const texts: string[] = [];
      for (let j = k; j < run.texts.length; j++) {
        const t = run.texts[j];
        if (t !== null && t !== undefined) texts.push(t);
      }
      frames = new TextFrames(batchMessages(texts, at));
      run.batches.set(k, frames);
    }
    return { frames, i: 0, events };
  }

  /** The JSON texts of every event for `role`, in order (the events it does not get left out). */
  textsFor(role: Role): string[] {
    const texts: string[] = [];
    for (const t of this.runFor(role, 0).texts) if (t !== null) texts.push(t);
    return texts;
  }

  /** The role's texts from `from` (kept when already made from `from` or earlier). */
  private runFor(role: Role, from: number): RoleRun {
    const have = this.byRole.get(role);
    if (have !== undefined && have.from <= from) return have;
    const texts: (string | null)[] = [];
    for (let i = from; i < this.events.length; i++) texts.push(this.textFor(i, role));
    const visibleFrom = new Int32Array(texts.length + 1);
    for (let k = texts.length - 1; k >= 0; k--) visibleFrom[k] = (visibleFrom[k + 1] as number) + (texts[k] === null ? 0 : 1);
    const run: RoleRun = { from, texts, visibleFrom };
    this.byRole.set(role, run);
    return run;
  }

  private textFor(i: number, role: Role): string | null {
    const e = this.events[i] as StoredEvent;
    if (e.redacted) return null;
    // A trusted event with the store's text of it: no wire object at all unless this role's view changes it.
    const fast = this.fastText(i);
    if (fast !== undefined) {
      const whole = seesWhole(role, e.event);
      if (whole === undefined) return null;
      if (whole) return fast;
    }
    let wire = this.wire[i];
    if (wire === undefined) wire = this.wire[i] = toWire(e);
    const view = viewFor(role, wire);
    if (view === undefined) return null;
    if (view === wire) {
      if (this.checked[i] === UNKNOWN) this.checked[i] = (this.trusted && GATEWAY_TYPES.has(e.event.type)) || this.validate(wire) ? VALID : INVALID;
      if (this.checked[i] === INVALID) {
        this.onInvalid(e, role);
        return null;
      }
      let t = this.text[i];
      if (t === undefined) t = this.text[i] = wireText(e, this.eventTexts?.[i]) ?? JSON.stringify(wire);
      return t;
    }
    if (!this.validate(view)) {
      this.onInvalid(e, role);
      return null;
    }
    return JSON.stringify(view);
  }

  /** The message of event i made from the store's text, for a trusted event of a protocol/schemas type (else undefined). */
  private fastText(i: number): string | undefined {
    if (!this.trusted || this.eventTexts === undefined) return undefined;
    let t = this.text[i];
    if (t === undefined && this.checked[i] === UNKNOWN) {
      const e = this.events[i] as StoredEvent;
      if (GATEWAY_TYPES.has(e.event.type)) t = wireText(e, this.eventTexts[i]);
      if (t !== undefined) {
        this.text[i] = t;
        this.checked[i] = VALID;
      }
    }
    return this.checked[i] === VALID ? t : undefined;
  }
}
