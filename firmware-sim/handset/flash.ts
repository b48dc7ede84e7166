// What the firmware keeps in flash, and how it survives power cuts and bit rot.
//
// Record layout (every region, big-endian):
//   "TSF1" | generation u32 | payload length u32 | payload (UTF-8 JSON) | CRC-32 u32 of all bytes before it
// Settings payload: {"config":{...},"key":"<base64 of 32 bytes>"|null}
// Counters payload: {"reports":<last n used>|null,"commands":<the TSC1 anti-replay window, protocol/report>|null,
//                    "auth":{"badSignatures":<n>,"lockedUntilMs":<ms>},   (USB console lock-out)
//                    "alarm":{"phase":"raising"|"in-call"|"tracking","startedAtMs":<ms>,"trackingEndsAtMs":<ms>}|null}
// `alarm` is the alarm in progress, so that a reboot (power cut, battery pulled, watchdog) cannot lose it:
// the report queue and the call live in RAM. Written when the alarm is raised, on each change of phase and
// when it ends (null); images written before the field existed have no `alarm` key and read as null.
//
// Why two slots each (A/B): a write goes to the slot not holding the newest valid record, so a torn write
// leaves the previous record intact; at boot the valid record with the highest generation wins. That is what
// makes AT+TSCOMMIT atomic (never half-provisioned) and the report counter monotonic.
// A settings image that fails its CRC in both slots is reported (`settingsCorrupted`) and factory defaults
// are used (unprovisioned).
//
// The report counter must never go back (the gateway refuses a used or old n, replay-window.ts):
// - one counter slot corrupt, the other valid: counting resumes from the valid record, one n skipped. Each
//   write raises n by at most one, so the lost record (if it was the newer) held at most that n + 1, which
//   may have gone out; a gap is harmless to the gateway, a reused n is a `replay` and the report is dropped.
// - both counter slots corrupt (a power cut during a write on top of a worn sector, any flash fault):
//   `countersCorrupted` is set, the last n is unknown (`reports: null`, written so across reboots) and the
//   counter restarts from a floor taken from the clock (counter-floor.ts: seconds since 2020, above any n
//   this handset can have used). The recovered record is written to BOTH slots at once, before any report
//   uses it. With the clock not known yet the counter stays unknown and nextReportCounter refuses to number
//   a report (the report queue waits); the TSC1 window, the console lock and the alarm are lost (defaults).

import { DEFAULT_CONFIG, type HandsetConfig } from './config.js';
import { lostCounterFloor } from './counter-floor.js';
import { crc32 } from './crc32.js';
import type { FlashDevice, FlashRegion } from './flash-device.js';
import { parseReplayWindowState, type ReplayWindowState } from '../../protocol/report/index.js';

/** The provisioned part of flash: config plus the write-only report key. */
export interface StoredSettings {
  readonly config: HandsetConfig;
  /** 32-byte HMAC key for TSR1/TSC1, or undefined when not provisioned (wiped, factory new). */
  readonly key: Uint8Array | undefined;
}

/** What the boot-time load found. */
export interface FlashLoadStatus {
  /** A settings image was present but no slot passed its CRC: factory defaults are in use. */
  readonly settingsCorrupted: boolean;
  /** Counter records were present but none passed its CRC. */
  readonly countersCorrupted: boolean;
}

/** The USB console's bad-signature count and lock (provisioning/target.ts AuthFailures). */
export interface StoredAuthFailures {
  readonly badSignatures: number;
  readonly lockedUntilMs: number;
}

/**
 * Where an alarm in progress stood when it was last written:
 * - `raising`: raised, the emergency call not answered yet (the ALM may not have gone out either);
 * - `in-call`: the control room answered and the call was up (or being redialled after a modem restart);
 * - `tracking`: the answered call is over; TRK reports until `trackingEndsAtMs` or a STOP.
 */
export type AlarmPhase = 'raising' | 'in-call' | 'tracking';

const ALARM_PHASES: readonly AlarmPhase[] = ['raising', 'in-call', 'tracking'];

/** The alarm in progress, as kept in the counter record. Times are the handset clock's epoch ms. */
export interface StoredAlarm {
  readonly phase: AlarmPhase;
  readonly startedAtMs: number;
  readonly trackingEndsAtMs: number;
}

interface Counters {
  /** The last n used; null when flash lost it and it is not recovered yet (see the file comment). */
  reports: number | null;
  commands: ReplayWindowState | null;
  auth: StoredAuthFailures;
  alarm: StoredAlarm | null;
}

const NO_FAILURES: StoredAuthFailures = { badSignatures: 0, lockedUntilMs: 0 };

