// The calls of one modem line, from what the modem says (RING, +CRING, +CLIP, NO CARRIER, +CLCC) and what we
// did (ATA, ATH), to one event per step: ringing (once per call), answered, ended (by whom).
//
//   RING                              -> wait up to clipWaitMs for +CLIP (docs/lines.md, "Caller id")
//   +CLIP: "+447700900456",145,,,,0  -> ringing, number "+447700900456", toa 145
//   +CLIP: "",128,,,,1               -> ringing, number null (withheld)
//   +CLIP: "+447700900456",145,,,,1  -> ringing, number "+447700900456" (withheld, given to an emergency line)
//   RING (again every few seconds)    -> same call: nothing
//   NO CARRIER while ringing          -> ended by caller (the caller gave up; SIMCom-style modems say so)
//   no RING for ringSilenceMs         -> AT+CLCC: no incoming call listed -> ended by caller
//   ATA -> OK                         -> answered
//   NO CARRIER in a call              -> ended by caller (or by handler while our ATH runs)
//   ^CEND:1,5,29,16, HANGUP: 1        -> the same as NO CARRIER (Huawei, ZTE say only this when a call ends)
//   ATH/AT+CHUP -> OK                 -> ended by handler
//   modem rebooted                    -> ended by network (a restart drops the call)
//   link lost (port closed, no answer) -> a ringing call: ended by network; an answered one stays answered for
//                                       up to LINK_GRACE_MS: the call lives in the modem and the network, not in
//                                       the serial link (a device server's TCP blip), and the handler is still
//                                       talking to her. The line's first poll once it is back asks AT+CLCC: still
//                                       listed, nothing changes; gone, ended by network. No line by then: ended
//                                       by network. A RING or +CLIP meanwhile is a new caller (the modem rings
//                                       only with no call up): the old call ended by network, the new one rings
//
// RING without +CLIP within clipWaitMs (CLIP off, a modem that sends it late, or none at all) is settled by
// AT+CLCC, which lists the caller's number whatever the CLIP setting: a TecSOS handset must be flagged as one,
// and a ringing call must never wait long for a number it may never get. An AT+CLCC that the modem answered with
// no number (refused, AT+CPAS instead, an entry with no number field) is asked once more after another
// clipWaitMs; then the call rings with number null. One it did not answer at all is not asked again then: each
// costs its timeout (5 s) and a resynchronisation probe before her call is shown. A number that comes after that (a
// +CLIP, or AT+CLCC asked again at the next RINGs, at most IDENTIFY_LIST_LIMIT times, after a list with no answer
// only once SILENT_RETRY_MS have passed and never after SILENT_LIST_LIMIT in a row, each abandoned when the handler
// answers or hangs up meanwhile (modem-line.ts callAction), or at a silence check or poll)
// is reported as `identified`, once: ringing or answered, her call must still be flagged as TecSOS. The number is read from HER call's entry only (herEntry: her call index once
// known, and the state her call is in: incoming while ringing, active once answered), never from a waiting call
// (stat 5: another caller, behind her). A caller the modem said was withheld (a +CLIP or +CLCC entry with an
// empty or withheld number) and a number already reported are never identified again.

import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import { parseClip, type CallEntry, type Urc } from '../../protocol/at/index.js';
import type { CallList } from './call-list.js';
import type { LineCallEvent, LineId } from './types.js';

/**
 * What the tracker reads from the modem: AT+CLCC's entries (on a modem without AT+CLCC, what AT+CPAS tells:
 * call-list.ts), null when the modem answered but cannot say, 'silent' when it did not answer. `urgent`:
 * ahead of the commands queued (a hang-up waits on it: see checkBeforeHangUp; a ringing call without +CLIP is
 * not shown until it answers: see settleNumber). `numberOnly`: asked for her number alone (identifyFromList):
 * AT+CLCC only, and it gives way to an ATA (the line does not send it once a call action waits). Any list still
 * running when the handler answers or hangs up is abandoned (null: modem-line.ts callAction), so the ATA / ATH
 * does not wait for its answer.
 */
export type ListCalls = (urgent?: boolean, numberOnly?: boolean) => Promise<CallList>;

