// How a tool command fails: a kind (the CLI maps each to an exit code), a message saying what happened, what
// to do next, and, for commands that write to the handset, the state the handset was left in.

import { HandsetConsoleError } from './console-errors.js';
import type { GatewayFailure } from './gateway-client.js';
import type { ConsoleFailure } from './handset-console.js';

export type FailureKind =
  | 'usage'
  | 'port'
  | 'auth-refused'
  | 'locked'
  | 'gateway'
  | 'verification'
  | 'key-file'
  | 'handset'
  | 'inconsistent'
  | 'interrupted';

/**
 * The handset after a failed command: `unchanged` (nothing was committed: as before), `unprovisioned` (wiped),
 * `provisioned` (fully: config, key and registration), `unknown` (the line went away mid-commit).
 */
export type HandsetState = 'unchanged' | 'unprovisioned' | 'provisioned' | 'unknown';

export type ToolFailure = {
  readonly kind: FailureKind;
  readonly message: string;
  /** What the engineer should do now (an exact command where there is one). */
  readonly next: string;
  readonly handsetState?: HandsetState;
};

/** A console failure as a tool failure; `next` defaults by kind. */
export function consoleFailure(f: ConsoleFailure, spec: string, next?: string): ToolFailure {
  const what = `${f.command}: ${f.reason}`;
  switch (f.kind) {
    case 'refused':
      switch (f.code) {
        case HandsetConsoleError.BAD_SIGNATURE:
          return { kind: 'auth-refused', message: `the handset refused the fleet key's signature (${f.reason})`, next: next ?? 'check --key-file is this fleet\'s provisioning key (its public half must match the handset\'s fleetkey); a third bad signature locks the handset for 15 minutes and reports tampering' };
        case HandsetConsoleError.LOCKED:
          return { kind: 'locked', message: `the handset's console is locked after three bad signatures${f.lockSeconds === undefined ? '' : ` (${f.lockSeconds} s left)`}; a tamper report was sent`, next: next ?? `wait for the lock to end, check the fleet key, then try again (tecsos info --port ${spec} works while locked)` };
        case HandsetConsoleError.NOT_SUPPORTED: {
          // Nothing to correct and nothing a retry changes: another device (a modem) or another firmware.
          const why = f.reason.startsWith('+CME ERROR') ? f.reason : `+CME ERROR: ${f.code}: ${f.reason}`;
          return { kind: 'handset', message: `the device on ${spec} does not support ${f.command} (${why})`, next: next ?? `check that ${spec} is a TecSOS handset and its firmware has this command (tecsos list; tecsos info --port ${spec})` };
        }
        case HandsetConsoleError.ALARM_IN_PROGRESS:
          // Her alarm is live: a wipe or a new key/number now would silently end the reports the control room
          // is following. Nothing was changed; only the control room can end it (or its tracking time).
          return {
            kind: 'handset',
            message: `the handset is tracking a live alarm, so it refused ${f.command}: a wipe, a new report key or a new gateway number now would silently stop her reports to the control room. Nothing was changed`,
            next: `do not retry yet and do not power it off: ask the control room to stop tracking from her incident (Stop tracking), or wait for its tracking time to end; then ${next ?? 'run the command again'}`,
            handsetState: 'unchanged',
          };
        case HandsetConsoleError.NOT_ALLOWED:
          return { kind: 'handset', message: `the handset says it is not authenticated (${what})`, next: next ?? 'the session ended (cable moved?): run the command again' };
        default:
          return { kind: 'handset', message: `the handset refused ${what} (+CME ERROR: ${f.code})`, next: next ?? 'check the value shown and run the command again' };
      }
    case 'port-closed':
    case 'no-answer':
      return { kind: 'port', message: `${what}`, next: next ?? `check the cable and that ${spec} is the handset (tecsos list; tecsos info --port ${spec})` };
    case 'error':
    case 'garbled':
      return { kind: 'handset', message: `unexpected answer from the handset: ${what}`, next: next ?? `check that ${spec} is a TecSOS handset (tecsos info --port ${spec})` };
    default: {
      const never: never = f;
      throw new Error(`unhandled console failure ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A blank handset (not provisioned) that refused the commit with 515: its button was held, so it dialled 999 and
 * tracks an alarm that reports to no one. No incident at the gateway can stop it (the gateway does not know the
 * handset yet), so "ask the control room to stop tracking from her incident" sent the engineer to nobody.
 */
export function blankHandsetInAlarm(command: string): ToolFailure {
  return {
    kind: 'handset',
    message: `the handset is not provisioned, but its alarm is on (its button was held: it dialled 999 and tracks, reporting to no one), so it refused ${command}. Nothing was changed`,
    next: 'no control-room incident can stop it (the gateway does not know this handset yet): leave it powered and wait for its tracking time to end (60 min from the alarm by default; a restart resumes the alarm), then run the command again',
    handsetState: 'unchanged',
  };
}

/** A gateway that could not be reached or refused, as a tool failure; `handsetState` when the handset was touched. */
export function gatewayFailure(f: GatewayFailure, next: string, handsetState?: HandsetState): ToolFailure {
  const message = f.kind === 'unreachable' ? f.message : `gateway refused (${f.status} ${f.error}): ${f.message}`;
  // The tool sends no Origin, so the gateway's DNS-rebinding check does not refuse it; a proxy in front that adds
  // one (or an older tool) can still meet it: "check --gateway, --user and the password" sent the engineer to
  // retype a password.
  const host = f.kind === 'refused' && f.status === 403 ? /^Host (\S+) is not a name of this gateway/.exec(f.message)?.[1] : undefined;
  const advice = host === undefined ? next : `give --gateway the gateway's IP address, or have its operator add ${host.replace(/:\d+$/, '')} to its hostnames (docs/operations.md); ${next}`;
  return { kind: 'gateway', message, next: advice, ...(handsetState !== undefined && { handsetState }) };
}
