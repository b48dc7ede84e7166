// Counting decoder results the house way: "not mine" apart from "corrupt", and corrupt by reason. The
// decoders themselves are pure functions; a caller that wants counts (the gateway's /metrics, the handset's
// diagnostics) passes each result through one of these.

/** Counts of decoded messages: accepted, not mine, and corrupt by reason. */
export class DecodeStats<R extends string = string> {
  accepted = 0;
  notMine = 0;
  corrupt = 0;
  readonly byReason: Partial<Record<R, number>> = {};

  /** @param notMineReason the reason code that means "not mine" (`not-mine` for TSR1, TSC1 and AML). */
  constructor(private readonly notMineReason: R = 'not-mine' as R) {}

  /** Counts one result and returns it unchanged, so it can wrap a decoder call. */
  record<T extends { readonly ok: true } | { readonly ok: false; readonly reason: R }>(result: T): T {
    if (result.ok) {
      this.accepted++;
    } else {
      const reason = (result as { readonly reason: R }).reason;
      if (reason === this.notMineReason) this.notMine++;
      else this.corrupt++;
      this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
    }
    return result;
  }
}
