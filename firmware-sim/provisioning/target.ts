// What the USB provisioning console needs from the handset it is part of. The firmware implements it; the
// console never sees the committed key (it can only replace it), nor any location history.

import type { HandsetConfig } from '../handset/config.js';

/** The handset's identity as AT+TSINFO? reports it. No secrets. */
export interface HandsetInfo {
  readonly id: string;
  readonly firmware: string;
  readonly imei: string;
  /** A key and a gateway number are committed. */
  readonly provisioned: boolean;
}

/** One line of AT+TSSELFTEST's answer. `detail` never carries a position. */
export interface SelfTestItem {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** Bad provisioning signatures so far and the lock, kept in flash so that a reboot does not reset them. */
export interface AuthFailures {
  readonly badSignatures: number;
  /** Clock time the lock ends (0: not locked). */
  readonly lockedUntilMs: number;
}

/** The console session's state, so the firmware can show `provisioning` / `locked-out`. */
export type ConsoleSessionState = 'authenticated' | 'locked' | 'closed';

export interface ProvisioningTarget {
  info(): HandsetInfo;
  /** The committed configuration (public settings only). */
  committedConfig(): HandsetConfig;
  /** The config a wipe goes back to: the factory image (its fleet key, the settings it was built with). */
  factoryConfig(): HandsetConfig;
  /** Whether a report key is committed. */
  hasKey(): boolean;
  /** Atomically writes config and key to flash; `key` undefined keeps the committed key. */
  commit(config: HandsetConfig, key: Uint8Array | undefined): void;
  /** Factory reset: config to factory defaults, key erased. */
  wipe(): void;
  /**
   * An alarm is being tracked: raised (ALM) and not yet stopped by a STOP or its tracking time, whether the call
   * is still being placed, up or over. A test-mode TST is not an alarm. The console refuses AT+TSWIPE and an
   * AT+TSCOMMIT that would break it meanwhile (ConsoleError.ALARM_IN_PROGRESS).
   */
  alarmInProgress(): boolean;
  /**
   * Runs the self-test (the GPS part waits up to 60 s for a fix). `signal` aborts when the console session that
   * asked ends (the host went): the test stops waiting and lets go of the GPS; its answer goes nowhere.
   */
  selfTest(signal?: AbortSignal): Promise<readonly SelfTestItem[]>;
  /** Sends a TST report (no emergency call). */
  testAlarm(): void;
  /** Queues a TMP report (three bad provisioning signatures). */
  tamper(): void;
  /** Powers the GPS for diagnostics and forwards every raw sentence (CR LF included); returns the stop function. */
  streamGps(listener: (sentence: string) => void): () => void;
  consoleSession(state: ConsoleSessionState): void;
  /** The persisted bad-signature count and lock. */
  authFailures(): AuthFailures;
  /** Persists them (before the console answers). */
  saveAuthFailures(state: AuthFailures): void;
}
