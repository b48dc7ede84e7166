// Incoming SMS of one line: read from the modem's storage (at start-up, on +CMTI, and periodically) or taken
// from a direct +CMT, and handed to the core with a release() that deletes the stored copy.
//
//   AT+CMGL=4  -> +CMGL: 1,0,,24 / 07914477580160F5040C9144... / OK     everything stored (start-up, rescans)
//   +CMTI: "SM",3  -> AT+CMGR=3 -> +CMGR: 0,,24 / <PDU> / OK             one new message
//   +CMT: ,24 / <PDU>                                                    direct delivery: nothing to delete
//   release(): AT+CMGR=3 (still the same PDU?) -> AT+CMGD=3
//
// Nothing is deleted before the core has stored it (it calls release() only then). release() first reads the
// slot back: a duplicate hand-out (a rescan after a reconnect re-delivers what was not yet released) must not
// delete a NEWER message that the modem has since stored in the slot the first release emptied. Releases of a
// line run one at a time, so no other delete can come between the read-back and the delete.
// A message whose release fails stays on the modem and is handed out again by the next scan: the core sees a
// duplicate, which its anti-replay window drops. Except when the modem refused the delete itself (a final
// ERROR to AT+CMGD: a SIM that refuses writes, +CMS ERROR: 320): the core has the message, and handing it out
// at every scan would store it again every minute (1,440 times a day) for as long as the SIM refuses. Such a
// message is remembered (slot and PDU, until the line reconnects) and each scan retries only its delete; the
// storage warning (sim-storage.ts) shows the slots it keeps.

import type { Clock } from '../../protocol/time/clock.js';
import { monotonicOf } from '../../protocol/time/monotonic.js';
import { cmgd, cmgl, cmgr, parseCmgl, parseCmgr, parseCmt, parseCmti, type AtEngine, type AtResult, type PendingCommand, type Urc } from '../../protocol/at/index.js';
import { describeResult } from './describe-result.js';
import type { IncomingSms, LineId, LineMetrics } from './types.js';

/** Timings, in ms. */
export interface IntakeTimings {
  /** A message handed out but neither released nor failed for this long is handed out again by a scan (default 300000). */
  readonly redeliverAfterMs: number;
}

export const DEFAULT_INTAKE_TIMINGS: IntakeTimings = { redeliverAfterMs: 300_000 };

/** What the intake needs from its line. */
export interface IntakeHost {
  readonly lineId: LineId;
  readonly clock: Clock;
  /** The line's engine while it is connected and initialised, else undefined. */
  engine(): AtEngine | undefined;
  deliver(sms: IncomingSms): void;
  readonly metrics: LineMetrics;
  warn(message: string): void;
}

/** A message handed out to the core, and when (monotonic ms). */
type HandedOut = { readonly pdu: string; readonly at: number };

/** +CMTI reads queued or running at most; past this an indication is served by a listing (see onUrc). */
const MAX_READS_QUEUED = 32;

/** Corrupt entries remembered per connection (see scan); past this the memory starts again (recounting some). */
const MAX_CORRUPT_SEEN = 1000;

/** See the file comment. */
export class MessageIntake {
  private readonly handedOut = new Map<number, HandedOut>();
  /** Corrupt storage entries already counted on this connection (a rescan finds them again). */
  private readonly corruptSeen = new Set<string>();
  /** Stored by the core, delete refused by the modem: slot -> PDU (see the file comment). */
  private readonly undeletable = new Map<number, string>();
  /** Slots whose AT+CMGR (after +CMTI) is queued or running: a modem repeating its +CMTI (some do until the
   * slot is read) must not queue one read per repeat behind a slow command. */
  private readonly reading = new Set<number>();
  private releases: Promise<unknown> = Promise.resolve();
  /** The scan whose AT+CMGL=4 was queued last (see scan). */
  private scanQueued: { readonly job: PendingCommand; readonly done: Promise<boolean> } | undefined;

  /** Monotonic ms (protocol/time/monotonic.ts): a wall clock stepped back must not hold back a redelivery. */
  private readonly mono: () => number;

  constructor(
    private readonly host: IntakeHost,
    private readonly timings: IntakeTimings = DEFAULT_INTAKE_TIMINGS,
  ) {
    this.mono = monotonicOf(host.clock);
  }

