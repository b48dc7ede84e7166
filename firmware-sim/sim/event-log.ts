// What happened in the simulation, as the control API's `GET /api/events` and the emulator page show it:
// each report a handset sent (decoded: event, counter, battery, position), each call it made and how it went,
// its state changes, button gestures, and what a trainer or scenario changed (routes, faults). Events are
// numbered (`seq`) so a poller asks only for what is new (`?since=<seq>`); the log keeps the newest `capacity`
// events (a demo runs for hours).

import { decodeReport } from '../../protocol/report/index.js';
import { decodeSentence } from '../../protocol/nmea/decode-sentence.js';

/** A position as a report carried it (from its RMC), or null when the report had no fix. */
export interface ReportedPosition {
  readonly lat: number;
  readonly lon: number;
}

/** One entry of the log; `at` is the simulation clock (ms since the epoch). */
export type SimEvent =
  | {
      readonly seq: number;
      readonly at: number;
      readonly type: 'report';
      readonly handsetId: string;
      readonly event: string;
      readonly counter: number;
      readonly batteryPct: number;
      readonly csq: number;
      readonly position: ReportedPosition | null;
      /** The TSR1 text as sent (MAC included; the key never appears). */
      readonly text: string;
    }
  | {
      readonly seq: number;
      readonly at: number;
      readonly type: 'call';
      readonly handsetId: string | null;
      readonly callId: number;
      readonly state: string;
      readonly from: string;
      readonly dialled: string;
      /** The bank line (1-based) the call is offered to / connected with, when it is one. */
      readonly line: number | null;
      readonly emergency: boolean;
      readonly reason: string | null;
    }
  | { readonly seq: number; readonly at: number; readonly type: 'state'; readonly handsetId: string; readonly state: string }
  | { readonly seq: number; readonly at: number; readonly type: 'button'; readonly handsetId: string; readonly gesture: string }
  | { readonly seq: number; readonly at: number; readonly type: 'control'; readonly target: string; readonly detail: string };

/** An event before the log numbers it. */
export type SimEventInput = SimEvent extends infer E ? (E extends SimEvent ? Omit<E, 'seq'> : never) : never;

/** The bounded, numbered log (see the file comment). */
export class EventLog {
  private readonly entries: SimEvent[] = [];
  private nextSeq = 1;
  private readonly listeners = new Set<(e: SimEvent) => void>();

  constructor(private readonly capacity = 5000) {}

  add(input: SimEventInput): SimEvent {
    const e = { ...input, seq: this.nextSeq++ } as SimEvent;
    this.entries.push(e);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const l of [...this.listeners]) l(e);
    return e;
  }

  /** Events with seq > `since`, oldest first, at most `limit`. */
  since(since = 0, limit = 500): SimEvent[] {
    const out: SimEvent[] = [];
    for (const e of this.entries) {
      if (e.seq > since) out.push(e);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The seq of the newest event (0 when empty). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  onEvent(listener: (e: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * The log entry of a report a handset sent: its text decoded with protocol/report, its RMC with protocol/nmea.
 * Undefined for a text that is not a TSR1 report (the firmware only sends those; a defect would show here).
 */
export function reportEvent(at: number, text: string): SimEventInput | undefined {
  const r = decodeReport(text);
  if (!r.ok) return undefined;
  const rmc = decodeSentence(r.rmc);
  const position = rmc.ok && rmc.sentence.positionValid ? { lat: rmc.sentence.latitude, lon: rmc.sentence.longitude } : null;
  return {
    at,
    type: 'report',
    handsetId: r.handsetId,
    event: r.event,
    counter: r.counter,
    batteryPct: r.batteryPct,
    csq: r.csq,
    position,
    text,
  };
}