function authFromPayload(v: unknown): StoredAuthFailures {
  if (typeof v !== 'object' || v === null) return NO_FAILURES;
  const a = v as Partial<StoredAuthFailures>;
  const bad = Number(a.badSignatures);
  const until = Number(a.lockedUntilMs);
  return { badSignatures: Number.isInteger(bad) && bad >= 0 ? bad : 0, lockedUntilMs: Number.isFinite(until) ? until : 0 };
}

/** An old image (no `alarm` key) or an unreadable value: no alarm in progress. */
function alarmFromPayload(v: unknown): StoredAlarm | null {
  if (typeof v !== 'object' || v === null) return null;
  const a = v as Partial<Record<keyof StoredAlarm, unknown>>;
  const phase = ALARM_PHASES.find((p) => p === a.phase);
  const started = Number(a.startedAtMs);
  const ends = Number(a.trackingEndsAtMs);
  if (phase === undefined || !Number.isFinite(started) || !Number.isFinite(ends)) return null;
  return { phase, startedAtMs: started, trackingEndsAtMs: ends };
}

const MAGIC = [0x54, 0x53, 0x46, 0x31]; // "TSF1"
const HEADER = 12;

function encodeRecord(generation: number, payload: unknown): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify(payload));
  const out = new Uint8Array(HEADER + body.length + 4);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, generation >>> 0);
  view.setUint32(8, body.length);
  out.set(body, HEADER);
  view.setUint32(HEADER + body.length, crc32(out.subarray(0, HEADER + body.length)));
  return out;
}

type Decoded = { readonly kind: 'empty' } | { readonly kind: 'corrupt' } | { readonly kind: 'ok'; generation: number; payload: unknown };

function decodeRecord(bytes: Uint8Array | undefined): Decoded {
  if (bytes === undefined) return { kind: 'empty' };
  if (bytes.length < HEADER + 4 || MAGIC.some((m, i) => bytes[i] !== m)) return { kind: 'corrupt' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(8);
  if (HEADER + len + 4 !== bytes.length) return { kind: 'corrupt' };
  if (view.getUint32(HEADER + len) !== crc32(bytes.subarray(0, HEADER + len))) return { kind: 'corrupt' };
  try {
    return { kind: 'ok', generation: view.getUint32(4), payload: JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER, HEADER + len))) };
  } catch {
    return { kind: 'corrupt' };
  }
}

/** Reads both slots; the newest valid record wins. */
function loadPair(device: FlashDevice, a: FlashRegion, b: FlashRegion) {
  const ra = decodeRecord(device.read(a));
  const rb = decodeRecord(device.read(b));
  const valid = [ra, rb].filter((r): r is Extract<Decoded, { kind: 'ok' }> => r.kind === 'ok');
  valid.sort((x, y) => y.generation - x.generation);
  const best = valid[0];
  const oneCorrupt = ra.kind === 'corrupt' || rb.kind === 'corrupt';
  const corrupt = best === undefined && oneCorrupt;
  const newestSlot: FlashRegion | undefined = best === undefined ? undefined : best === ra ? a : b;
  return { best, corrupt, oneCorrupt, newestSlot };
}

/** The last report n to resume from: see the file comment (null: lost). */
function reportsFromPair(c: ReturnType<typeof loadPair>): number | null {
  if (c.best === undefined) return c.corrupt ? null : 0;
  const v = (c.best.payload as { reports?: unknown } | null)?.reports;
  if (v === null || typeof v !== 'number' || !Number.isInteger(v) || v < 0) return null;
  return c.oneCorrupt ? v + 1 : v;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function settingsFromPayload(payload: unknown): StoredSettings | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as { config?: unknown; key?: unknown };
  if (typeof p.config !== 'object' || p.config === null) return undefined;
  const key = typeof p.key === 'string' ? new Uint8Array(Buffer.from(p.key, 'base64')) : undefined;
  return { config: { ...DEFAULT_CONFIG, ...(p.config as Partial<HandsetConfig>) }, key: key?.length === 32 ? key : undefined };
}

/**
 * The firmware's view of flash: settings (config + key), the two counters, the console's lock and the alarm
 * in progress. Every change is written
 * before it is used; {@link nextReportCounter} persists n before returning it.
 */
export class HandsetFlash {
  private settingsValue: StoredSettings;
  private settingsGeneration: number;
  private settingsSlot: FlashRegion | undefined;
  private counters: Counters;
  private countersGeneration: number;
  private countersSlot: FlashRegion | undefined;
  readonly status: FlashLoadStatus;

