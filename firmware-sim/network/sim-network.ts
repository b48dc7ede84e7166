// The simulated GSM network: subscribers (MSISDN -> attached terminal), their radio state, the call switch
// and the SMSC. Tests and the simulator drive it in-process; modems reach it through their NetworkLink.

import type { Clock } from '../../protocol/time/clock.js';
import type { Random } from '../../protocol/time/random.js';
import type { NetworkEvent } from './events.js';
import type { NetworkLink, NetworkTerminal, SmsContent, SubmitOptions, SubmitResult } from './terminal.js';
import type { Subscriber, SubscriberDirectory } from './subscriber.js';
import { NO_SERVICE, inService, type RadioState } from './radio.js';
import { CallSwitch } from './call-switch.js';
import { SmsCenter } from './sms-center.js';
import type { SmsRoute, SmsRules } from './sms-rules.js';
import { normaliseNumber, parseDialString } from './msisdn.js';

/** Network configuration; every field has a default. */
export interface SimNetworkOptions {
  readonly clock: Clock;
  readonly random: Random;
  /** Country code for national numbers ("07700..." -> "+447700..."); default "44". */
  readonly countryCode?: string;
  /** Default ["999", "112"]. */
  readonly emergencyNumbers?: readonly string[];
  /** The control-room lines emergency calls hunt over, in order; default none. */
  readonly emergencyLines?: readonly string[];
  /** Dial to ringing (ms); default 1000. */
  readonly callSetupMs?: number;
  /** Ringing to NO ANSWER (ms); default 30000. */
  readonly noAnswerMs?: number;
  /** SMSC retry interval for unreachable or full destinations (ms); default 30000. */
  readonly smsRetryMs?: number;
  /** SMSC validity period (ms); default 1 hour. */
  readonly smsValidityMs?: number;
  /** Operator name shown by +COPS?; default "TecSOS Sim". */
  readonly operator?: string;
}

/** Per-subscriber options on attach. */
export interface AttachOptions {
  /** Starting radio state; default: home network, rssi 20. */
  readonly radio?: Partial<RadioState>;
  /** Withhold this subscriber's number on every call; default false. */
  readonly withholdCli?: boolean;
}

/** See the file comment; the rules of calls and SMS are in call-switch.ts and sms-center.ts. */
export class SimNetwork {
  readonly clock: Clock;
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly listeners = new Set<(e: NetworkEvent) => void>();
  private readonly calls: CallSwitch;
  private readonly sms: SmsCenter;
  private readonly countryCode: string;
  private readonly operator: string;
  private readonly emergencyNumbers: readonly string[];
  private down = false;

  constructor(options: SimNetworkOptions) {
    this.clock = options.clock;
    this.countryCode = options.countryCode ?? '44';
    this.operator = options.operator ?? 'TecSOS Sim';
    this.emergencyNumbers = options.emergencyNumbers ?? ['999', '112'];
    const directory: SubscriberDirectory = {
      get: (msisdn) => this.subscribers.get(msisdn),
      radioOf: (sub) => this.radioOf(sub),
      reachable: (sub) => inService(this.radioOf(sub)),
    };
    const emit = (e: NetworkEvent): void => {
      for (const l of [...this.listeners]) l(e);
    };
    this.calls = new CallSwitch(
      {
        countryCode: this.countryCode,
        emergencyNumbers: this.emergencyNumbers,
        setupMs: options.callSetupMs ?? 1000,
        noAnswerMs: options.noAnswerMs ?? 30_000,
      },
      this.clock,
      directory,
      emit,
    );
    this.sms = new SmsCenter(
      {
        countryCode: this.countryCode,
        retryMs: options.smsRetryMs ?? 30_000,
        validityMs: options.smsValidityMs ?? 3_600_000,
      },
      this.clock,
      options.random,
      directory,
      emit,
    );
    this.calls.setHuntGroup(options.emergencyLines ?? []);
  }

