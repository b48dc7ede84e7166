// Which failed or timed-out TSC1 results are news for the handler (the red alert in the status line).
//
// A close's STOP that no line could send is owed (gateway/core/owed-stops.ts): the gateway sends it again by
// itself, and while the modems refuse SMS it tries every 5 min until 70 min after the close, each try a
// `command.result` `failed` whose detail carries the note below. Alerting each one put the same red alert
// on every console 14 times in an hour, each time over the handler's own last action message. The first
// is news (it says the STOP will be sent again); the next ones for that handset are not, until any other
// result for it (sent, acknowledged, a failure of another command) arrives. An owed STOP left unsent because a
// user's STOP to the handset left (or was being sent) instead is no failure the handler must hear of: hers went
// (or she is told of its own failure), and alerting it said the STOP she had just seen sent had failed.
// One never sent by 70 min after the close is settled by a last failure without that note ("... was never
// sent ..."): news, whatever was told before, since the earlier alert said it would be sent again.

/** The words gateway/core/owed-stops.ts `owedNote` puts in the failed detail of an owed STOP. */
const OWED_NOTE = 'it will be sent again by itself';
/** The words of owed-stops.ts `OWED_GIVES_WAY`: an owed STOP left unsent for a user's STOP to the handset. */
const GAVE_WAY = 'the owed STOP gives way to it';

export class CommandAlerts {
  /** Handsets whose owed-STOP failure the handler has been told of. */
  private readonly owedTold = new Set<string>();

  /** Whether a `command.result` is an alert to show now (failed or timed out, and not a repeat of an owed STOP's). */
  isNews(e: { readonly handsetId: string; readonly result: string; readonly detail?: string | null }): boolean {
    const failed = e.result === 'failed' || e.result === 'timeout';
    if (e.result === 'failed' && typeof e.detail === 'string' && e.detail.includes(GAVE_WAY)) return false;
    if (failed && typeof e.detail === 'string' && e.detail.includes(OWED_NOTE)) {
      if (this.owedTold.has(e.handsetId)) return false;
      this.owedTold.add(e.handsetId);
      return true;
    }
    this.owedTold.delete(e.handsetId);
    return failed;
  }
}
