// The handset firmware: one state machine over the hardware interfaces (button, GPS, battery, flash, modem,
// indicator, audio), driven only by their events and the injected clock. DESIGN.md "The alarm, end to end"
// is what it does; docs/firmware-sim-handset.md has the decisions the design left open.
//
//   gesture -> alarm: ALM report queued (the best fix it has), tracking starts (GPS on, TRK every N s)
//           -> calling: ATD<emergency>; speaker muted, microphone open; AT+CLCC polled until the call is active
//              BUSY / NO CARRIER / NO ANSWER / dial refused -> redial after 5, 10, 20, 40, 60, 60... s
//           -> in-call: until NO CARRIER (the call handler hung up)
//           -> tracking: until the tracking time ends or a verified STOP -> a resting state
//
// The alarm's phase (raising / in-call / tracking, with its start and tracking end) is written to flash before
// each step is acted on, so a reboot in the middle resumes it (resumeAlarm): RAM (the report queue, the call)
// is lost with the power, the alarm must not be.
//
// Reports: BOT at boot, HBT every `heartbeatHours`, LOB when the battery crosses its threshold, TST for a test
// alarm, TMP after three bad provisioning signatures, ACK for each verified command (STOP, LOCATE, INTERVAL).

import { ReplayWindow, type HandsetCommand, type HmacSha256Sync, type ReportEvent } from '../../protocol/report/index.js';
import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import type { Gps } from '../gps/gps.js';
import { noFixReading } from '../gps/nmea-output.js';
import { LOCK_MS } from '../provisioning/session.js';
import type { AuthFailures, ConsoleSessionState, HandsetInfo, ProvisioningTarget, SelfTestItem } from '../provisioning/target.js';
import type { Audio } from './audio.js';
import type { Battery } from './battery.js';
import type { Button, ButtonEvent } from './button.js';
import { checkCommand, CommandRefusal } from './command-check.js';
import { DEFAULT_CONFIG, type HandsetConfig } from './config.js';
import { HandsetFlash, type AlarmPhase, type StoredAlarm } from './flash.js';
import type { FlashDevice } from './flash-device.js';
import type { Cue, Indicator } from './indicator.js';
import type { CallEnd, HandsetModem, IncomingSms } from './modem.js';
import { nodeHmacSha256, ReportQueue } from './report-queue.js';
import type { HandsetState } from './state.js';

/** Fixed at manufacture. */
export interface HandsetIdentity {
  /** The handset id in reports (`h=`), e.g. TS-0001. */
  readonly id: string;
  readonly firmware: string;
  readonly imei: string;
}

/** The parts the firmware runs on. */
export interface HandsetHardware {
  readonly clock: Clock;
  readonly flash: FlashDevice;
  readonly button: Button;
  readonly gps: Gps;
  readonly battery: Battery;
  readonly modem: HandsetModem;
  readonly indicator: Indicator;
  readonly audio: Audio;
}

/** Firmware settings that are not configuration (fixed at build or manufacture). */
export interface FirmwareOptions {
  readonly identity: HandsetIdentity;
  /** The configuration a blank or wiped handset has (carries the fleet's public provisioning key). */
  readonly factory?: HandsetConfig;
  readonly hmac?: HmacSha256Sync;
  /** Waits before each redial; the last one repeats. */
  readonly redialDelaysMs?: readonly number[];
  /** AT+CLCC polling period while a call is being set up. */
  readonly callPollMs?: number;
  /** How long the ALM may delay the emergency call (its SMS is tried first, but the call must not wait). */
  readonly almBeforeDialMs?: number;
  /** How long LOCATE waits for a fresh fix before reporting the best it has. */
  readonly locateTimeoutMs?: number;
}

/** Waits before the 1st, 2nd, ... redial of the emergency number. */
export const DEFAULT_REDIAL_DELAYS_MS: readonly number[] = [5000, 10_000, 20_000, 40_000, 60_000];

/** Counters for diagnostics and tests. */
export interface FirmwareStats {
  dials: number;
  commandsAccepted: number;
  commandsRefused: Record<CommandRefusal, number>;
  /** Alarm gestures while an alarm was already being raised or in a call. */
  gesturesIgnored: number;
}