  /** A new connection: what was handed out before may not have been stored; hand everything out again. */
  forget(): void {
    this.handedOut.clear();
    this.corruptSeen.clear();
    this.undeletable.clear();
  }

  /** Takes +CMTI and +CMT; returns false for other URCs. */
  onUrc(urc: Urc): boolean {
    if (urc.name === '+CMTI') {
      const p = parseCmti(urc.line);
      if (!p.ok) {
        this.count(p.failure, `${urc.line}: ${p.reason}`);
        void this.scan();
      } else {
        const index = p.value.index;
        if (this.reading.has(index)) return true;
        // Past MAX_READS_QUEUED reads waiting, a listing (one, shared: see scan) reads what the indications name: a
        // flood of +CMTI for distinct slots (a broken or garbled modem: 2,000 in a burst) queued a read each, and an
        // ATA behind them all.
        if (this.reading.size >= MAX_READS_QUEUED) {
          void this.scan();
          return true;
        }
        this.reading.add(index);
        void this.read(index).finally(() => this.reading.delete(index));
      }
      return true;
    }
    if (urc.name === '+CMT') {
      const p = parseCmt(urc.line, urc.body);
      if (!p.ok) this.count(p.failure, `${urc.line}: ${p.reason}`);
      else this.handOut(null, p.value.pdu);
      return true;
    }
    return false;
  }

  /**
   * AT+CMGL=4: hands out every stored message not already out. Resolves false if the modem did not list them.
   * A scan asked for while another one's AT+CMGL is still queued (not yet written) is that one: each failed read
   * asks for a scan, and a burst of them (a backlog of +CMTI after an outage, each refused) queued one full listing
   * per message, with an ATA for a 999 call behind them all. One already written may have been listed before the
   * message that asks now was stored, so then a new one is queued.
   */
  scan(): Promise<boolean> {
    const engine = this.host.engine();
    if (engine === undefined) return Promise.resolve(false);
    const queued = this.scanQueued;
    if (queued !== undefined && queued.job.queued) return queued.done;
    const job = engine.enqueue(cmgl(4));
    const done = this.listed(job.result);
    this.scanQueued = { job, done };
    return done;
  }

  private async listed(result: Promise<AtResult>): Promise<boolean> {
    const r = await result;
    if (r.status === 'closed') return false; // as in read(): the next connection scans again
    if (r.status !== 'final' || !r.ok) {
      this.host.warn(`listing stored SMS failed: ${describeResult(r)}`);
      return false;
    }
    // Entry by entry, so that one corrupt entry does not hold back the others.
    for (let i = 0; i < r.lines.length; i++) {
      const line = r.lines[i] as string;
      if (!line.startsWith('+CMGL:')) continue;
      // The PDU line, unless the entry had none (an empty PDU line is dropped: the next entry follows at once).
      const next = r.lines[i + 1];
      const pdu = next === undefined || next.startsWith('+CMGL:') ? undefined : next;
      const entry = parseCmgl(pdu === undefined ? [line] : [line, pdu]);
      if (pdu !== undefined) i++;
      const sms = entry.ok ? entry.value[0] : undefined;
      if (!entry.ok) {
        // Keyed by index and PDU line: the <stat> in the +CMGL line changes once the modem has listed it.
        const key = `${/^\+CMGL:\s*(\d+)/.exec(line)?.[1] ?? line}\n${pdu ?? ''}`;
        if (!this.corruptSeen.has(key)) this.count(entry.failure, `${line}: ${entry.reason} (left on the modem)`);
        // Bounded: line noise makes each damaged reading of an entry a new key, for as long as a connection lasts.
        if (this.corruptSeen.size >= MAX_CORRUPT_SEEN) this.corruptSeen.clear();
        this.corruptSeen.add(key);
      } else if (sms?.index !== undefined && sms.stat <= 1) {
        if (this.undeletable.get(sms.index) === sms.pdu) this.retryDelete(sms.index, sms.pdu);
        else this.handOut(sms.index, sms.pdu);
      }
    }
    return true;
  }

  /** A message the core has, whose delete the modem refused: the delete again, without handing it out. */
  private retryDelete(index: number, pdu: string): void {
    this.release(index, pdu).catch(() => undefined); // still refused: it stays remembered, retried at the next scan
  }

