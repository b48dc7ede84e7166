// The outgoing report queue. A report is built once, when it is first sent: AT+CSQ for `q`, the next
// counter (persisted to flash before use), the GPS sentences captured when it was queued, the MAC. A report
// whose SMS fails (no network, +CMS ERROR) stays at the head and is resent with the same text (same n) after
// a backoff (10 s doubling to 2 min), or at once when the network comes back: the gateway drops duplicates
// by n, so resending is safe and nothing is lost. Reports go in the order they were queued, but an ALM goes
// right behind the head (see enqueue).
// A report cannot be numbered while flash has lost the counter and the clock is not known (flash.ts,
// counter-floor.ts): it stays at the head and is retried on the same backoff, as if the SMS had failed.
// Meanwhile every queued report (and each one queued later, after one more try to number the head) counts
// as attempted: the ALM's first attempt is what the 999 call waits for (up to 15 s, firmware.ts), and an
// ALM that cannot be numbered must not hold the call back.

import { createHmac } from 'node:crypto';
import { encodeReportSync, type HmacSha256Sync, type ReportEvent } from '../../protocol/report/index.js';
import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import type { Battery } from './battery.js';
import type { HandsetFlash } from './flash.js';
import type { HandsetModem } from './modem.js';

/** HMAC-SHA256 with node:crypto (the firmware may use node:*; protocol/ may not). */
export const nodeHmacSha256: HmacSha256Sync = (key, message) => new Uint8Array(createHmac('sha256', key).update(message).digest());

/** A report that went out: what the emulator page shows as "what it sent". */
export interface SentReport {
  readonly event: ReportEvent;
  readonly counter: number;
  readonly text: string;
  readonly sentAtMs: number;
}

/** What the queue did, for diagnostics. */
export interface ReportQueueStats {
  sent: number;
  retries: number;
  /** Dropped: the handset is not provisioned (no key or no gateway number), or a field could not be encoded. */
  unsendable: number;
  /** Attempts held back because the counter is lost from flash and the clock not known yet. */
  noCounter: number;
}

interface Item {
  readonly event: ReportEvent;
  readonly attempted: (sent: boolean) => void;
  readonly reading: { rmc: string; gga: string };
  text?: string;
  counter?: number;
}

const RETRY_FIRST_MS = 10_000;
const RETRY_MAX_MS = 120_000;

/** What the queue sends with. */
export interface ReportQueueDeps {
  readonly clock: Clock;
  readonly modem: HandsetModem;
  readonly flash: HandsetFlash;
  readonly battery: Battery;
  readonly handsetId: string;
  readonly hmac?: HmacSha256Sync;
}

/** The handset's outgoing TSR1 reports, sent one at a time in order, each resent until it goes out. */
export class ReportQueue {
  readonly stats: ReportQueueStats = { sent: 0, retries: 0, unsendable: 0, noCounter: 0 };
  readonly sent: SentReport[] = [];
  private readonly items: Item[] = [];
  private busy = false;
  private retryTimer: TimerHandle | undefined;
  private retryMs = RETRY_FIRST_MS;
  /** The head could not be numbered (counter lost, clock not known): retried on each new report too. */
  private noCounter = false;
  private readonly listeners = new Set<(r: SentReport) => void>();
  private readonly dropListeners = new Set<(event: ReportEvent) => void>();

  constructor(private readonly deps: ReportQueueDeps) {}

  /** Reports waiting (including one being sent). */
  get length(): number {
    return this.items.length;
  }

  /**
   * Queues a report with the sentences to carry (captured now: the fix at the moment of the event).
   * Resolves after its first attempt: true when it went out, false when it waits for a retry or cannot be sent.
   */
  enqueue(event: ReportEvent, reading: { rmc: string; gga: string }): Promise<boolean> {
    let attempted!: (sent: boolean) => void;
    const first = new Promise<boolean>((resolve) => {
      let done = false;
      attempted = (sent) => {
        if (!done) resolve(sent);
        done = true;
      };
    });
    const item: Item = { event, attempted, reading: { rmc: reading.rmc, gga: reading.gga } };
    if (event === 'ALM') {
      // An alarm does not wait behind the TRKs an outage piled up (40 after 20 min without network, each one
      // SMS, seconds apiece on a real modem): it goes right behind the head (which may be in flight, and keeps
      // its n) and behind earlier ALMs. n is taken at the first send, so it still rises in sending order.
      let i = Math.min(1, this.items.length);
      while (i < this.items.length && this.items[i]?.event === 'ALM') i++;
      this.items.splice(i, 0, item);
    } else this.items.push(item);
    if (this.noCounter && this.retryTimer !== undefined) this.kick();
    else void this.pump();
    return first;
  }

  /** Called after each report went out. */
  onSent(listener: (r: SentReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called for each report dropped as unsendable (`stats.unsendable`): it will never go out. */
  onDropped(listener: (event: ReportEvent) => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  /** Retry now (the network came back). */
  kick(): void {
    if (this.retryTimer === undefined) return;
    this.deps.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy || this.retryTimer !== undefined) return;
    this.busy = true;
    try {
      for (let item = this.items[0]; item !== undefined; item = this.items[0]) {
        const { config, key } = this.deps.flash.settings;
        if (key === undefined || config.gatewayNumber === '') {
          this.drop(item);
          continue;
        }
        if (item.text === undefined) {
          const q = await this.deps.modem.signal();
          const n = this.deps.flash.nextReportCounter();
          if (n === undefined) {
            this.noCounter = true;
            for (const waiting of this.items) waiting.attempted(false);
            this.stats.noCounter++;
            this.retryLater();
            return;
          }
          this.noCounter = false;
          item.counter = n;
          try {
            item.text = encodeReportSync(
              {
                handsetId: this.deps.handsetId,
                counter: item.counter,
                event: item.event,
                batteryPct: this.deps.battery.percent(),
                csq: q,
                rmc: item.reading.rmc,
                gga: item.reading.gga,
              },
              key,
              this.deps.hmac ?? nodeHmacSha256,
            );
          } catch {
            // A field no report may carry (a sentence over 80 characters): a defect, counted, never a crash.
            this.drop(item);
            continue;
          }
        }
        const ok = await this.deps.modem.sendSms(config.gatewayNumber, item.text, item.counter as number);
        this.deps.battery.smsSent();
        if (!ok) {
          item.attempted(false);
          this.stats.retries++;
          this.retryLater();
          return;
        }
        this.retryMs = RETRY_FIRST_MS;
        this.items.shift();
        this.stats.sent++;
        const r: SentReport = { event: item.event, counter: item.counter as number, text: item.text, sentAtMs: this.deps.clock.now() };
        this.sent.push(r);
        item.attempted(true);
        for (const l of this.listeners) l(r);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Drops the head for good: counted, its first attempt settled, and the drop listeners told. */
  private drop(item: Item): void {
    this.items.shift();
    this.stats.unsendable++;
    item.attempted(false);
    for (const l of this.dropListeners) l(item.event);
  }

  /** The head waits: 10 s doubling to 2 min, or until kick(). */
  private retryLater(): void {
    this.retryTimer = this.deps.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.pump();
    }, this.retryMs);
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
  }
}
