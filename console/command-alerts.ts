// Which failed or timed-out TSC1 results are news for the handler (the red alert in the status line).
//
// A close's STOP that no line could send is owed (gateway/core/owed-stops.ts): the gateway sends it again by
// itself, and while the modems refuse SMS it tries every 5 min until 70 min after the close, each try a
// `command.result` `failed` whose detail carries the note below. Alerting each one put the same red alert
// on every console 14 times in an hour, each time over the handler's own last action message. The first
// is news (it says the STOP will be sent again); the next ones for that handset are not, until any other
// result for it (sent, acknowledged, a failure of another command) arrives.

/** The words gateway/core/owed-stops.ts `owedNote` puts in the failed detail of an owed STOP. */
const OWED_NOTE = 'it will be sent again by itself';

export class CommandAlerts {
  /** Handsets whose owed-STOP failure the handler has been told of. */
  private readonly owedTold = new Set<string>();

  /** Whether a `command.result` is an alert to show now (failed or timed out, and not a repeat of an owed STOP's). */
  isNews(e: { readonly handsetId: string; readonly result: string; readonly detail?: string | null }): boolean {
    const failed = e.result === 'failed' || e.result === 'timeout';
    if (failed && typeof e.detail === 'string' && e.detail.includes(OWED_NOTE)) {
      if (this.owedTold.has(e.handsetId)) return false;
      this.owedTold.add(e.handsetId);
      return true;
    }
    this.owedTold.delete(e.handsetId);
    return failed;
  }
}