interface Tracking {
  endsAtMs: number;
  endTimer: TimerHandle;
  trkTimer: TimerHandle | undefined;
  /** Lets go of the GPS when tracking ends. */
  releaseGps: () => void;
}

type GpsUser = 'tracking' | 'locate' | 'console' | 'selftest';

const RESTING: ReadonlySet<HandsetState> = new Set(['idle', 'low-battery', 'provisioning', 'locked-out']);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The handset firmware (see the file comment); also the USB console's ProvisioningTarget. */
export class Firmware implements ProvisioningTarget {
  readonly flash: HandsetFlash;
  readonly reports: ReportQueue;
  readonly stats: FirmwareStats = {
    dials: 0,
    commandsAccepted: 0,
    commandsRefused: { 'not-mine': 0, corrupt: 0, 'wrong-handset': 0, 'no-key': 0, 'bad-mac': 0, replay: 0 },
    gesturesIgnored: 0,
  };
  private current: HandsetState = 'idle';
  private readonly stateListeners = new Set<(s: HandsetState) => void>();
  private readonly clock: Clock;
  private readonly hmac: HmacSha256Sync;
  private commandWindow: ReplayWindow;
  private tracking: Tracking | undefined;
  private intervalOverrideS: number | undefined;
  private redialTimer: TimerHandle | undefined;
  private pollTimer: TimerHandle | undefined;
  private redials = 0;
  private batteryLow = false;
  private lockedOutUntilMs = 0;
  private consoleAuthenticated = false;
  /**
   * Who holds the GPS on now, one entry per hold: two self-tests (a killed connection's and the next one's) or
   * two LOCATEs overlap, and the first to finish must not turn it off under the other. Off when empty.
   */
  private readonly gpsHolds = new Map<symbol, GpsUser>();
  /** Stops waiting for the first fix of the current alarm (see reportFirstFix). */
  private firstFixOff: (() => void) | undefined;
  private readonly pressTimes: number[] = [];
  /** The alarm flash held at power-up (resumed by boot), captured before anything could overwrite it. */
  private readonly alarmAtPowerUp: StoredAlarm | null;
  /** ALMs queued and not sent yet: an alarm whose ALM never went out is not over, even after its tracking. */
  private almsUnsent = 0;

  constructor(
    private readonly hw: HandsetHardware,
    private readonly options: FirmwareOptions,
  ) {
    this.clock = hw.clock;
    this.hmac = options.hmac ?? nodeHmacSha256;
    this.flash = new HandsetFlash(hw.flash, options.factory ?? DEFAULT_CONFIG, hw.clock);
    const w = this.flash.commandWindow;
    this.commandWindow = w === null ? new ReplayWindow() : new ReplayWindow(w);
    this.reports = new ReportQueue({ clock: hw.clock, modem: hw.modem, flash: this.flash, battery: hw.battery, handsetId: options.identity.id, hmac: this.hmac });
    this.alarmAtPowerUp = this.flash.alarm;
    this.reports.onSent((r) => r.event === 'ALM' && this.almDone());
    // An ALM the queue dropped (a blank handset: no key or no gateway number to send it with) will never go out;
    // counted as unsent it held the alarm "in progress" for good, after its call and tracking time had ended.
    this.reports.onDropped((event) => event === 'ALM' && this.almDone());
    hw.button.onEvent((e) => this.onButton(e));
    hw.modem.onCallEnded((why) => this.onCallEnded(why));
    hw.modem.onSms((sms) => this.onSms(sms));
    hw.modem.onRegistration((registered) => {
      if (!registered) return;
      this.reports.kick();
      this.redialNow();
    });
    this.applyConfig();
    // A lock from before a reboot still holds.
    this.lockOut(this.flash.authFailures.lockedUntilMs);
  }

  /** Powers up: modem start-up sequence, BOT report, heartbeat timer, then the alarm flash says was going on. */
  async boot(): Promise<void> {
    await this.hw.modem.start();
    this.report('BOT');
    this.scheduleHeartbeat();
    // A gesture during start-up raised a new alarm already: that one wins.
    if (this.alarmAtPowerUp !== null && RESTING.has(this.current)) this.resumeAlarm(this.alarmAtPowerUp);
  }

  get state(): HandsetState {
    return this.current;
  }

