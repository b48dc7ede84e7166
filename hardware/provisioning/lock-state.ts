// Whether the handset's console is locked (three bad fleet-key signatures in a row: 15 minutes, and a TMP report),
// for `tecsos info`. AT+TSINFO? does not say. While locked, the console answers every command but `AT` and
// AT+TSINFO? with the seconds left and 512 (docs/firmware-sim-handset.md), so the tool asks AT+TSAUTH?, the
// command an authentication starts with:
//
//   > AT+TSAUTH?                          > AT+TSAUTH?
//   < +TSREASON: "port locked after ..."  < +TSAUTH: "9f86d081884c7d659a2feaa0c55ad015"
//   < +TSLOCK: 873                        < OK
//   < +CME ERROR: 512
//   locked, 873 s left                    not locked
//
// Asking counts no attempt and changes nothing that matters: the nonce is never used (the next AT+TSAUTH? voids
// it, and it goes with the session when the line closes). How many bad signatures a handset that is not locked
// has had is not answered by any command that does not count one more; the tool shows it at each refusal.

import { HandsetConsoleError } from './console-errors.js';
import type { HandsetConsole } from './handset-console.js';

export type LockState =
  | { readonly locked: false }
  /** `secondsLeft` null: the handset said 512 without its `+TSLOCK:` line. */
  | { readonly locked: true; readonly secondsLeft: number | null }
  /** The question went unanswered (no answer, the line closed, a device without AT+TSAUTH?). */
  | { readonly locked: null; readonly reason: string };

/** Asks the handset whether its console is locked (see the file comment). */
export async function readLockState(usb: HandsetConsole): Promise<LockState> {
  const r = await usb.nonce();
  if (r.ok) return { locked: false };
  const f = r.failure;
  if (f.kind === 'refused' && f.code === HandsetConsoleError.LOCKED) return { locked: true, secondsLeft: f.lockSeconds ?? null };
  return { locked: null, reason: `${f.command}: ${f.reason}` };
}

/** What an engineer with a locked handset does; `provisioned` from AT+TSINFO?. */
export function lockedAdvice(provisioned: boolean): string {
  const tamper = provisioned
    ? 'it queued a tamper (TMP) report: the gateway shows a tamper problem for it (Handset health) until it is provisioned again with tecsos provision --replace'
    : 'it is not provisioned, so its tamper report went nowhere: the gateway has not been told';
  return (
    'wait until the lock ends (a restart does not end it: the handset keeps it in flash), then run the command again with ' +
    "this fleet's provisioning key (--key-file: its public half, tecsos keygen's .pub, must be the handset's fleetkey). " +
    `If nobody here tried a wrong key, someone else did: treat the handset as tampered with and do not issue it. ${tamper[0]?.toUpperCase()}${tamper.slice(1)}.`
  );
}

/** `14 min 33 s` */
export function minutesAndSeconds(seconds: number): string {
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
