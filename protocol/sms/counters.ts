// Counting decoder outcomes, so that the gateway can show "not mine" apart from "corrupt" (and which
// corruption) on /metrics without each caller keeping its own tally.

import type { SmsReason, SmsResult } from './result.js';

/** Tallies of decoder outcomes. */
export class SmsDecodeCounters {
  decoded = 0;
  notMine = 0;
  corrupt = 0;
  /** Rejections by reason (not-mine ones included, under 'wrong-type'). */
  readonly byReason = new Map<SmsReason, number>();

  /** Counts one result and hands it back, so a call can be wrapped: `counters.count(tryDecodeDeliver(h))`. */
  count<T>(result: SmsResult<T>): SmsResult<T> {
    if (result.ok) {
      this.decoded++;
      return result;
    }
    if (result.kind === 'not-mine') this.notMine++;
    else this.corrupt++;
    this.byReason.set(result.reason, (this.byReason.get(result.reason) ?? 0) + 1);
    return result;
  }
}
