// The JSON text of a console's picture (protocol/schemas/console-view.ts), made a part at a time, with the event
// loop free between parts. A picture is large: 1,000 open incidents with 300 fixes each is 63 MB of text, and
// JSON.stringify of it, then of the 242 `view` messages carrying it, held the gateway's event loop for 0.65-1 s
// for every console that opened (an alarm's RING and SMS waiting behind it, once per console at a shift change).
//
// The text is exactly JSON.stringify(view): the same keys in the same order, each array element made by
// JSON.stringify on its own (which is what JSON.stringify of the whole writes for it), a track's points one by
// one. It comes out already cut into parts of VIEW_PART_CHARS characters (the last one shorter), as the `view`
// messages carry it (protocol/schemas/control.ts ViewPart).
import type { ConsoleLineRun, ConsoleView } from '../../protocol/schemas/console-view.js';
import type { ConsoleState } from '../../protocol/schemas/console-state.js';

/**
 * The state's view() as it is now, safe to read over many event-loop turns while later pages are applied to the
 * state: every entry view() returns is replaced, never changed, by later events (console-state.ts), except a
 * track's list of points, which grows in place: those are copied.
 */
export function pictureOf(state: ConsoleState, lineRuns?: readonly ConsoleLineRun[]): ConsoleView {
  const view = state.view();
  return {
    ...view,
    tracks: view.tracks.map((t) => ({ key: t.key, points: t.points.slice() })),
    // Last: the text below writes it last, as JSON.stringify does. None with no line (a picture with lines has
    // one run per line): the text of a picture without lines stays what it was.
    ...(lineRuns !== undefined && lineRuns.length > 0 && { lineRuns: [...lineRuns] }),
  };
}

/** JSON.stringify(view), as a sequence of pieces (concatenated, the same text). */
function* pieces(view: ConsoleView): Generator<string> {
  yield `{"events":${JSON.stringify(view.events)}`;
  yield* list('calls', view.calls);
  yield* list('incidents', view.incidents);
  yield ',"tracks":[';
  for (let i = 0; i < view.tracks.length; i++) {
    const t = view.tracks[i] as ConsoleView['tracks'][number];
    yield `${i === 0 ? '' : ','}{"key":${JSON.stringify(t.key)},"points":[`;
    yield* items(t.points);
    yield ']}';
  }
  yield ']';
  yield* list('handsets', view.handsets);
  yield* list('health', view.health);
  yield* list('lines', view.lines);
  yield* list('commands', view.commands);
  yield* list('rejected', view.rejected);
  yield* list('recent', view.recent);
  if (view.lineRuns !== undefined) yield* list('lineRuns', view.lineRuns);
  yield '}';
}

function* list(key: string, xs: readonly unknown[]): Generator<string> {
  yield `,${JSON.stringify(key)}:[`;
  yield* items(xs);
  yield ']';
}

function* items(xs: readonly unknown[]): Generator<string> {
  for (let i = 0; i < xs.length; i++) yield i === 0 ? JSON.stringify(xs[i]) : `,${JSON.stringify(xs[i])}`;
}

/**
 * The text of `view` in parts of `partChars` characters, `turn()` awaited after each part is made; undefined
 * when `gone()` says after a turn that nobody wants it any more. With `as`, each part is kept as `as(part)`
 * (picture-shares.ts keeps the part's JSON string as UTF-8), and the part's string is let go at once.
 */
export async function pictureParts(view: ConsoleView, partChars: number, turn: () => Promise<void>, gone: () => boolean): Promise<string[] | undefined>;
export async function pictureParts<T>(view: ConsoleView, partChars: number, turn: () => Promise<void>, gone: () => boolean, as: (part: string) => T): Promise<T[] | undefined>;
export async function pictureParts(
  view: ConsoleView,
  partChars: number,
  turn: () => Promise<void>,
  gone: () => boolean,
  as: (part: string) => unknown = (part) => part,
): Promise<unknown[] | undefined> {
  const parts: unknown[] = [];
  let held: string[] = [];
  let heldChars = 0;
  for (const piece of pieces(view)) {
    held.push(piece);
    heldChars += piece.length;
    if (heldChars < partChars) continue;
    let text = held.join('');
    while (text.length >= partChars) {
      parts.push(as(text.slice(0, partChars)));
      text = text.slice(partChars);
    }
    held = [text];
    heldChars = text.length;
    await turn();
    if (gone()) return undefined;
  }
  const rest = held.join('');
  if (rest.length > 0 || parts.length === 0) parts.push(as(rest));
  return parts;
}
