// Voice calls on the simulated network: dial, alert, answer, hang up, busy, no answer, and emergency numbers
// routed to a hunt group of control-room lines.
//
// Rules (docs/firmware-sim-modem.md has the reasons):
// - The caller needs service (home or roaming), else the dial fails at once with 'no-network'.
// - After `setupMs` the call is routed. Unknown number, or a phone that is off / out of coverage:
//   'unreachable' (NO CARRIER). Callee in another call: 'busy' (BUSY). Otherwise it rings there
//   (RING every few seconds at the callee's modem) and the caller sees "alerting".
// - Unanswered for `noAnswerMs`: the caller gets 'no-answer' (NO ANSWER), the callee's ringing stops.
// - Either side hangs up: the other gets 'hangup' (NO CARRIER); a callee hanging up while it rings rejects
//   the call: the caller gets 'rejected' (BUSY), as on GSM (user-determined user busy).
// - Emergency numbers (999, 112) go to the first idle line of the hunt group, in its configured order. No idle
//   line: the call QUEUES (the caller hears ringing) and is offered to the first line that becomes idle, in
//   arrival order, as the 999 operator platform holds calls rather than giving a victim a busy tone. An
//   emergency call never times out with NO ANSWER: it rings until a handler answers or the caller gives up.
//   An empty hunt group (nothing configured) is 'unreachable'.
// - A side that loses service (coverage hole, network down, modem off) drops the call: 'radio-lost' there,
//   'hangup' at the other side.

import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import type { NetworkEvent, CallState } from './events.js';
import type { CallEndReason, DialResult } from './terminal.js';
import type { Subscriber, SubscriberDirectory } from './subscriber.js';
import { normaliseNumber, parseDialString } from './msisdn.js';

/** Timings and numbering of the call switch. */
export interface CallSwitchConfig {
  readonly countryCode: string;
  readonly emergencyNumbers: readonly string[];
  /** Time from dialling to ringing at the callee (ms). */
  readonly setupMs: number;
  /** Time a call may ring unanswered before NO ANSWER (ms). */
  readonly noAnswerMs: number;
}

interface Call {
  readonly id: number;
  readonly caller: Subscriber;
  readonly dialled: string;
  readonly withheld: boolean;
  readonly emergency: boolean;
  callee: Subscriber | undefined;
  state: CallState;
  timer: TimerHandle | undefined;
}

/** Routes calls between subscribers; owned by SimNetwork. */
export class CallSwitch {
  private nextId = 1;
  private readonly calls = new Map<number, Call>();
  private readonly queue: Call[] = [];
  private huntGroup: string[] = [];

  constructor(
    private readonly config: CallSwitchConfig,
    private readonly clock: Clock,
    private readonly directory: SubscriberDirectory,
    private readonly emit: (e: NetworkEvent) => void,
  ) {}

  /** Sets the control-room lines emergency calls hunt over, first idle line first. */
  setHuntGroup(lines: readonly string[]): void {
    this.huntGroup = lines.map((l) => normaliseNumber(l, this.config.countryCode));
    this.serveQueue();
  }

  /** The hunt group as configured (normalised). */
  get lines(): readonly string[] {
    return this.huntGroup;
  }

  /** True when the subscriber has a call that is not over (as caller or callee, ringing or active). */
  busy(msisdn: string): boolean {
    for (const c of this.calls.values()) {
      if (c.caller.msisdn === msisdn) return true;
      if (c.callee?.msisdn === msisdn && (c.state === 'alerting' || c.state === 'active')) return true;
    }
    return false;
  }

  /** Calls not yet over, for tests and the control API. */
  activeCalls(): { id: number; from: string; to: string | undefined; state: CallState; emergency: boolean }[] {
    return [...this.calls.values()].map((c) => ({
      id: c.id,
      from: c.caller.msisdn,
      to: c.callee?.msisdn,
      state: c.state,
      emergency: c.emergency,
    }));
  }

  dial(caller: Subscriber, dialledRaw: string): DialResult {
    if (!this.directory.reachable(caller)) return { ok: false, reason: 'no-network' };
    const { number, withheld } = parseDialString(dialledRaw);
    if (number.length === 0) return { ok: false, reason: 'unreachable' };
    const emergency = this.config.emergencyNumbers.includes(number);
    const call: Call = {
      id: this.nextId++,
      caller,
      dialled: emergency ? number : normaliseNumber(number, this.config.countryCode),
      withheld: withheld || caller.withholdCli,
      emergency,
      callee: undefined,
      state: 'setup',
      timer: undefined,
    };
    this.calls.set(call.id, call);
    this.report(call);
    call.timer = this.clock.setTimeout(() => this.route(call), this.config.setupMs);
    return { ok: true, callId: call.id };
  }

  answer(callee: Subscriber, callId: number): boolean {
    const call = this.calls.get(callId);
    if (call === undefined || call.state !== 'alerting' || call.callee !== callee) return false;
    this.clearTimer(call);
    call.state = 'active';
    this.report(call);
    call.caller.terminal.callConnected(call.id);
    return true;
  }