/** Timings of the tracker, in ms. */
export interface CallTrackerTimings {
  /** Longest wait for +CLIP after the first RING before asking AT+CLCC (default 300). */
  readonly clipWaitMs: number;
  /** No RING for this long while ringing: ask AT+CLCC whether the call is still there (default 10000). */
  readonly ringSilenceMs: number;
}

export const DEFAULT_CALL_TIMINGS: CallTrackerTimings = { clipWaitMs: 300, ringSilenceMs: 10_000 };

/**
 * Silence checks in a row that AT+CLCC could not settle (ERROR and no AT+CPAS either, no answer) before a ringing
 * call is taken to have ended: a modem that cannot list its calls and does not say NO CARRIER when a caller gives
 * up would otherwise leave the call ringing in the console for ever. With the default timings: 30 s without a RING.
 */
export const UNSETTLED_SILENCE_LIMIT = 3;

/**
 * AT+CLCC asked at the RINGs of a call that rings with number null because the modem could not say it (see the
 * file comment): a modem with CLIP off whose AT+CLCC was refused during call set-up. Bounded: a modem without
 * AT+CLCC costs this many AT+CLCC (and AT+CPAS) per such call, not one per RING for as long as it rings.
 */
export const IDENTIFY_LIST_LIMIT = 3;

/**
 * Lists about her call in a row that got no answer at all (AT+CLCC timed out) after which AT+CLCC is no longer
 * asked at her RINGs for her number. One silence can be passing (a modem busy as her call sets up, then answering
 * AT+CLCC with her number): her TecSOS call must not ring its whole ringing time unflagged for it. But an ask
 * already written is abandoned when an ATA is asked (modem-line.ts callAction), but each costs its timeout (5 s)
 * and a resynchronisation probe: on a modem that never answers AT+CLCC, one more ask per call (the caller id
 * wait's, then one at a RING), not one per RING.
 */
export const SILENT_LIST_LIMIT = 2;

/**
 * After a list that got no answer, AT+CLCC is asked again at a RING only this long after it (ms): not at the RING
 * right after her call is shown, when the handler is most likely to press Answer, and giving a busy modem time.
 */
export const SILENT_RETRY_MS = 10_000;

/**
 * How long an answered call outlives a lost link to its modem before it is taken to have ended: the line's
 * longest reconnect pause (30 s) plus its initialisation, twice.
 */
export const LINK_GRACE_MS = 90_000;

/** The phase of the line's one call. `announced`: RING seen, number not settled, nothing reported yet. */
export type CallPhase = 'idle' | 'announced' | 'ringing' | 'active';

/** The URCs this tracker takes (the line routes these here). */
export const CALL_URCS: ReadonlySet<string> = new Set(['RING', '+CRING', '+CLIP', 'NO CARRIER', '^CEND', 'HANGUP']);

/** See the file comment. One per line; survives reconnects (the line calls {@link lineLost}). */
export class CallTracker {
  private phaseNow: CallPhase = 'idle';
  private firstSignalAt = 0;
  private clipTimer: TimerHandle | undefined;
  private silenceTimer: TimerHandle | undefined;
  private hangingUp = false;
  /** Silence checks in a row AT+CLCC could not settle (see UNSETTLED_SILENCE_LIMIT). */
  private unsettled = 0;
  /** Whether our ATH / AT+CHUP has been written (a NO CARRIER before that is the caller's). */
  private hangUpSent: () => boolean = () => true;
  /** Bumped at every phase change, so an AT+CLCC answer that comes back late is not applied to a newer call. */
  private epoch = 0;
  /** An answered call not seen by the modem since its link was lost (see lineLost). */
  private unconfirmed = false;
  private linkTimer: TimerHandle | undefined;
  /** The call was reported with number null because the modem could not say it (not withheld): see identify. */
  private numberPending = false;
  /** AT+CLCC asked at RINGs for a pending number (see IDENTIFY_LIST_LIMIT). */
  private identifyLists = 0;
  /** The caller id wait has asked AT+CLCC once already (see settleNumber). */
  private listedOnce = false;
  /** Lists asked about this call in a row that got no answer (see SILENT_LIST_LIMIT), the last at silentAt. */
  private silentLists = 0;
  private silentAt = 0;
  /** Her call's index in AT+CLCC (27.007 idx), once a list showed it (see herEntry). */
  private callIndex: number | undefined;

