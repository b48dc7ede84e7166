// The contract between the modem lines (gateway/lines: ports, AT engines, call tracking) and the gateway's
// core (gateway/core: reports, incidents, registry, events). The lines know AT and nothing of TecSOS; the
// core knows TecSOS and nothing of AT. Everything crossing here has already been parsed from the modem.

import type { SimStorage } from './sim-storage.js';

/** A control-room line's id: `L1`, `L2`, ... in configuration order. */
export type LineId = string;

/** A line's health, as the console and /metrics show it. */
export type LineState =
  /** Port not open (yet, or again after a fault); `detail` says why. */
  | 'down'
  /** Port open, modem being initialised. */
  | 'initialising'
  /** Initialised and registered on the network. */
  | 'up'
  /** Initialised but not registered (no coverage, SIM problem). */
  | 'unregistered';

export interface LineHealthReport {
  lineId: LineId;
  spec: string;
  state: LineState;
  /** 27.007 <stat> (1 home, 5 roaming, ...) of the domain that registers the line (+CREG, else +CEREG, else
   * +CGREG: registration.ts), or +CREG's when none does; null when unknown. */
  registration: number | null;
  /** The domain that registers the line: `cs` (calls and SMS), `eps` (LTE only: calls only by VoLTE), `ps` (packet
   * data only: no calls); null when not registered; absent until the first registration is read. */
  registeredIn?: 'cs' | 'ps' | 'eps' | null;
  /** +CSQ rssi 0..31, 99 unknown, null when not read yet. */
  csq: number | null;
  /** SMS storage where received messages go (AT+CPMS?, read after each storage scan); null or absent until
   * read, or when the modem does not say. Nearly full is in `detail` too (sim-storage.ts). */
  storage?: SimStorage | null;
  detail: string;
}

/**
 * An SMS the modem received, as PDU hex with the SMSC prefix (what +CMT / +CMGR / +CMGL carry).
 * `release()` deletes it from the modem's storage (AT+CMGD) or acknowledges it; the core calls it only after
 * the message is durably stored, so a crash before then leaves it on the modem, to be read again at start-up.
 */
export interface IncomingSms {
  lineId: LineId;
  pdu: string;
  /** Storage index on the modem, or null when delivered directly (+CMT). */
  index: number | null;
  receivedAt: number;
  release(): Promise<void>;
}

/** A call event on a line, from RING / +CLIP / +CLCC / NO CARRIER. */
export type LineCallEvent =
  | { kind: 'ringing'; lineId: LineId; at: number; /** as the modem gave it, null when withheld */ number: string | null; toa: number | undefined }
  /**
   * The number of a call that rang with number null because the modem could not say it then (AT+CLCC refused
   * as it began to ring, +CLIP late): from a later +CLIP or AT+CLCC, while it rings or after it was answered.
   * At most once per call, and never for a call that rang with a number or as withheld (call-tracker.ts).
   */
  | { kind: 'identified'; lineId: LineId; at: number; number: string; toa: number | undefined }
  | { kind: 'answered'; lineId: LineId; at: number }
  | { kind: 'ended'; lineId: LineId; at: number; endedBy: 'caller' | 'handler' | 'network' };

/** How an SMS is sent: see LineBank.sendSms. */
export interface SmsOptions {
  readonly stillWanted?: () => string | undefined;
}

/** What the core can ask the lines to do. Every method resolves with what the modem answered. */
export interface LineBank {
  /** ATA on a ringing line. */
  answer(lineId: LineId): Promise<LineActionResult>;
  /** ATH (or AT+CHUP) on a line in a call. */
  hangUp(lineId: LineId): Promise<LineActionResult>;
  /**
   * Sends one SMS (all parts, in order) from a free, registered line; PDU hex with SMSC prefix per part.
   * `stillWanted` is asked just before the first part is written (it may wait behind the line's SMS reads): a
   * reason leaves the SMS unsent, `{ok: false}` with that reason.
   */
  sendSms(parts: readonly { pdu: string; tpduLength: number }[], options?: SmsOptions): Promise<LineActionResult & { lineId: LineId | null }>;
  /** The current health of every line. */
  health(): LineHealthReport[];
  /**
   * A call the store says was answered on `lineId` when the gateway stopped: the line checks it with the modem
   * and reports its end (call-tracker.ts adoptAnswered). False: no such line.
   * Optional: stand-in banks in tests need not implement it.
   */
  adoptAnswered?(lineId: LineId): boolean;
  /** Opens every port and keeps them open until close(). */
  start(): Promise<void>;
  close(): Promise<void>;
  /**
   * Counters per line for /metrics (added by gateway/lines; optional so that stand-in banks in tests need not
   * implement it). Monotonic over the bank's life, across reconnects.
   */
  metrics?(): LineMetrics[];
}

/** Monotonic counters of one line, for /metrics (Prometheus counters). */
export interface LineMetrics {
  lineId: LineId;
  /** AT commands written (init, polls, actions, SMS; resynchronisation probes included), over every connection. */
  commands: number;
  /** Commands that got no final result in time (their resynchronisation probes are not counted). */
  timeouts: number;
  /** Times the line was lost (port closed, modem not answering, modem rebooted) and re-opened or re-initialised. */
  reconnects: number;
  /** Stored or directly delivered SMS parts handed to the core (a re-read after a failed release counts again). */
  smsReceived: number;
  /** Stored SMS deleted from the modem after the core released them. */
  smsDeleted: number;
  /** Modem lines about SMS that could not be used: `corrupt` (ours but undecodable), `notMine` (another's). */
  smsCorrupt: number;
  smsNotMine: number;
  /** Incoming calls reported as ringing. */
  calls: number;
}

/**
 * `uncertain`: the modem was given it (an AT+CMGS's PDU written after the `> `) and its answer never came (the
 * line dropped, or timed out): it may have been carried out, an SMS may have left.
 */
export type LineActionResult = { ok: true; detail: string } | { ok: false; detail: string; uncertain?: boolean };

/** The callbacks the core gives the line bank. */
export interface LineBankListener {
  onSms(sms: IncomingSms): void;
  onCall(event: LineCallEvent): void;
  onHealth(report: LineHealthReport): void;
}