  hangup(party: Subscriber, callId: number): void {
    const call = this.calls.get(callId);
    if (call === undefined) return;
    if (party === call.caller) {
      this.end(call, 'hangup', { callee: 'hangup' });
    } else if (party === call.callee) {
      const reason = call.state === 'alerting' ? 'rejected' : 'hangup';
      this.end(call, reason, { caller: reason });
    }
  }

  /** A subscriber lost service or detached: its calls drop. Then queued emergency calls may find a line. */
  serviceChanged(sub: Subscriber): void {
    if (!this.directory.reachable(sub)) {
      for (const call of [...this.calls.values()]) {
        if (call.caller === sub) {
          this.end(call, 'radio-lost', { caller: 'radio-lost', callee: 'hangup' });
        } else if (call.callee === sub && call.state !== 'queued') {
          if (call.emergency && call.state === 'alerting') {
            // The line went away while ringing: offer the call to the next idle line.
            call.callee = undefined;
            sub.terminal.callEnded(call.id, 'radio-lost');
            this.clearTimer(call);
            this.offerEmergency(call);
          } else {
            this.end(call, 'radio-lost', { caller: 'hangup', callee: 'radio-lost' });
          }
        }
      }
    }
    this.serveQueue();
  }

  private route(call: Call): void {
    call.timer = undefined;
    if (call.emergency) {
      if (this.huntGroup.length === 0) {
        this.end(call, 'unreachable', { caller: 'unreachable' });
        return;
      }
      this.offerEmergency(call);
      return;
    }
    const callee = this.directory.get(call.dialled);
    if (callee === undefined || callee === call.caller || !this.directory.reachable(callee)) {
      const reason = callee === call.caller ? 'busy' : 'unreachable';
      this.end(call, reason, { caller: reason });
      return;
    }
    if (this.busy(callee.msisdn)) {
      this.end(call, 'busy', { caller: 'busy' });
      return;
    }
    this.alert(call, callee);
    call.timer = this.clock.setTimeout(() => {
      call.timer = undefined;
      this.end(call, 'no-answer', { caller: 'no-answer', callee: 'hangup' });
    }, this.config.noAnswerMs);
  }

  private offerEmergency(call: Call): void {
    const line = this.idleLine();
    if (line === undefined) {
      if (call.state !== 'queued') {
        call.state = 'queued';
        this.queue.push(call);
        this.report(call);
        call.caller.terminal.callAlerting(call.id); // ringback while queued
      }
      return;
    }
    const i = this.queue.indexOf(call);
    if (i >= 0) this.queue.splice(i, 1);
    const wasAlerting = call.state === 'queued' || call.state === 'alerting';
    this.alert(call, line, !wasAlerting);
  }

  private alert(call: Call, callee: Subscriber, tellCaller = true): void {
    call.callee = callee;
    call.state = 'alerting';
    this.report(call);
    callee.terminal.incomingCall({
      callId: call.id,
      from: call.withheld ? undefined : call.caller.msisdn,
      emergency: call.emergency,
    });
    if (tellCaller) call.caller.terminal.callAlerting(call.id);
  }

  private idleLine(): Subscriber | undefined {
    for (const msisdn of this.huntGroup) {
      const sub = this.directory.get(msisdn);
      if (sub !== undefined && this.directory.reachable(sub) && !this.busy(msisdn)) return sub;
    }
    return undefined;
  }

  private serveQueue(): void {
    while (this.queue.length > 0 && this.idleLine() !== undefined) {
      this.offerEmergency(this.queue[0] as Call);
    }
  }

  /** Ends a call with `reason` (for the event) and tells each side its own reason; an absent side is not told. */
  private end(call: Call, reason: CallEndReason, tell: { caller?: CallEndReason; callee?: CallEndReason }): void {
    if (call.state === 'ended') return;
    this.clearTimer(call);
    const i = this.queue.indexOf(call);
    if (i >= 0) this.queue.splice(i, 1);
    call.state = 'ended';
    this.calls.delete(call.id);
    this.report(call, reason);
    if (tell.caller !== undefined) call.caller.terminal.callEnded(call.id, tell.caller);
    if (tell.callee !== undefined) call.callee?.terminal.callEnded(call.id, tell.callee);
    this.serveQueue();
  }

  private clearTimer(call: Call): void {
    if (call.timer !== undefined) this.clock.clearTimeout(call.timer);
    call.timer = undefined;
  }

  private report(call: Call, reason?: CallEndReason): void {
    this.emit({
      type: 'call',
      at: this.clock.now(),
      callId: call.id,
      state: call.state,
      from: call.caller.msisdn,
      dialled: call.dialled,
      to: call.callee?.msisdn,
      emergency: call.emergency,
      ...(reason !== undefined ? { reason } : {}),
    });
  }
}
