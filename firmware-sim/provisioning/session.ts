// The state of one USB console: the challenge, authentication, lock-out and the staged (uncommitted)
// configuration. Staging lives only here, in RAM: a disconnect or reboot loses it, so flash only ever
// holds what AT+TSCOMMIT wrote in one piece.
//
// The failure count and the lock survive a disconnect and a reboot: they live in the handset's flash
// (ProvisioningTarget.authFailures), so power-cycling between attempts does not dodge the lock or the TMP.

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

/** One console's session state, shared by the command handlers. */
export class ConsoleSession {
  authenticated = false;
  /** The outstanding challenge (hex), or undefined when none is live. */
  nonce: string | undefined;
  staging: Staging | undefined;
  /** Stops the raw NMEA stream when one is running. */
  stopGps: (() => void) | undefined;
  private ending = new AbortController();

  constructor(
    readonly target: ProvisioningTarget,
    readonly clock: Clock,
    readonly randomBytes: (n: number) => Uint8Array,
    /** Writes text to the USB line (the NMEA stream uses it). */
    readonly write: (text: string) => void,
  ) {}

  get badSignatures(): number {
    return this.target.authFailures().badSignatures;
  }

  get lockedUntilMs(): number {
    return this.target.authFailures().lockedUntilMs;
  }

  /** Records the outcome of one signature attempt; returns true when this attempt locked the port. */
  recordAttempt(good: boolean): boolean {
    if (good) {
      if (this.badSignatures !== 0) this.target.saveAuthFailures({ badSignatures: 0, lockedUntilMs: this.lockedUntilMs });
      return false;
    }
    const bad = this.badSignatures + 1;
    const lock = bad >= MAX_BAD_SIGNATURES;
    this.target.saveAuthFailures(lock ? { badSignatures: 0, lockedUntilMs: this.clock.now() + LOCK_MS } : { badSignatures: bad, lockedUntilMs: this.lockedUntilMs });
    return lock;
  }

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

  /** Aborts when this session ends: work it started (a self-test waiting for a fix) stops with it. */
  get signal(): AbortSignal {
    return this.ending.signal;
  }

  /** Drops authentication and everything staged (disconnect, lock, reboot), and ends what the session started. */
  endSession(): void {
    this.authenticated = false;
    this.nonce = undefined;
    this.staging = undefined;
    this.stopGpsStream();
    this.ending.abort();
    this.ending = new AbortController();
  }

  stopGpsStream(): void {
    this.stopGps?.();
    this.stopGps = undefined;
  }
}