  /**
   * Loads flash at boot. `factory` is the config a blank or corrupt image falls back to. `clock` is the
   * handset's real-time clock, which a lost report counter is recovered from (without one, a lost counter
   * stays lost: only the firmware's own flash passes it).
   */
  constructor(
    private readonly device: FlashDevice,
    private readonly factory: HandsetConfig = DEFAULT_CONFIG,
    private readonly clock?: { now(): number },
  ) {
    const s = loadPair(device, 'settings-a', 'settings-b');
    const stored = s.best === undefined ? undefined : settingsFromPayload(s.best.payload);
    this.settingsValue = stored ?? { config: factory, key: undefined };
    this.settingsGeneration = s.best?.generation ?? 0;
    this.settingsSlot = s.newestSlot;
    const c = loadPair(device, 'counters-a', 'counters-b');
    const p = (c.best?.payload ?? {}) as Partial<Counters>;
    this.counters = { reports: reportsFromPair(c), commands: parseReplayWindowState(p.commands), auth: authFromPayload(p.auth), alarm: alarmFromPayload(p.alarm) };
    this.countersGeneration = c.best?.generation ?? 0;
    this.countersSlot = c.newestSlot;
    this.status = { settingsCorrupted: s.corrupt || (s.best !== undefined && stored === undefined), countersCorrupted: c.corrupt };
    this.recoverReportCounter();
  }

  /** The config a wipe goes back to (the factory image), which AT+TSDEFAULTS stages too. */
  get factoryConfig(): HandsetConfig {
    return this.factory;
  }

  /** The committed settings. */
  get settings(): StoredSettings {
    return this.settingsValue;
  }

  /** The last report counter used (0 = none yet; null = lost from flash and not recovered yet). */
  get reportCounter(): number | null {
    return this.counters.reports;
  }

  /** The anti-replay window of the gateway's TSC1 counter (null before the first command). */
  get commandWindow(): ReplayWindowState | null {
    return this.counters.commands;
  }

  /** Atomically replaces config and key (AT+TSCOMMIT): after a power cut, either all old or all new. */
  commit(settings: StoredSettings): void {
    const generation = this.settingsGeneration + 1;
    const slot: FlashRegion = this.settingsSlot === 'settings-a' ? 'settings-b' : 'settings-a';
    const payload = { config: settings.config, key: settings.key === undefined ? null : toBase64(settings.key) };
    this.device.write(slot, encodeRecord(generation, payload));
    this.settingsGeneration = generation;
    this.settingsSlot = slot;
    this.settingsValue = { config: settings.config, key: settings.key?.slice() };
  }

  /** Factory reset: config back to factory, key erased from both slots. Counters are kept (never go back). */
  wipe(): void {
    this.device.erase('settings-a');
    this.device.erase('settings-b');
    this.settingsGeneration = 0;
    this.settingsSlot = undefined;
    this.settingsValue = { config: this.factory, key: undefined };
  }

  /**
   * Persists n+1 and returns it: a report number is never used before it is in flash. Undefined while the
   * counter is lost and the clock not known (no n is surely unused yet: the report must wait).
   */
  nextReportCounter(): number | undefined {
    if (!this.recoverReportCounter()) return undefined;
    const n = (this.counters.reports as number) + 1;
    this.writeCounters({ ...this.counters, reports: n });
    return n;
  }

  /**
   * A lost counter restarts from the clock's floor (counter-floor.ts), written to both slots before use so
   * that one more bad slot cannot lose it again. False when it is lost and the clock is not known.
   */
  private recoverReportCounter(): boolean {
    if (this.counters.reports !== null) return true;
    const floor = lostCounterFloor(this.clock?.now());
    if (floor === undefined) return false;
    const recovered = { ...this.counters, reports: floor };
    this.writeCounters(recovered);
    this.writeCounters(recovered);
    return true;
  }

  /** Persists the TSC1 anti-replay window after a command was accepted (replays stay refused after reboot). */
  saveCommandWindow(window: ReplayWindowState): void {
    this.writeCounters({ ...this.counters, commands: window });
  }

  /** The USB console's persisted bad-signature count and lock. */
  get authFailures(): StoredAuthFailures {
    return this.counters.auth;
  }

  /** Persists the console's bad-signature count and lock (a reboot must not reset them). */
  saveAuthFailures(auth: StoredAuthFailures): void {
    this.writeCounters({ ...this.counters, auth: { badSignatures: auth.badSignatures, lockedUntilMs: auth.lockedUntilMs } });
  }

  /** The alarm in progress when the counter record was last written, or null. */
  get alarm(): StoredAlarm | null {
    return this.counters.alarm;
  }

  /** Persists the alarm's phase (null: it is over). Written before the firmware acts on the change. */
  saveAlarm(alarm: StoredAlarm | null): void {
    this.writeCounters({ ...this.counters, alarm: alarm === null ? null : { ...alarm } });
  }

  private writeCounters(next: Counters): void {
    const generation = this.countersGeneration + 1;
    const slot: FlashRegion = this.countersSlot === 'counters-a' ? 'counters-b' : 'counters-a';
    this.device.write(slot, encodeRecord(generation, next));
    this.countersGeneration = generation;
    this.countersSlot = slot;
    this.counters = next;
  }
}