  constructor(
    private readonly lineId: LineId,
    private readonly clock: Clock,
    private readonly emit: (e: LineCallEvent) => void,
    private readonly listCalls: ListCalls,
    private readonly timings: CallTrackerTimings = DEFAULT_CALL_TIMINGS,
  ) {}

  get phase(): CallPhase {
    return this.phaseNow;
  }

  /** A call is ringing or connected (the line is not free for an outgoing SMS). */
  get inCall(): boolean {
    return this.phaseNow !== 'idle';
  }

  /** Takes one of {@link CALL_URCS}; other URCs are ignored. */
  onUrc(urc: Urc): void {
    switch (urc.name) {
      case 'RING':
      case '+CRING':
        this.ring();
        return;
      case '+CLIP':
        this.clip(urc.line);
        return;
      case 'NO CARRIER':
      case '^CEND':
      case 'HANGUP':
        this.carrierLost();
        return;
      default:
        return;
    }
  }

  /** ATA answered OK. */
  answered(): void {
    if (this.phaseNow === 'announced') {
      this.reportRinging(null, undefined); // answered before the number was settled: it may still come
      this.numberPending = true;
    }
    if (this.phaseNow !== 'ringing') return;
    this.enter('active');
    this.emit({ kind: 'answered', lineId: this.lineId, at: this.clock.now() });
  }

  /** ATA answered NO CARRIER: the call had already gone. */
  answerFailed(): void {
    this.end('caller');
  }

  /** Our ATH / AT+CHUP is about to be sent: a NO CARRIER meanwhile is the handler's doing. */
  hangUpStarted(sent: () => boolean = () => true): void {
    this.hangingUp = true;
    this.hangUpSent = sent;
  }

  /** Our ATH / AT+CHUP finished: OK ends the call by the handler. */
  hangUpFinished(ok: boolean): void {
    this.hangingUp = false;
    if (ok) this.end('handler');
  }

  /**
   * The line was lost. `restart`: the modem rebooted, and its call with it. `link`: the port closed or the modem
   * stopped answering; an answered call may still be up (see the file comment), so it waits for the line.
   */
  lineLost(cause: 'link' | 'restart'): void {
    if (cause === 'link' && this.phaseNow === 'active' && !this.hangingUp) {
      this.unconfirmed = true;
      this.linkTimer ??= this.clock.setTimeout(() => {
        this.linkTimer = undefined;
        this.end('network');
      }, LINK_GRACE_MS);
      return;
    }
    this.end('network');
  }

  /**
   * A call the store says was answered on this line when the gateway stopped (a restart: the tracker starts
   * idle, and a call ended while the gateway was down would otherwise stay "answered" until the next ring on
   * the line, hours later). It is taken as a call whose link was lost: the first poll once the line is up asks
   * AT+CLCC (still listed: it goes on; gone: ended by network), and with no answer within LINK_GRACE_MS it is
   * ended by network. Nothing when the tracker already follows a call (that one settles the line's state).
   */
  adoptAnswered(): void {
    if (this.phaseNow !== 'idle') return;
    this.enter('active');
    this.lineLost('link');
  }

  /** An answered call not seen by the modem since its link was lost or the gateway restarted (see lineLost). */
  get unconfirmedCall(): boolean {
    return this.phaseNow === 'active' && this.unconfirmed;
  }

  /**
   * Before the handler's hang-up of an unconfirmed call: the poll's AT+CLCC, asked ahead of the commands queued
   * (the ATH it comes before is urgent). True when that same call is still up, or the modem could not tell: the
   * ATH may go. False when it ended meanwhile (gone from the list: ended by network) or another call came while
   * AT+CLCC waited (its RING: an ATH would reject that caller, or cut her off once another handler answered her).
   */
  async checkBeforeHangUp(): Promise<boolean> {
    const epoch = this.epoch;
    await this.poll(true);
    return epoch === this.epoch && this.phaseNow === 'active';
  }

