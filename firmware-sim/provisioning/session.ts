// The state of one USB console: the challenge, authentication, lock-out and the staged (uncommitted)
// configuration. Staging lives only here, in RAM: a disconnect or reboot loses it, so flash only ever
// holds what AT+TSCOMMIT wrote in one piece.
//
// The failure count and the lock survive a disconnect (pulling the cable does not reset them) but not a
// reboot of the handset (they are not in flash): see docs/firmware-sim-handset.md.

import type { Clock } from '../../protocol/time/clock.js';
import type { HandsetConfig } from '../handset/config.js';
import type { ProvisioningTarget } from './target.js';

/** Bad signatures before the port locks. */
export const MAX_BAD_SIGNATURES = 3;
/** How long the port stays locked. */
export const LOCK_MS = 15 * 60_000;

/** What AT+TSCFG= and AT+TSKEY= have written but AT+TSCOMMIT has not yet. */
export interface Staging {
  config: HandsetConfig;
  /** undefined = keep the committed key. */
  key: Uint8Array | undefined;
}

export class ConsoleSession {
  authenticated = false;
  /** The outstanding challenge (hex), or undefined when none is live. */
  nonce: string | undefined;
  badSignatures = 0;
  lockedUntilMs = 0;
  staging: Staging | undefined;
  /** Stops the raw NMEA stream when one is running. */
  stopGps: (() => void) | undefined;

  constructor(
    readonly target: ProvisioningTarget,
    readonly clock: Clock,
    readonly randomBytes: (n: number) => Uint8Array,
    /** Writes text to the USB line (the NMEA stream uses it). */
    readonly write: (text: string) => void,
  ) {}

  /** Seconds left on the lock, 0 when not locked. */
  lockRemainingS(): number {
    return Math.max(0, Math.ceil((this.lockedUntilMs - this.clock.now()) / 1000));
  }

  /** The staged view of the config (committed config when nothing is staged). */
  stagedConfig(): HandsetConfig {
    return this.staging?.config ?? this.target.committedConfig();
  }

  /** Staging, created from the committed config on first write. */
  stage(): Staging {
    this.staging ??= { config: this.target.committedConfig(), key: undefined };
    return this.staging;
  }

  /** Drops authentication and everything staged (disconnect, lock, reboot). */
  endSession(): void {
    this.authenticated = false;
    this.nonce = undefined;
    this.staging = undefined;
    this.stopGpsStream();
  }

  stopGpsStream(): void {
    this.stopGps?.();
    this.stopGps = undefined;
  }
}
