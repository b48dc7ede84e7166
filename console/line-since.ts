// Since when a modem line has been working, or not: what an engineer reads in the lines table. A line that is
// down retries (gateway/lines/modem-line.ts: initialising, then down again with a new delay), and each retry is
// a `line.health` event: the table's "Since" was the time of the newest event, so a line down for an hour read
// "since" its last retry, a few seconds ago. Here a line's run starts when it goes from up to not up (down,
// initialising, resetting) or back; events inside a run keep its start. Pure (tested in node).
import type { ConsoleLineRun, GatewayEvent, LineHealth } from '../protocol/schemas/index.js';

export type LineRun = {
  readonly up: boolean;
  /** When the run began (an event's time). */
  readonly at: string;
  /** false: the run began at `at` or earlier (the console did not see the line's events before it). */
  readonly exact: boolean;
};

export class LineSince {
  private readonly runs = new Map<string, LineRun>();

  /**
   * One `line.health` event, in seq order. `seenFromStart`: this console has every earlier event of the log,
   * so the first event of a line is the start of its run.
   */
  note(e: Pick<LineHealth, 'lineId' | 'state' | 'at'>, seenFromStart: boolean): void {
    const up = e.state === 'up';
    const run = this.runs.get(e.lineId);
    if (run === undefined) this.runs.set(e.lineId, { up, at: e.at, exact: seenFromStart });
    else if (run.up !== up) this.runs.set(e.lineId, { up, at: e.at, exact: true });
  }

  /**
   * After a restored picture (`view=1`): the gateway's `lineRuns`, built from every event of the log, say when
   * each line's run began. A picture without them (a gateway before 24 Nov 2026) gives only its newest 200
   * events (`recent`): the first line event there is a run's start only when that is the whole log, and a line
   * whose events are all older says "or earlier" beside the time of its newest.
   */
  restored(state: { readonly recent: readonly GatewayEvent[]; readonly applied: number; readonly lines: ReadonlyMap<string, LineHealth> }, lineRuns: readonly ConsoleLineRun[] | undefined): void {
    this.runs.clear();
    for (const r of lineRuns ?? []) this.runs.set(r.lineId, { up: r.up, at: r.at, exact: true });
    if (lineRuns === undefined) {
      const whole = state.recent.length >= state.applied;
      for (const e of state.recent) if (e.type === 'line.health') this.note(e, whole);
    }
    for (const l of state.lines.values()) if (!this.runs.has(l.lineId)) this.note(l, false);
  }

  of(lineId: string): LineRun | undefined {
    return this.runs.get(lineId);
  }

  clear(): void {
    this.runs.clear();
  }
}