  /** Periodic check while in a call: a call the modem no longer lists ended (a NO CARRIER we missed). */
  async poll(urgent = false): Promise<void> {
    if (this.phaseNow !== 'active' || this.hangingUp) return;
    const epoch = this.epoch;
    const calls = await this.list(urgent);
    if (calls === null || epoch !== this.epoch || this.hangingUp) return;
    if (!calls.some((c) => c.direction === 'incoming' && c.state !== 'incoming' && c.state !== 'waiting')) {
      // Gone while the link was down: who ended it is not known.
      this.end(this.unconfirmed ? 'network' : 'caller');
      return;
    }
    this.unconfirmed = false;
    this.clearLinkTimer();
    this.identifyFrom(calls);
  }

  /** Stops the timers (the line is closing for good). */
  close(): void {
    this.clearTimers();
  }

  private ring(): void {
    switch (this.phaseNow) {
      case 'idle':
        this.enter('announced');
        this.firstSignalAt = this.clock.now();
        this.clipTimer = this.clock.setTimeout(() => void this.settleNumber(), this.timings.clipWaitMs);
        return;
      case 'ringing':
        this.unsettled = 0;
        this.armSilence();
        // After a list with no answer, spaced and bounded: each ask could cost a timeout, an ATA behind it.
        if (this.numberPending && this.identifyLists < IDENTIFY_LIST_LIMIT && this.mayAskAfterSilence()) {
          this.identifyLists++;
          void this.identifyFromList();
        }
        return;
      case 'active':
        // An answered call not seen since the link came back: the modem rings only with no call up (a waiting
        // call is +CCWA), so it ended while the link was down and this is a new caller.
        if (this.unconfirmed) {
          this.end('network');
          this.ring();
        }
        return;
      case 'announced':
        return;
      default: {
        const never: never = this.phaseNow;
        return never;
      }
    }
  }

  private clip(line: string): void {
    const id = parseClip(line);
    if (this.phaseNow === 'ringing') {
      this.unsettled = 0;
      this.armSilence();
      if (id.ok && id.value.number !== undefined) this.identify(id.value.number, id.value.type);
      return;
    }
    if (this.phaseNow === 'active') {
      if (!this.unconfirmed) {
        if (id.ok && id.value.number !== undefined) this.identify(id.value.number, id.value.type);
        return;
      }
      if (!id.ok) return;
      this.end('network'); // a new caller: the unconfirmed call ended while the link was down (see ring)
    }
    if (!id.ok) return; // unreadable: the CLIP wait and AT+CLCC settle the number
    if (this.phaseNow === 'idle') this.firstSignalAt = this.clock.now(); // +CLIP before RING (some modems)
    this.reportRinging(id.value.number ?? null, id.value.type);
  }

  /**
   * No +CLIP in time: AT+CLCC says who is calling (or that nobody is any more). A call the modem lists as up
   * (answered by itself: auto-answer, S0 in its saved profile) is that caller, connected: ringing then answered,
   * as in ringSilence, not a missed call while she is on the line.
   */
  private async settleNumber(): Promise<void> {
    this.clipTimer = undefined;
    if (this.phaseNow !== 'announced') return;
    const epoch = this.epoch;
    // Urgent: the call is not shown until this answers; it must not wait behind the SMS reads queued (her ALM
    // report comes just before her call; up to 32 reads after an outage).
    const calls = await this.list(true);
    if (this.phaseNow !== 'announced' || epoch !== this.epoch) return;
    const ringing = calls?.find((c) => c.direction === 'incoming' && (c.state === 'incoming' || c.state === 'waiting'));
    const up = ringing === undefined ? calls?.find((c) => c.direction === 'incoming' && c.state === 'active') : undefined;
    const caller = ringing ?? up;
    const number = numberOf(caller);
    // Still ringing and the modem answered without saying who (AT+CLCC refused, AT+CPAS answered instead, no
    // number field): once more after another wait, during which a +CLIP may come (a refusal during call set-up is
    // often passing). Not after no answer at all: another timeout would hold her call back as long again.
    const unknown = number === null && !saysWithheld(caller) && (calls === null || ringing !== undefined);
    if (unknown && this.silentLists === 0 && !this.listedOnce) {
      this.listedOnce = true;
      this.clipTimer = this.clock.setTimeout(() => void this.settleNumber(), this.timings.clipWaitMs);
      return;
    }
    this.reportRinging(number, number === null ? undefined : caller?.type);
    this.numberPending = number === null && !saysWithheld(caller);
    this.noteIndex(caller);
    if (up !== undefined) this.answeredByModem();
    // The modem answered and lists no call of hers: it rang and stopped before we looked (a missed call).
    else if (calls !== null && ringing === undefined) this.end('caller');
  }