  onStateChange(listener: (s: HandsetState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  get config(): HandsetConfig {
    return this.flash.settings.config;
  }

  // --- the alarm ------------------------------------------------------------------------------------------

  private onButton(e: ButtonEvent): void {
    if (e.type === 'press') {
      this.pressTimes.push(e.atMs);
      return;
    }
    switch (this.current) {
      case 'idle':
      case 'low-battery':
      case 'provisioning':
      case 'locked-out':
      case 'tracking':
        void this.raiseAlarm();
        break;
      case 'alarm':
      case 'calling':
      case 'in-call':
        this.stats.gesturesIgnored++;
        break;
      default: {
        const never: never = this.current;
        throw new Error(`unhandled state ${String(never)}`);
      }
    }
  }

  /**
   * The gesture (or a reboot in the middle of an alarm not yet answered, `resumed`): ALM, then the call.
   * A resumed alarm keeps its start and its tracking end, and sends a fresh ALM: the one queued before the
   * reboot is gone with the RAM, and its n (already in flash) is never used again.
   */
  private async raiseAlarm(resumed?: StoredAlarm): Promise<void> {
    if (this.config.testMode && resumed === undefined) {
      this.testAlarm();
      return;
    }
    this.setState('alarm');
    this.startTracking(resumed?.trackingEndsAtMs);
    this.saveAlarmPhase('raising', resumed?.startedAtMs ?? this.clock.now());
    this.almsUnsent++;
    const alm = this.report('ALM');
    this.reportFirstFix();
    await new Promise<void>((resolve) => {
      const t = this.clock.setTimeout(resolve, this.options.almBeforeDialMs ?? 15_000);
      void alm.then(() => {
        this.clock.clearTimeout(t);
        resolve();
      });
    });
    this.cue('vibrate', 'alarm-sent');
    this.redials = 0;
    await this.dial();
  }

  private async dial(): Promise<void> {
    this.redialTimer = undefined;
    if (this.tracking === undefined) return;
    this.setState('calling');
    this.hw.audio.setSpeakerMuted(true);
    this.hw.audio.setMicrophoneOpen(true);
    this.stats.dials++;
    const accepted = await this.hw.modem.dial(this.config.emergencyNumber);
    // Gone on meanwhile, or a call-end (a modem reboot mid-ATD) already scheduled the redial: one timer only.
    if (this.current !== 'calling' || this.redialTimer !== undefined) return;
    if (accepted) this.pollCall();
    else this.scheduleRedial();
  }

  private pollCall(): void {
    this.pollTimer = this.clock.setTimeout(async () => {
      this.pollTimer = undefined;
      const call = await this.hw.modem.callState();
      if (this.current !== 'calling' || this.redialTimer !== undefined) return;
      if (call === 'active') this.answered();
      else if (call === 'none') this.scheduleRedial();
      else this.pollCall();
    }, this.options.callPollMs ?? 1000);
  }

  private scheduleRedial(): void {
    this.stopPolling();
    if (this.tracking === undefined) return this.callOver();
    const delays = this.options.redialDelaysMs ?? DEFAULT_REDIAL_DELAYS_MS;
    const delay = delays[Math.min(this.redials, delays.length - 1)] as number;
    this.redials++;
    this.redialTimer = this.clock.setTimeout(() => void this.dial(), delay);
  }

  /**
   * Service is back (+CREG): a redial waiting out its backoff (up to 60 s) dials now, as the report queue sends
   * at once. Without this the ALM went out the moment the network returned but the 999 call up to 57 s later.
   */
  private redialNow(): void {
    if (this.current !== 'calling' || this.redialTimer === undefined) return;
    this.clock.clearTimeout(this.redialTimer);
    void this.dial();
  }

  private answered(): void {
    this.saveAlarmPhase('in-call');
    this.connected();
  }

  private connected(): void {
    this.redials = 0;
    this.setState('in-call');
    this.hw.battery.setActive('call', true);
    this.cue('light', 'call-connected');
  }

  /**
   * The alarm ended (STOP, time up) while `calling`: the attempt is abandoned (ATH), unless the control room has
   * answered it since the last AT+CLCC poll (up to `callPollMs` ago). A STOP sent as the handler closed the incident
   * 150 ms after accepting the call hung up the call she had just answered (make demo, 25 Nov). Answered, the call
   * goes on as one in progress does after a STOP: no TRK, and no alarm phase in flash (the alarm is over).
   */
  private async abandonCall(): Promise<void> {
    const call = await this.hw.modem.callState();
    if (this.current !== 'calling' || this.tracking !== undefined) return;
    if (call === 'active') return this.connected();
    void this.hw.modem.hangUp();
    this.callOver();
  }

  private onCallEnded(why: CallEnd): void {
    switch (this.current) {
      case 'calling':
        if (this.redialTimer === undefined) this.scheduleRedial();
        break;
      case 'in-call':
        if (why === 'modem-restart') {
          // Lost on our side, not ended by the call handler: get through again (while tracking lasts).
          this.hw.battery.setActive('call', false);
          this.setState('calling');
          this.scheduleRedial();
        } else {
          this.callOver();
          this.saveAlarmPhase('tracking');
        }
        break;
      case 'idle':
      case 'alarm':
      case 'tracking':
      case 'low-battery':
      case 'provisioning':
      case 'locked-out':
        break; // a late call-progress word for a call already given up
      default: {
        const never: never = this.current;
        throw new Error(`unhandled state ${String(never)} (${why})`);
      }
    }
  }

  private callOver(): void {
    this.stopPolling();
    this.hw.battery.setActive('call', false);
    this.hw.audio.setMicrophoneOpen(false);
    this.hw.audio.setSpeakerMuted(false);
    this.setState(this.tracking !== undefined ? 'tracking' : this.restingState());
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) this.clock.clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }

  // --- tracking -------------------------------------------------------------------------------------------

  /** Starts (or restarts) tracking until `endsAtMs` (default: the configured tracking time from now). */
  private startTracking(endsAtMs = this.clock.now() + this.config.trackingMinutes * 60_000): void {
    // A fresh tracking session starts at the configured period: an INTERVAL accepted while resting (sent after
    // tracking ended, or reordered behind the STOP) overrides nothing, and must not slow the next alarm's TRKs.
    if (this.tracking === undefined) this.intervalOverrideS = undefined;
    if (this.tracking !== undefined) this.clock.clearTimeout(this.tracking.endTimer);
    const endTimer = this.clock.setTimeout(() => this.stopTracking('timeout'), endsAtMs - this.clock.now());
    const releaseGps = this.tracking?.releaseGps ?? this.holdGps('tracking');
    this.tracking = { endsAtMs, endTimer, trkTimer: this.tracking?.trkTimer, releaseGps };
    if (this.tracking.trkTimer === undefined) this.scheduleTrk();
  }

  /**
   * An ALM sent without a fix (GPS cold at the moment of the alarm) is followed by a TRK the moment the first
   * fix comes, not a whole interval later: the control room needs her position as soon as there is one.
   */
  private reportFirstFix(): void {
    // One wait at a time: a gesture again while tracking without a fix, or an earlier alarm stopped before its
    // first fix, left one each, and each sent a TRK at the same first fix.
    this.stopWaitingForFirstFix();
    if (this.hw.gps.latest()?.epoch.fix === true) return;
    const off = this.hw.gps.onEpoch((r) => {
      if (!r.epoch.fix) return;
      this.stopWaitingForFirstFix();
      if (this.tracking === undefined) return;
      this.report('TRK');
      this.scheduleTrk();
    });
    this.firstFixOff = off;
  }

  private stopWaitingForFirstFix(): void {
    this.firstFixOff?.();
    this.firstFixOff = undefined;
  }

  /** The TRK period now: a command's INTERVAL, else the fast interval above the fast speed, else the interval. */
  trackingIntervalS(): number {
    if (this.intervalOverrideS !== undefined) return this.intervalOverrideS;
    const e = this.hw.gps.latest()?.epoch;
    const fast = e !== undefined && e.fix && e.speedMps > this.config.fastSpeedMps;
    return fast ? this.config.fastIntervalS : this.config.intervalS;
  }

  private scheduleTrk(): void {
    const t = this.tracking;
    if (t === undefined) return;
    if (t.trkTimer !== undefined) this.clock.clearTimeout(t.trkTimer);
    t.trkTimer = this.clock.setTimeout(() => {
      t.trkTimer = undefined;
      this.report('TRK');
      this.scheduleTrk();
    }, this.trackingIntervalS() * 1000);
  }

  private stopTracking(why: 'timeout' | 'stop'): void {
    const t = this.tracking;
    if (t === undefined) return;
    // Over: a STOP means the control room has it; a timeout, once the alarm's ALM is out (else that send clears it).
    if (why === 'stop' || this.almsUnsent === 0 || !this.canReport()) this.flash.saveAlarm(null);
    this.clock.clearTimeout(t.endTimer);
    if (t.trkTimer !== undefined) this.clock.clearTimeout(t.trkTimer);
    this.tracking = undefined;
    this.intervalOverrideS = undefined;
    this.stopWaitingForFirstFix();
    t.releaseGps();
    if (this.redialTimer !== undefined) this.clock.clearTimeout(this.redialTimer);
    this.redialTimer = undefined;
    switch (this.current) {
      case 'calling':
        // Stop trying to get through: abandon the attempt in progress, if any (abandonCall: unless answered).
        this.stopPolling();
        void this.abandonCall();
        break;
      case 'in-call':
        break; // the call goes on; no more TRK reports
      case 'alarm':
      case 'tracking':
        this.setState(this.restingState());
        break;
      case 'idle':
      case 'low-battery':
      case 'provisioning':
      case 'locked-out':
        break;
      default: {
        const never: never = this.current;
        throw new Error(`unhandled state ${String(never)}`);
      }
    }
  }

  // --- an alarm across a reboot ---------------------------------------------------------------------------

  /**
   * Boot found an alarm in flash. Not yet answered: raised again (fresh ALM, dial, usual redials) until its
   * original tracking end. Answered, call up: the reboot dropped the call on our side, so redial (as after a
   * modem restart), tracking on. Answered, call over: tracking resumes until the original end, no call.
   * Past its tracking end: over, except that an alarm never answered still sends its ALM (no late call).
   */
  private resumeAlarm(a: StoredAlarm): void {
    if (a.trackingEndsAtMs <= this.clock.now()) {
      if (a.phase === 'raising' && this.canReport()) {
        this.almsUnsent++;
        void this.report('ALM'); // the record is cleared when it has gone out (almDone)
      } else this.flash.saveAlarm(null);
      return;
    }
    switch (a.phase) {
      case 'raising':
        void this.raiseAlarm(a);
        break;
      case 'in-call':
        this.startTracking(a.trackingEndsAtMs);
        this.reportFirstFix();
        this.redials = 0;
        void this.dial();
        break;
      case 'tracking':
        this.startTracking(a.trackingEndsAtMs);
        this.reportFirstFix();
        this.setState('tracking');
        break;
      default: {
        const never: never = a.phase;
        throw new Error(`unhandled alarm phase ${String(never)}`);
      }
    }
  }

  /** Writes the alarm's new phase, keeping its start (unless given) and its tracking end. */
  private saveAlarmPhase(phase: AlarmPhase, startedAtMs?: number): void {
    const t = this.tracking;
    if (t === undefined) return;
    const started = startedAtMs ?? this.flash.alarm?.startedAtMs ?? this.clock.now();
    this.flash.saveAlarm({ phase, startedAtMs: started, trackingEndsAtMs: t.endsAtMs });
  }

  /** An ALM went out, or was dropped as one that never can (not provisioned). */
  private almDone(): void {
    this.almsUnsent = Math.max(0, this.almsUnsent - 1);
    // Tracking ran out before this ALM could go: the alarm is over now that it has.
    if (this.tracking === undefined && this.almsUnsent === 0 && this.flash.alarm !== null) this.flash.saveAlarm(null);
  }

  /** Provisioned: reports can be signed and addressed (otherwise the queue drops them). */
  private canReport(): boolean {
    return this.flash.settings.key !== undefined && this.config.gatewayNumber !== '';
  }

  // --- commands from the gateway --------------------------------------------------------------------------

  private onSms(sms: IncomingSms): void {
    const check = checkCommand(sms.text, this.options.identity.id, this.flash.settings.key, this.commandWindow, this.hmac);
    if (!check.ok) {
      this.stats.commandsRefused[check.refusal]++;
      return;
    }
    this.flash.saveCommandWindow(this.commandWindow.toJSON());
    this.stats.commandsAccepted++;
    this.act(check.command);
  }

  private act(command: HandsetCommand): void {
    switch (command.kind) {
      case 'STOP':
        this.stopTracking('stop');
        this.report('ACK');
        break;
      case 'LOCATE':
        this.report('ACK');
        this.locate();
        break;
      case 'INTERVAL':
        this.intervalOverrideS = command.seconds;
        this.scheduleTrk();
        this.report('ACK');
        break;
      default: {
        const never: never = command;
        throw new Error(`unhandled command ${String(never)}`);
      }
    }
  }

  /** One TRK with a fresh fix: the next epoch with a fix, or the best there is after the timeout. */
  private locate(): void {
    const release = this.holdGps('locate');
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      off();
      this.clock.clearTimeout(timer);
      release();
      this.report('TRK');
    };
    const off = this.hw.gps.onEpoch((r) => r.epoch.fix && finish());
    const timer = this.clock.setTimeout(finish, this.options.locateTimeoutMs ?? 60_000);
  }