  /** Subscribes to network events; returns the unsubscribe function. */
  onEvent(listener: (e: NetworkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Attaches a terminal under `msisdn` (international or national format). Throws if the number is taken:
   * two phones with one number is a configuration error.
   */
  attach(msisdn: string, terminal: NetworkTerminal, options: AttachOptions = {}): NetworkLink {
    const number = normaliseNumber(msisdn, this.countryCode);
    if (!/^\+[0-9]{6,15}$/.test(number)) throw new Error(`attach: "${msisdn}" is not an MSISDN (e.g. +447700900001)`);
    if (this.subscribers.has(number)) throw new Error(`attach: ${number} is already attached to the network`);
    const sub: Subscriber = {
      msisdn: number,
      terminal,
      configured: {
        registration: 'home',
        rssi: 20,
        lac: 0x1a2b,
        cellId: 0x00c3,
        operator: this.operator,
        plmn: '23415',
        ...options.radio,
      },
      available: true,
      withholdCli: options.withholdCli ?? false,
      lastSeen: undefined,
    };
    this.subscribers.set(number, sub);
    this.radioUpdated(sub);
    let attached = true;
    return {
      msisdn: number,
      radio: () => this.radioOf(sub),
      setAvailable: (available) => {
        if (!attached || sub.available === available) return;
        sub.available = available;
        this.radioUpdated(sub);
      },
      dial: (dialled) => (attached ? this.calls.dial(sub, dialled) : { ok: false, reason: 'no-network' }),
      answer: (callId) => attached && this.calls.answer(sub, callId),
      hangup: (callId) => this.calls.hangup(sub, callId),
      submitSms: (to, content, opts) =>
        attached ? this.sms.submit(sub, to, content, opts) : { ok: false, reason: 'no-network' },
      detach: () => {
        if (!attached) return;
        attached = false;
        sub.available = false;
        this.calls.serviceChanged(sub);
        this.subscribers.delete(number);
      },
    };
  }

  /** Changes a subscriber's coverage or signal (e.g. `{ registration: 'searching', rssi: 99 }` for a hole). */
  setRadio(msisdn: string, radio: Partial<RadioState>): void {
    const sub = this.subscriber(msisdn);
    sub.configured = { ...sub.configured, ...radio };
    this.radioUpdated(sub);
  }

  /** Takes the whole network down (every phone searching, no signal) or brings it back. */
  setDown(down: boolean): void {
    this.down = down;
    for (const sub of [...this.subscribers.values()]) this.radioUpdated(sub);
  }

  /** Replaces the emergency hunt group (control-room lines, first idle first). */
  setEmergencyLines(lines: readonly string[]): void {
    this.calls.setHuntGroup(lines);
  }

  /** Sets SMS delivery rules globally or for a route (numbers in any format). */
  setSmsRules(rules: Partial<SmsRules>, route?: SmsRoute): void {
    const n = (x: string | undefined): string | undefined =>
      x === undefined ? undefined : normaliseNumber(x, this.countryCode);
    this.sms.rules.set(rules, route === undefined ? undefined : { from: n(route.from), to: n(route.to) });
  }

  /** Injects an SMS from a number outside the simulation (no phone attached for it). */
  submitFromOutside(from: string, to: string, content: SmsContent, options?: Partial<SubmitOptions>): SubmitResult {
    return this.sms.submit(from, to, content, {
      messageReference: options?.messageReference ?? 0,
      statusReportRequested: options?.statusReportRequested ?? false,
    });
  }

  /** The radio state a subscriber sees now. */
  radio(msisdn: string): RadioState {
    return this.radioOf(this.subscriber(msisdn));
  }

  /** Attached numbers. */
  numbers(): string[] {
    return [...this.subscribers.keys()];
  }

  /** True when a dial string (as typed, "#31#999" too) calls an emergency number of this network. */
  isEmergencyNumber(dialled: string): boolean {
    return this.emergencyNumbers.includes(parseDialString(dialled).number);
  }

  /** Calls in progress. */
  activeCalls(): ReturnType<CallSwitch['activeCalls']> {
    return this.calls.activeCalls();
  }

  /** SMS accepted by the SMSC and not yet delivered or dropped (a test waits for 0). */
  get smsPending(): number {
    return this.sms.pending;
  }

  private subscriber(msisdn: string): Subscriber {
    const sub = this.subscribers.get(normaliseNumber(msisdn, this.countryCode));
    if (sub === undefined) throw new Error(`no subscriber ${msisdn} is attached to the network`);
    return sub;
  }

  private radioOf(sub: Subscriber): RadioState {
    if (!sub.available) return NO_SERVICE;
    if (this.down) return { ...sub.configured, registration: 'searching', rssi: 99, operator: '' };
    return sub.configured;
  }

  private radioUpdated(sub: Subscriber): void {
    const now = this.radioOf(sub);
    const before = sub.lastSeen;
    if (before !== undefined && sameRadio(before, now)) return;
    sub.lastSeen = now;
    for (const l of [...this.listeners]) l({ type: 'radio', at: this.clock.now(), msisdn: sub.msisdn, radio: now });
    this.calls.serviceChanged(sub);
    sub.terminal.radioChanged(now);
  }
}

function sameRadio(a: RadioState, b: RadioState): boolean {
  return (
    a.registration === b.registration &&
    a.rssi === b.rssi &&
    a.lac === b.lac &&
    a.cellId === b.cellId &&
    a.operator === b.operator &&
    a.plmn === b.plmn
  );
}