  /** The modem lists the ringing call as up without our ATA (auto-answer, S0): report it as it is. */
  private answeredByModem(): void {
    this.enter('active');
    this.emit({ kind: 'answered', lineId: this.lineId, at: this.clock.now() });
  }

  /**
   * A number for a call reported with number null because the modem could not say it: `identified`, once. A call
   * reported with a number, or withheld, is never identified again (a number already shown is never replaced).
   */
  private identify(number: string, toa: number | undefined): void {
    if (!this.numberPending || (this.phaseNow !== 'ringing' && this.phaseNow !== 'active')) return;
    this.numberPending = false;
    this.emit({ kind: 'identified', lineId: this.lineId, at: this.clock.now(), number, toa });
  }

  /**
   * Her number from her entry in a list of the modem's calls (see identify and herEntry). Her entry with an empty
   * or withheld number: the modem has said there is none to give, and nothing more is waited for.
   */
  private identifyFrom(calls: readonly CallEntry[] | null): void {
    if (!this.numberPending || calls === null) return;
    const her = this.herEntry(calls);
    if (her === undefined) return;
    this.noteIndex(her);
    const number = numberOf(her);
    if (number !== null) this.identify(number, her.type);
    else if (saysWithheld(her)) this.numberPending = false;
  }

  /**
   * Her call's entry in the modem's list: incoming, in the state her call is in (incoming while ringing, active
   * once answered), with her call index when a list showed it. Never a waiting call (stat 5): that is another
   * caller behind her, and her call flagged with that caller's number would show the handler talking to her
   * another person's call (a TecSOS handset's: its victim's record, an incident opened for it).
   */
  private herEntry(calls: readonly CallEntry[]): CallEntry | undefined {
    const state = this.phaseNow === 'active' ? 'active' : 'incoming';
    return calls.find((c) => c.direction === 'incoming' && c.state === state && (this.callIndex === undefined || c.index === this.callIndex));
  }

  /** Takes her call's index from her entry (AT+CPAS's entries have none: index 0, call-list.ts). */
  private noteIndex(her: CallEntry | undefined): void {
    if (her !== undefined && her.index > 0 && (her.state === 'incoming' || her.state === 'active')) this.callIndex ??= her.index;
  }

  /**
   * AT+CLCC at a RING of a call whose number is pending (see IDENTIFY_LIST_LIMIT): her number alone, so no
   * AT+CPAS, never ahead of an ATA (the line drops it once a call action waits: the handler answering a 999 call
   * comes first), and abandoned when an ATA is asked for while it is written (modem-line.ts callAction).
   */
  private async identifyFromList(): Promise<void> {
    const epoch = this.epoch;
    const calls = await this.list(true, true);
    if (epoch !== this.epoch) return;
    this.identifyFrom(calls);
  }

  /**
   * AT+CLCC may be asked at a RING for her number, as far as silence goes: the last list was answered, or it was
   * not, fewer than SILENT_LIST_LIMIT in a row, and SILENT_RETRY_MS ago (see SILENT_LIST_LIMIT).
   */
  private mayAskAfterSilence(): boolean {
    if (this.silentLists === 0) return true;
    return this.silentLists < SILENT_LIST_LIMIT && this.clock.now() - this.silentAt >= SILENT_RETRY_MS;
  }

  /** The modem's calls (null: it cannot say), counting the lists in a row it did not answer (silentLists). */
  private async list(urgent: boolean, numberOnly = false): Promise<readonly CallEntry[] | null> {
    const epoch = this.epoch;
    const listed = await this.listCalls(urgent, numberOnly);
    if (epoch === this.epoch) {
      if (listed !== 'silent') this.silentLists = 0;
      else {
        this.silentLists++;
        this.silentAt = this.clock.now();
      }
    }
    return listed === 'silent' ? null : listed;
  }

