// How full a line's SMS storage is, and when that is a problem the control room must see.
//
//   AT+CPMS?  ->  +CPMS: "SM",28,30,"SM",28,30,"SM",28,30  OK     (<mem>,<used>,<total>) x3; the third is
//                                                                 where the modem stores what it receives
//
// The gateway deletes every message once it is stored, so a SIM normally holds 0-2. It fills only with what the
// gateway cannot delete: an entry it cannot read (kept: it may be an alarm, see message-intake.ts), messages of
// another status, or a SIM that refuses AT+CMGD. A full SIM is silent and dangerous: the modem refuses new
// messages, the network holds them and retries, then its SMSC discards them, so the reports of every handset
// sending to this line are lost while the line itself still looks "up". So the line reports its storage, and
// a nearly full one in its health detail (and a `line.health` event) while there is still room for what
// arrives before someone clears it.

/** Messages stored and slots, in the memory where received messages go. */
export type SimStorage = { readonly used: number; readonly total: number };

/** Nearly full: at most a tenth of the slots free, and never fewer than 2 free counted as fine. */
export function storageNearlyFull(s: SimStorage | null | undefined): boolean {
  return storageLevel(s) !== 'ok';
}

/** `ok`, `nearly-full` (see storageNearlyFull) or `full`; unknown storage is `ok` (nothing to say). */
export function storageLevel(s: SimStorage | null | undefined): 'ok' | 'nearly-full' | 'full' {
  if (s === null || s === undefined || s.total <= 0) return 'ok';
  if (s.used >= s.total) return 'full';
  return s.total - s.used <= Math.max(2, Math.floor(s.total / 10)) ? 'nearly-full' : 'ok';
}

/** The health detail's note for a nearly full storage, or '' when there is none to make. */
export function storageNote(s: SimStorage | null | undefined): string {
  const level = storageLevel(s);
  if (s === null || s === undefined || level === 'ok') return '';
  const what = level === 'full' ? 'FULL: new SMS are refused and will be lost' : 'nearly full: new SMS will be refused once it is full';
  return `SMS storage ${s.used}/${s.total} ${what}; list and clear the entries the gateway cannot delete (docs/lines.md)`;
}