  // --- reports, battery, heartbeat ------------------------------------------------------------------------

  /** Queues a report carrying the best fix there is now. */
  private report(event: ReportEvent): Promise<boolean> {
    return this.reports.enqueue(event, this.hw.gps.best() ?? noFixReading(this.clock.now()));
  }

  private scheduleHeartbeat(): void {
    this.clock.setTimeout(() => {
      this.report('HBT');
      this.scheduleHeartbeat();
    }, this.config.heartbeatHours * 3_600_000);
  }

  private applyConfig(): void {
    const c = this.config;
    this.hw.button.configure({ gesture: c.gesture, holdMs: c.holdMs, presses: c.presses, pressWindowMs: c.pressWindowMs });
    this.hw.battery.onLow(c.lowBatteryPercent, () => this.lowBattery());
  }

  private lowBattery(): void {
    this.batteryLow = true;
    this.report('LOB');
    this.cue('sound', 'low-battery');
    if (RESTING.has(this.current)) this.setState(this.restingState());
  }

  // --- states and outputs ---------------------------------------------------------------------------------

  private restingState(): HandsetState {
    if (this.clock.now() < this.lockedOutUntilMs) return 'locked-out';
    if (this.consoleAuthenticated) return 'provisioning';
    if (this.batteryLow && this.hw.battery.percent() <= this.config.lowBatteryPercent) return 'low-battery';
    return 'idle';
  }