  private reportRinging(number: string | null, toa: number | undefined): void {
    this.enter('ringing');
    this.armSilence();
    this.emit({ kind: 'ringing', lineId: this.lineId, at: this.firstSignalAt, number, toa });
  }

  private carrierLost(): void {
    if (this.phaseNow === 'idle') return;
    this.end(this.hangingUp && this.hangUpSent() ? 'handler' : 'caller');
  }

  private armSilence(): void {
    if (this.silenceTimer !== undefined) this.clock.clearTimeout(this.silenceTimer);
    this.silenceTimer = this.clock.setTimeout(() => void this.ringSilence(), this.timings.ringSilenceMs);
  }

  /** RING stopped without NO CARRIER: AT+CLCC decides whether the call is still there. */
  private async ringSilence(): Promise<void> {
    this.silenceTimer = undefined;
    if (this.phaseNow !== 'ringing') return;
    const epoch = this.epoch;
    const calls = await this.list(false);
    if (this.phaseNow !== 'ringing' || epoch !== this.epoch) return;
    this.identifyFrom(calls);
    if (calls === null && ++this.unsettled >= UNSETTLED_SILENCE_LIMIT) {
      this.end('caller'); // no RING for that long, and the modem cannot list its calls: the ringing stopped
      return;
    }
    if (calls === null || calls.some((c) => c.direction === 'incoming' && (c.state === 'incoming' || c.state === 'waiting'))) {
      if (calls !== null) this.unsettled = 0;
      this.armSilence();
      return;
    }
    if (calls.some((c) => c.direction === 'incoming' && c.state === 'active')) {
      this.answeredByModem();
      return;
    }
    this.end('caller');
  }

  private end(by: 'caller' | 'handler' | 'network'): void {
    if (this.phaseNow === 'idle') return;
    if (this.phaseNow === 'announced') this.reportRinging(null, undefined); // never drop a call unreported
    this.enter('idle');
    this.emit({ kind: 'ended', lineId: this.lineId, at: this.clock.now(), endedBy: by });
  }

  private enter(phase: CallPhase): void {
    this.phaseNow = phase;
    this.epoch++;
    this.unsettled = 0;
    if (phase !== 'active') {
      this.unconfirmed = false;
      this.clearLinkTimer();
    }
    if (phase === 'idle' || phase === 'announced') {
      this.numberPending = false;
      this.identifyLists = 0;
      this.listedOnce = false;
      this.silentLists = 0;
      this.callIndex = undefined;
    }
    if (phase !== 'announced' && this.clipTimer !== undefined) {
      this.clock.clearTimeout(this.clipTimer);
      this.clipTimer = undefined;
    }
    if (phase !== 'ringing') {
      if (this.silenceTimer !== undefined) this.clock.clearTimeout(this.silenceTimer);
      this.silenceTimer = undefined;
    }
  }

  private clearTimers(): void {
    if (this.clipTimer !== undefined) this.clock.clearTimeout(this.clipTimer);
    if (this.silenceTimer !== undefined) this.clock.clearTimeout(this.silenceTimer);
    this.clipTimer = undefined;
    this.silenceTimer = undefined;
    this.clearLinkTimer();
  }

  private clearLinkTimer(): void {
    if (this.linkTimer !== undefined) this.clock.clearTimeout(this.linkTimer);
    this.linkTimer = undefined;
  }
}

/**
 * The caller's number in a call list's entry, when it gives one: non-empty, validity valid, or withheld with the
 * number given all the same (27.007's override category, an emergency service's line: protocol/at calls.ts).
 */
function numberOf(c: CallEntry | undefined): string | null {
  const validity = c?.validity ?? 'valid';
  return c?.number !== undefined && c.number !== '' && (validity === 'valid' || validity === 'withheld') ? c.number : null;
}

/** The modem listed the caller and said there is no number to give (withheld, or a number field left empty). */
function saysWithheld(c: CallEntry | undefined): boolean {
  return c !== undefined && (c.number !== undefined || (c.validity !== undefined && c.validity !== 'valid'));
}