  /** AT+CMGR=<index> after +CMTI. */
  private async read(index: number): Promise<void> {
    const engine = this.host.engine();
    if (engine === undefined) return;
    const r = await engine.send(cmgr(index));
    // The line closing (the gateway stopping, or its link lost, which the line reports itself): not a fault of
    // this message, which stays stored on the SIM for the next connection's scan. It warned at every clean stop.
    if (r.status === 'closed') return;
    if (r.status !== 'final' || !r.ok) {
      this.host.warn(`reading stored SMS ${index} failed (${describeResult(r)}); the storage will be rescanned`);
      void this.scan();
      return;
    }
    const p = parseCmgr(r.lines);
    if (p.ok) {
      this.handOut(index, p.value.pdu);
      return;
    }
    this.count(p.failure, `AT+CMGR=${index}: ${p.reason}`);
    // An unreadable answer is a failed read too: line noise in the PDU line would otherwise leave the message
    // until the periodic scan (a minute for an alarm); a listing reads it again now.
    if (p.failure === 'corrupt') void this.scan();
  }

  private handOut(index: number | null, pdu: string): void {
    const now = this.mono();
    if (index !== null) {
      const out = this.handedOut.get(index);
      if (out !== undefined && out.pdu === pdu && now - out.at < this.timings.redeliverAfterMs) return;
      this.handedOut.set(index, { pdu, at: now });
    }
    this.host.metrics.smsReceived++;
    this.host.deliver({
      lineId: this.host.lineId,
      pdu,
      index,
      receivedAt: this.host.clock.now(), // wall time: stored as the report's time (now is monotonic, for the window)
      release: index === null ? () => Promise.resolve() : () => this.release(index, pdu),
    });
  }

  /** Deletes the message at `index` if the slot still holds `pdu`; one release at a time per line. */
  private release(index: number, pdu: string): Promise<void> {
    const run = this.releases.then(() => this.deleteIfSame(index, pdu));
    this.releases = run.catch(() => undefined);
    return run;
  }

  private async deleteIfSame(index: number, pdu: string): Promise<void> {
    const forget = (): void => {
      if (this.handedOut.get(index)?.pdu === pdu) this.handedOut.delete(index);
    };
    const fail = (why: string): never => {
      forget(); // the next scan hands it out again
      throw new Error(`${this.host.lineId}: SMS ${index} not deleted (${why}); it stays on the modem`);
    };
    const engine = this.host.engine();
    if (engine === undefined) return fail('line down');
    const check = await engine.send(cmgr(index));
    if (check.status !== 'final' || !check.ok) return fail(`read-back: ${describeResult(check)}`);
    const now = parseCmgr(check.lines);
    // A read-back whose header this parser does not know (gammu's tests/at-sms/38: `+CMGR: 24`, the length
    // alone) but that carries the very PDU is the same message: never deleting it had it handed out and
    // stored again at every scan, and its slot was never freed.
    const same = now.ok ? now.value.pdu === pdu : check.lines.some((l) => l.trim() === pdu);
    if (!same) {
      forget(); // already deleted (empty slot), or the slot holds another message now: nothing to do
      if (this.undeletable.get(index) === pdu) this.undeletable.delete(index);
      return;
    }
    const del = await engine.send(cmgd(index));
    if (del.status === 'final' && !del.ok) {
      // Refused (not lost on the way): the core has it; only the delete is retried (see the file comment).
      if (this.undeletable.get(index) !== pdu) this.host.warn(`SMS ${index} stored but the modem refuses to delete it (${describeResult(del)}); the delete is retried at every scan`);
      this.undeletable.set(index, pdu);
      throw new Error(`${this.host.lineId}: SMS ${index} not deleted (${describeResult(del)}); it stays on the modem`);
    }
    if (del.status !== 'final' || !del.ok) return fail(describeResult(del));
    forget();
    this.undeletable.delete(index);
    this.host.metrics.smsDeleted++;
  }

  private count(failure: 'not-mine' | 'corrupt', detail: string): void {
    if (failure === 'corrupt') this.host.metrics.smsCorrupt++;
    else this.host.metrics.smsNotMine++;
    this.host.warn(`SMS line ${failure}: ${detail}`);
  }
}
