// How long the action status line (app.ts `say`) keeps a message. A red failure stayed on screen, red, until the
// next message replaced it: a TSC1 timeout or a refused hang-up from twenty minutes ago read as a failure now,
// after the problem was gone. A message about something that can be put right (a victim record that could not be
// read, a command that failed) goes as soon as it is (app.ts); otherwise a failure is red for ALERT_RED_S, then
// plain with its time, and every message goes after STATUS_KEEP_S. Pure (tested in node). docs/console.md.

/** A failure is red (role alert) this long (seconds). */
export const ALERT_RED_S = 30;
/** Then any message stays, plain and with its time, until this age (seconds). */
export const STATUS_KEEP_S = 120;

export type StatusStage = 'current' | 'old' | 'gone';

/**
 * What a message `ageS` seconds old looks like: as said (red for a failure), then old (plain, with its time),
 * then gone. `kept`: it stays as said while its problem lasts (no age limit).
 */
export function statusStage(ageS: number, kept = false): StatusStage {
  if (kept) return 'current';
  if (ageS >= STATUS_KEEP_S) return 'gone';
  return ageS < ALERT_RED_S ? 'current' : 'old';
}

/**
 * How long a screen-reader announcement (#announcer, #incident-news, #fix-announce) stays in its region (ms): read
 * out long before, then gone, so that a screen reader user reading the page from the top later does not hear a
 * stale alarm or "Last fix 0:00 ago" as if it were now. A newer announcement in the region starts it again.
 */
export const SPOKEN_KEEP_MS = 15_000;
