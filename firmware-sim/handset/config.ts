// The handset's configuration: what an engineer writes over USB (AT+TSCFG) and commits to flash.
// The report key is not part of it: it lives beside it in flash and is write-only (see flash.ts).

/** The alarm gesture on the one button: a long hold, or N presses within a window. */
export type Gesture = 'hold' | 'presses';

/** Everything the firmware reads from flash at boot. Names on the USB console: config-names.ts. */
export interface HandsetConfig {
  /** MSISDN the TSR1 reports are sent to by SMS (the gateway's number); '' = not provisioned. */
  readonly gatewayNumber: string;
  /** The number dialled on an alarm. */
  readonly emergencyNumber: string;
  /** TRK report interval while tracking, seconds. */
  readonly intervalS: number;
  /** TRK interval when moving faster than {@link fastSpeedMps}, seconds. */
  readonly fastIntervalS: number;
  /** Speed above which the fast interval applies, m/s. */
  readonly fastSpeedMps: number;
  /** How long tracking runs after an alarm unless stopped by a signed STOP, minutes. */
  readonly trackingMinutes: number;
  readonly gesture: Gesture;
  /** Hold gesture: minimum hold, milliseconds. */
  readonly holdMs: number;
  /** Presses gesture: how many presses... */
  readonly presses: number;
  /** ...within this window, milliseconds. */
  readonly pressWindowMs: number;
  /** No sound, light or vibration at all (the default: the abuser must not notice). */
  readonly silent: boolean;
  /** The police force the handset is registered with (informational; the gateway routes by number). */
  readonly force: string;
  /** Test mode: the alarm gesture sends a TST report and does not dial the emergency number. */
  readonly testMode: boolean;
  /** Battery percentage at or below which one LOB report is sent. */
  readonly lowBatteryPercent: number;
  /** Hours between HBT reports. */
  readonly heartbeatHours: number;
  /** The fleet's Ed25519 provisioning public key, 32 bytes as 64 hex digits (public, readable). */
  readonly fleetKey: string;
}

/** Factory defaults (DESIGN.md): hold 2 s, 30 s TRK, 10 s when fast, 60 min tracking, silent. */
export const DEFAULT_CONFIG: HandsetConfig = {
  gatewayNumber: '',
  emergencyNumber: '999',
  intervalS: 30,
  fastIntervalS: 10,
  fastSpeedMps: 5,
  trackingMinutes: 60,
  gesture: 'hold',
  holdMs: 2000,
  presses: 3,
  pressWindowMs: 3000,
  silent: true,
  force: '',
  testMode: false,
  lowBatteryPercent: 15,
  heartbeatHours: 24,
  fleetKey: '',
};
