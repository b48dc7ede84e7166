// The tool's exit codes (docs/provisioning.md): one per kind of failure, so scripts can tell a wrong key from
// a pulled cable. Each hardware/provisioning FailureKind maps to exactly one.

import type { FailureKind } from '../provisioning/failure.js';

export const ExitCode = {
  OK: 0,
  /** A fault in the tool itself (a bug): the message has the details. */
  INTERNAL: 1,
  /** Bad command line: unknown command or option, missing or malformed value. */
  USAGE: 2,
  /** The port cannot be opened, or the handset stopped answering / the line went away. */
  PORT: 3,
  /** The handset refused the fleet key's signature. */
  AUTH_REFUSED: 4,
  /** The handset's console is locked (three bad signatures, 15 minutes). */
  LOCKED: 5,
  /** The gateway is unreachable or refused (login, registration, conflict). */
  GATEWAY: 6,
  /** Key check value (the handset got another key than the one sent), read-back, self-test or test-report verification failed. */
  VERIFICATION_FAILED: 7,
  /** The fleet key file is missing, unprotected (group/other permissions) or not an Ed25519 key. */
  KEY_FILE: 8,
  /** The handset refused a command or answered something unexpected (or is provisioned already). */
  HANDSET: 9,
  /** The handset could not be left unprovisioned or fully provisioned: do what the message says before issuing it. */
  INCONSISTENT: 10,
  /** Interrupted (Ctrl-C, SIGTERM, SIGHUP), 128 + SIGINT as shells report it: the handset state is in the message. */
  INTERRUPTED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for a failure kind. */
export function exitCodeFor(kind: FailureKind): ExitCode {
  switch (kind) {
    case 'usage':
      return ExitCode.USAGE;
    case 'port':
      return ExitCode.PORT;
    case 'auth-refused':
      return ExitCode.AUTH_REFUSED;
    case 'locked':
      return ExitCode.LOCKED;
    case 'gateway':
      return ExitCode.GATEWAY;
    case 'verification':
      return ExitCode.VERIFICATION_FAILED;
    case 'key-file':
      return ExitCode.KEY_FILE;
    case 'handset':
      return ExitCode.HANDSET;
    case 'inconsistent':
      return ExitCode.INCONSISTENT;
    case 'interrupted':
      return ExitCode.INTERRUPTED;
    default: {
      const never: never = kind;
      throw new Error(`unhandled failure kind ${String(never)}`);
    }
  }
}
