// The frames of a run of stored events for each role, with the work shared between roles: each event is
// shaped for the wire (toWire) and checked against protocol/schemas once; a role's view is derived from that
// checked object (audience.ts) and needs no second check when it is the same object (nothing stripped, the
// usual case); a stripped view is checked itself, since removing a field can make it off-schema. The JSON
// text of a shared view is made once for all roles that get it.
//
// Nothing off-schema is sent: an event whose view fails its check is left out for that role and reported
// through `onInvalid` (once per event and role, as before).
import type { Role } from '../auth/roles.js';
import type { StoredEvent } from '../store/event-store.js';
import { viewFor } from './audience.js';
import { TextFrames } from './text-frames.js';
import { toWire, type WireEvent } from './wire.js';

/** Checks an outgoing event against protocol/schemas; false = not sent. */
export type Validate = (message: unknown) => boolean;

const UNKNOWN = 0;
const VALID = 1;
const INVALID = 2;

/** One run of consecutive events; frames per role are built on demand and kept for the run. */
export class RoleFrames {
  private readonly wire: (WireEvent | undefined)[] = [];
  private readonly checked: Uint8Array;
  private readonly text: (string | undefined)[] = [];
  private readonly byRole = new Map<Role, { from: number; frames: TextFrames }>();

  constructor(
    readonly events: readonly StoredEvent[],
    private readonly validate: Validate,
    private readonly onInvalid: (e: StoredEvent, role: Role) => void,
  ) {
    this.checked = new Uint8Array(events.length);
  }

  /** The frames of events `from` and later for `role` (built once per role from the lowest `from` asked first). */
  framesFor(role: Role, from: number): { from: number; frames: TextFrames } {
    const have = this.byRole.get(role);
    if (have !== undefined && have.from <= from) return have;
    const texts: (string | null)[] = [];
    for (let i = from; i < this.events.length; i++) texts.push(this.textFor(i, role));
    const built = { from, frames: new TextFrames(texts) };
    this.byRole.set(role, built);
    return built;
  }

  /** The JSON texts of every event for `role`, in order (the events it does not get left out). */
  textsFor(role: Role): string[] {
    const texts: string[] = [];
    for (let i = 0; i < this.events.length; i++) {
      const t = this.textFor(i, role);
      if (t !== null) texts.push(t);
    }
    return texts;
  }

  private textFor(i: number, role: Role): string | null {
    const e = this.events[i] as StoredEvent;
    if (e.redacted) return null;
    let wire = this.wire[i];
    if (wire === undefined) wire = this.wire[i] = toWire(e);
    const view = viewFor(role, wire);
    if (view === undefined) return null;
    if (view === wire) {
      if (this.checked[i] === UNKNOWN) this.checked[i] = this.validate(wire) ? VALID : INVALID;
      if (this.checked[i] === INVALID) {
        this.onInvalid(e, role);
        return null;
      }
      let t = this.text[i];
      if (t === undefined) t = this.text[i] = JSON.stringify(wire);
      return t;
    }
    if (!this.validate(view)) {
      this.onInvalid(e, role);
      return null;
    }
    return JSON.stringify(view);
  }
}
