// Where the log stood, minute by minute, over the last SEQ_MARKS_KEPT minutes in which events were applied
// (three hours of a busy gateway; longer for a quiet one): for each such minute, the seq of the last event
// before it. A start-up from a snapshot needs it because not all
// start-up state is in the snapshot: the SMS reassembler (gateway/reports/sms-intake.ts) is rebuilt by
// replaying the parts received in the last 2 x the reassembly timeout, which may lie before the snapshot's
// seq. `seqBefore(now - 2 x timeout)` says where that replay must begin; CoreState.apply() ignores the events
// it already holds, so the same read feeds both.
//
// The marks are a projection of the events' `at` like the rest of CoreState (redacted tombstones keep their
// `at`), so a restored state and a rebuilt one hold the same marks. `at` is stamped when the event is decided,
// in the core's serial queue, so it rises with seq (a clock stepping back only makes a mark earlier: safe).

/** How many minutes (with events) the marks remember. */
export const SEQ_MARKS_KEPT = 180;
const MINUTE_MS = 60_000;

export class SeqMarks {
  /** [minute (ms / 60000), seq of the last event applied before the first event of that minute], oldest first. */
  private marks: [number, number][] = [];

  /** Notes an event applied at `at` with `seq` (the previous event applied had `prevSeq`). */
  note(at: string | number, seq: number, prevSeq: number): void {
    const ms = typeof at === 'number' ? at : Date.parse(at);
    if (!Number.isFinite(ms)) return;
    const minute = Math.floor(ms / MINUTE_MS);
    const last = this.marks[this.marks.length - 1];
    if (last !== undefined && minute <= last[0]) return;
    this.marks.push([minute, Math.min(prevSeq, seq - 1)]);
    if (this.marks.length > SEQ_MARKS_KEPT) this.marks.shift();
  }

  /**
   * A seq such that every event applied at or after `timeMs` has a higher seq: replaying from it
   * (readSince(seq)) sees them all. 0 (the whole log) when the marks do not reach back that far.
   */
  seqBefore(timeMs: number): number {
    const minute = Math.floor(timeMs / MINUTE_MS);
    let found = 0;
    let reached = false;
    for (const [m, seq] of this.marks) {
      if (m > minute) break;
      found = seq;
      reached = true;
    }
    return reached ? found : 0;
  }

  toJSON(): [number, number][] {
    return this.marks.map(([m, s]) => [m, s]);
  }

  /** Replaces the marks (already checked: CoreSnapshot). */
  restore(marks: readonly (readonly [number, number])[]): void {
    this.marks = marks.map(([m, s]) => [m, s]);
  }
}
