// Checks an incoming SMS as a TSC1 command before anything acts on it: syntax, addressed to this handset,
// MAC with this handset's key, then the gateway counter against the handset's own anti-replay window
// (protocol/report's ReplayWindow; persisted in flash so a replay stays refused after a reboot).
// Only a command that passes all four acts; every refusal is counted by its reason.

import {
  decodeCommand,
  ReplayOutcome,
  verifyCommandSync,
  type HandsetCommand,
  type HmacSha256Sync,
  type ReplayWindow,
} from '../../protocol/report/index.js';

/** Why an incoming SMS did not act. */
export const CommandRefusal = {
  /** Not a TSC1 text at all (any other SMS the number receives). */
  NOT_MINE: 'not-mine',
  /** Starts like TSC1 but does not decode. */
  CORRUPT: 'corrupt',
  WRONG_HANDSET: 'wrong-handset',
  /** The handset has no key (not provisioned): nothing can be verified. */
  NO_KEY: 'no-key',
  BAD_MAC: 'bad-mac',
  /** A counter seen before (duplicate SMS or replay) or below the window. */
  REPLAY: 'replay',
} as const;
export type CommandRefusal = (typeof CommandRefusal)[keyof typeof CommandRefusal];

export type CommandCheck =
  | { readonly ok: true; readonly command: HandsetCommand; readonly counter: number }
  | { readonly ok: false; readonly refusal: CommandRefusal; readonly detail: string };

const refuse = (refusal: CommandRefusal, detail: string): CommandCheck => ({ ok: false, refusal, detail });

/** Checks `text`; on success the counter is recorded in `window` (the caller persists it). */
export function checkCommand(text: string, handsetId: string, key: Uint8Array | undefined, window: ReplayWindow, hmac: HmacSha256Sync): CommandCheck {
  if (!text.startsWith('TSC')) return refuse(CommandRefusal.NOT_MINE, 'not a TSC1 command');
  const d = decodeCommand(text);
  if (!d.ok) return refuse(CommandRefusal.CORRUPT, d.detail);
  if (d.handsetId !== handsetId) return refuse(CommandRefusal.WRONG_HANDSET, `addressed to ${d.handsetId}`);
  if (key === undefined) return refuse(CommandRefusal.NO_KEY, 'no key provisioned');
  if (!verifyCommandSync(d, key, hmac)) return refuse(CommandRefusal.BAD_MAC, 'MAC does not verify');
  const outcome = window.accept(d.counter, d.mac);
  if (outcome !== ReplayOutcome.FRESH) return refuse(CommandRefusal.REPLAY, `counter ${d.counter}: ${outcome}`);
  return { ok: true, command: d.command, counter: d.counter };
}
