// The control room's bank of modem lines, as the core sees it (types.ts LineBank): ids L1, L2, ... in the
// order of the configured port specs; actions go to the named line; an SMS goes out from a free line.

import { systemClock, type Clock } from '../../protocol/time/clock.js';
import type { Random } from '../../protocol/time/random.js';
import { openPort, parsePortSpec, type OpenPortOptions, type Port } from '../../hardware/ports/index.js';
import { ModemLine, type LineLogger, type LineTimings } from './modem-line.js';
import type { LineActionResult, LineBank, LineBankListener, LineHealthReport, LineId, LineMetrics, SmsOptions } from './types.js';

/** How the bank is built; only `specs` and `listener` are required. */
export interface ModemLineBankOptions {
  readonly specs: readonly string[];
  readonly listener: LineBankListener;
  readonly clock?: Clock;
  /** Jitter of the reconnect backoff; default Math.random. */
  readonly random?: Random;
  readonly logger?: LineLogger;
  /** Opens a port; default hardware/ports openPort with `portOptions`. */
  readonly open?: (spec: string) => Promise<Port>;
  readonly portOptions?: OpenPortOptions;
  readonly timings?: Partial<LineTimings>;
}

/** A configuration mistake found before any port is opened (a malformed spec, a spec given twice). */
export class LineConfigError extends Error {
  override readonly name = 'LineConfigError';
}

/** Math.random behind the Random interface (backoff jitter needs no seed in production). */
export const mathRandom: Random = {
  next: () => Math.random(),
  int: (min, max) => min + Math.floor(Math.random() * (max - min + 1)),
  chance: (p) => Math.random() < p,
};

/** See the file comment. */
export class ModemLineBank implements LineBank {
  readonly lines: readonly ModemLine[];

  /** Throws {@link LineConfigError} for a malformed or repeated spec, naming it. */
  constructor(options: ModemLineBankOptions) {
    const seen = new Map<string, string>();
    for (const spec of options.specs) {
      const p = parsePortSpec(spec);
      if (!p.ok) throw new LineConfigError(`line ${spec}: ${p.reason}`);
      // The same port however it is written: `/dev/ttyUSB0` and `/dev/ttyUSB0?baud=9600`, `tcp://Moxa1:4001` and
      // `tcp://moxa1:04001`. Two lines on one modem would each report every call and SMS, and answer each other's
      // commands (or one would stay down as "busy", naming another program).
      const v = p.value;
      const key = v.kind === 'device' ? `device ${v.path}` : v.kind === 'mock' ? `mock ${v.name}` : `tcp ${v.host.toLowerCase()}:${v.port}`;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new LineConfigError(`line ${spec} is configured twice${first === spec ? '' : ` (also as ${first})`} (one modem cannot be two lines)`);
      }
      seen.set(key, spec);
    }
    const portOptions = options.portOptions ?? {};
    const open = options.open ?? ((spec: string) => openPort(spec, portOptions));
    this.lines = options.specs.map(
      (spec, i) =>
        new ModemLine({
          lineId: `L${i + 1}`,
          spec,
          listener: options.listener,
          clock: options.clock ?? systemClock,
          random: options.random ?? mathRandom,
          open,
          ...(options.logger === undefined ? {} : { logger: options.logger }),
          ...(options.timings === undefined ? {} : { timings: options.timings }),
        }),
    );
  }

  /** The line with this id, or undefined. */
  line(lineId: LineId): ModemLine | undefined {
    return this.lines.find((l) => l.lineId === lineId);
  }

  adoptAnswered(lineId: LineId): boolean {
    const line = this.line(lineId);
    line?.adoptAnswered();
    return line !== undefined;
  }

  answer(lineId: LineId): Promise<LineActionResult> {
    return this.line(lineId)?.answer() ?? Promise.resolve({ ok: false, detail: `no line ${lineId}` });
  }

  hangUp(lineId: LineId): Promise<LineActionResult> {
    return this.line(lineId)?.hangUp() ?? Promise.resolve({ ok: false, detail: `no line ${lineId}` });
  }

  /**
   * From the LAST free line in configuration order: the network hunts emergency calls from the first, so the
   * lines most likely to ring stay clear of a slow AT+CMGS (an ATA would wait behind it). A line registered for
   * circuit-switched service comes before one registered on LTE (or for packet data) alone, which sends an SMS
   * only if the modem and network do SMS over IMS (registration.ts). No free line: refused (the caller may
   * retry), never queued behind a call. A one-part SMS that a line surely did not send (its modem refused it,
   * +CMS ERROR: a SIM out of credit, a wrong SMSC; the line dropped before its `> `) goes from the next free line,
   * each line tried once: one modem that refuses every SMS stopped every LOCATE and STOP while other lines were
   * free. Never after an `uncertain` failure (it may have left), nor for several parts (the first may have left).
   */
  async sendSms(parts: readonly { pdu: string; tpduLength: number }[], options: SmsOptions = {}): Promise<LineActionResult & { lineId: LineId | null }> {
    if (parts.length === 0) return { ok: false, detail: 'no parts to send', lineId: null };
    const refused: string[] = [];
    for (;;) {
      const free = [...this.lines].reverse().filter((l) => l.free && !refused.some((d) => d.startsWith(`${l.lineId}: `)));
      const line = free.find((l) => l.circuitSwitched) ?? free[0];
      if (line === undefined) {
        if (refused.length > 0) return { ok: false, detail: refused.join('; '), lineId: null };
        const states = this.lines.map((l) => `${l.lineId} ${l.health().state}${l.free || l.health().state !== 'up' ? '' : ' (in a call)'}`);
        return { ok: false, detail: `no free line (${states.join(', ') || 'no lines configured'})`, lineId: null };
      }
      const r = await line.sendSms(parts, options);
      if (r.ok || r.uncertain === true || parts.length > 1 || options.stillWanted?.() !== undefined) {
        return { ...r, ...(refused.length > 0 && !r.ok && { detail: [...refused, `${line.lineId}: ${r.detail}`].join('; ') }), lineId: line.lineId };
      }
      refused.push(`${line.lineId}: ${r.detail}`);
    }
  }

  health(): LineHealthReport[] {
    return this.lines.map((l) => l.health());
  }

  metrics(): LineMetrics[] {
    return this.lines.map((l) => l.counters());
  }

  /** Starts every line; resolves when each has made its first attempt (lines that failed keep retrying). */
  async start(): Promise<void> {
    await Promise.all(this.lines.map((l) => l.start()));
  }

  async close(): Promise<void> {
    await Promise.all(this.lines.map((l) => l.close()));
  }
}

/** The core's LineBankFactory (gateway/core/gateway-app.ts): real ports, the wall clock. */
export function createModemLineBank(specs: readonly string[], listener: LineBankListener, logger?: LineLogger): ModemLineBank {
  return new ModemLineBank({ specs, listener, ...(logger === undefined ? {} : { logger }) });
}