  private setState(s: HandsetState): void {
    if (s === this.current) return;
    this.current = s;
    for (const l of this.stateListeners) l(s);
  }

  /** Sound, light, vibration: never in silent mode. */
  private cue(kind: 'sound' | 'light' | 'vibrate', cue: Cue): void {
    if (this.config.silent) return;
    this.hw.indicator[kind](cue);
  }

  /** Holds the GPS on for one user until the returned release is called (once; later calls do nothing). */
  private holdGps(user: GpsUser): () => void {
    const hold = Symbol(user);
    this.gpsHolds.set(hold, user);
    this.powerGps();
    return () => {
      if (this.gpsHolds.delete(hold)) this.powerGps();
    };
  }

  /** On while anyone holds it, off when nobody does. */
  private powerGps(): void {
    const want = this.gpsHolds.size > 0;
    this.hw.battery.setActive('gps', want);
    if (want && !this.hw.gps.isOn) this.hw.gps.powerOn();
    else if (!want && this.hw.gps.isOn) this.hw.gps.powerOff();
  }

  // --- the provisioning console's side (ProvisioningTarget) -----------------------------------------------

  info(): HandsetInfo {
    const { id, firmware, imei } = this.options.identity;
    return { id, firmware, imei, provisioned: this.hasKey() && this.config.gatewayNumber !== '' };
  }

