// One text of a role's picture (picture-text.ts) for every console that opens while it is in use: made once, sent
// as it is to each of them, and let go when the last one has been sent it (or left).
//
// Before 24 Nov each opening console made its own: at a shift change, 10 consoles opening together on 1,000 open
// incidents x 300 fixes (60 M characters of picture) held 10 copies of it, +713-738 MB of RSS in the gateway
// against +74-77 MB for one console (bench/picture-open.bench.ts), and each made the same text again from the
// picture (the CPU of JSON.stringify of 60 MB, ten times). A gateway that runs out of memory is killed, and
// every console loses its live view.
//
// What is kept: each part's `text` field as it goes in its `view` message, JSON.stringify(part) as UTF-8, so
// a console's message is its own head (`at`, `seq`, `part`, `parts`) and that shared body, byte for byte what
// JSON.stringify of the whole message gave (fanout.ts sendView; test/gateway/fanout/picture-shares.test.ts).
//
// Which consoles share. A console takes the text of its role's picture in use now when it was made after the
// store's last retention purge (a text made before one holds what the purge removed) and stands at most
// SHARE_BEHIND_EVENTS behind the broadcast; otherwise it has the picture brought level and a new text made from
// it. A console given an older text starts at that text's seq, and reads the events after it from the store as
// every console reads the events after its picture (docs/api.md): in a busy control room events arrive while the
// consoles of a shift change open, and each console's picture at a seq of its own would be a copy each again.
import type { Role } from '../auth/roles.js';
import type { ConsoleView } from '../../protocol/schemas/console-view.js';
import { pictureParts } from './picture-text.js';

/**
 * A console may take a text this many events behind the broadcast at most: it reads them after the picture (a
 * few pages of the backlog, well under a megabyte), instead of a copy of the picture's megabytes of its own.
 */
export const SHARE_BEHIND_EVENTS = 10_000;

/** One picture's text, as the `text` of each `view` message. */
export type PictureText = {
  /** The picture is the one after this seq. */
  readonly seq: number;
  /** JSON.stringify of each part's text, as UTF-8: the `text` field of its `view` message, quotes included. */
  readonly bodies: readonly Buffer[];
};

type Share = {
  readonly key: Role;
  readonly seq: number;
  readonly purges: number;
  /** The `gone()` of each console using it; the text is made while one of them is not gone. */
  readonly users: Set<() => boolean>;
  /** Set once, right after the share is made (its making reads `users`). */
  text: Promise<PictureText | undefined>;
};

export type PictureSharesOptions = {
  /** Resolves when the next part may be made (the fan-out's backlog turn). */
  readonly turn: () => Promise<void>;
  /** Characters per `view` message (VIEW_PART_CHARS). */
  readonly partChars: number;
  /** The store's retention purges so far. */
  readonly purges: () => number;
};

/** A console's hold on a shared text: `text` (undefined when every console using it left first), then `release()`. */
export type SharedText = { readonly seq: number; readonly text: Promise<PictureText | undefined>; release(): void };

export class PictureShares {
  /** The text in use now, by the picture's role (console-views.ts PICTURES). */
  private readonly inUse = new Map<Role, Share>();

  constructor(private readonly options: PictureSharesOptions) {}

  /** The text of picture `key` in use now, taken for a console, when it may have it (see above). */
  take(key: Role, head: number, gone: () => boolean): SharedText | undefined {
    const share = this.inUse.get(key);
    if (share === undefined || share.purges !== this.options.purges() || head - share.seq > SHARE_BEHIND_EVENTS) return undefined;
    return this.hold(share, gone);
  }

  /**
   * A new text of picture `key` from `view` (taken at `seq`), for a console, shared with those that come while it
   * is in use (it replaces any older one for them; a console already holding that one keeps it).
   */
  make(key: Role, view: ConsoleView, seq: number, gone: () => boolean): SharedText {
    const share: Share = { key, seq, purges: this.options.purges(), users: new Set(), text: Promise.resolve(undefined) };
    // Made while a console using it is still there; once all have left, nobody may join it any more.
    const allGone = (): boolean => {
      for (const g of share.users) if (!g()) return false;
      if (this.inUse.get(key) === share) this.inUse.delete(key);
      return true;
    };
    share.text = pictureParts(view, this.options.partChars, this.options.turn, allGone, (part) => Buffer.from(JSON.stringify(part), 'utf8'))
      .then((bodies) => (bodies === undefined ? undefined : { seq, bodies }));
    // A text that failed is not given to the next console (those holding it fail with it, as before).
    share.text.catch(() => {
      if (this.inUse.get(key) === share) this.inUse.delete(key);
    });
    this.inUse.set(key, share);
    return this.hold(share, gone);
  }

  private hold(share: Share, gone: () => boolean): SharedText {
    // One entry per console even when two have the same gone() (a Set keeps one).
    const mine = () => gone();
    share.users.add(mine);
    let released = false;
    return {
      seq: share.seq,
      text: share.text,
      release: () => {
        if (released) return;
        released = true;
        share.users.delete(mine);
        if (share.users.size === 0 && this.inUse.get(share.key) === share) this.inUse.delete(share.key);
      },
    };
  }
}