  committedConfig(): HandsetConfig {
    return this.config;
  }

  factoryConfig(): HandsetConfig {
    return this.flash.factoryConfig;
  }

  hasKey(): boolean {
    return this.flash.settings.key !== undefined;
  }

  commit(config: HandsetConfig, key: Uint8Array | undefined): void {
    const before = this.flash.settings.key;
    const after = key ?? before;
    this.flash.commit({ config, key: after });
    // A new key starts a new TSC1 counter space: the gateway that registers it may count from 1 (a reissued
    // handset on another gateway; a gateway restored from backup, then `tecsos provision --replace`). The old
    // window refused all of those as replays, so STOP and LOCATE never worked. Commands signed with the old key
    // fail the MAC now, so forgetting their counters lets nothing old back in. Written after the settings: a
    // power cut in between leaves the old window, never a fresh window beside the old key.
    if (after !== undefined && (before === undefined || !sameBytes(before, after))) {
      this.commandWindow = new ReplayWindow();
      this.flash.saveCommandWindow(this.commandWindow.toJSON());
    }
    this.applyConfig();
  }

  wipe(): void {
    this.flash.wipe();
    this.applyConfig();
  }

  /**
   * Her alarm is live (the USB console refuses what would break it: AT+TSWIPE, a new key or gateway number):
   * tracking, or its 999 call still being placed or talked on (a STOP ends the tracking, not the call), or an
   * ALM not yet sent (signed with the key a wipe would take).
   */
  alarmInProgress(): boolean {
    return this.tracking !== undefined || this.current === 'alarm' || this.current === 'calling' || this.current === 'in-call' || this.almsUnsent > 0;
  }

  testAlarm(): void {
    this.report('TST');
    this.cue('vibrate', 'test-alarm');
  }

  tamper(): void {
    this.report('TMP');
    this.lockOut(this.clock.now() + LOCK_MS);
  }

  private lockOut(untilMs: number): void {
    if (untilMs <= this.clock.now()) return;
    this.lockedOutUntilMs = untilMs;
    this.clock.setTimeout(() => RESTING.has(this.current) && this.setState(this.restingState()), untilMs - this.clock.now());
    if (RESTING.has(this.current)) this.setState(this.restingState());
  }

  authFailures(): AuthFailures {
    return this.flash.authFailures;
  }

  saveAuthFailures(state: AuthFailures): void {
    this.flash.saveAuthFailures(state);
  }

  streamGps(listener: (sentence: string) => void): () => void {
    const release = this.holdGps('console');
    const off = this.hw.gps.onSentence(listener);
    return () => {
      off();
      release();
    };
  }

  consoleSession(state: ConsoleSessionState): void {
    this.consoleAuthenticated = state === 'authenticated';
    if (this.consoleAuthenticated) this.cue('light', 'provisioning');
    if (RESTING.has(this.current)) this.setState(this.restingState());
  }

  async selfTest(signal?: AbortSignal): Promise<readonly SelfTestItem[]> {
    const f = this.flash.status;
    const pct = this.hw.battery.percent();
    const now = this.clock.now();
    const presses = this.pressTimes.filter((t) => now - t <= 60_000).length;
    const csq = await this.hw.modem.signal();
    const registered = this.hw.modem.registered();
    const fix = await this.waitForFix(60_000, signal);
    return [
      { name: 'flash', ok: !f.settingsCorrupted && !f.countersCorrupted, detail: f.settingsCorrupted ? 'settings image corrupt: factory defaults in use' : f.countersCorrupted ? 'counter records corrupt' : 'crc ok' },
      { name: 'battery', ok: pct > this.config.lowBatteryPercent, detail: `${pct}%` },
      { name: 'button', ok: presses > 0, detail: presses > 0 ? `pressed ${presses} times in the last minute` : 'not pressed in the last minute: press it, then run the self-test again' },
      { name: 'modem', ok: registered && csq !== 99, detail: `${registered ? 'registered' : 'not registered'}, CSQ ${csq}` },
      { name: 'gps', ok: fix !== undefined, detail: fix ?? 'no fix within 60 s' },
    ];
  }

  /** Powers the GPS until a fix (or the timeout, or `signal`); the fix's quality, never its position. */
  private waitForFix(timeoutMs: number, signal?: AbortSignal): Promise<string | undefined> {
    if (signal?.aborted === true) return Promise.resolve(undefined);
    const release = this.holdGps('selftest');
    return new Promise((resolve) => {
      const finish = (detail: string | undefined) => {
        off();
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        release();
        resolve(detail);
      };
      const abort = () => finish(undefined);
      const off = this.hw.gps.onEpoch((r) => r.epoch.fix && finish(`fix, ${r.epoch.satellites} satellites, HDOP ${r.epoch.hdop}`));
      const timer = this.clock.setTimeout(abort, timeoutMs);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }
}
