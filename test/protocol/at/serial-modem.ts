// A modem that works through its commands in order, one at a time, as a modem does, behind a link: command `c`
// takes busy(c) ms at the modem, and the link adds `oneWay` ms each way. What it answers is `answers(line)` (ESC
// and CR taken off; undefined: no answer). While `link.down`, whatever is written is lost on the way. The engine
// on it probes with MODEM_PROBES, as the gateway's lines do. For the engine's out-of-step tests
// (engine-confirm*.test.ts, docs/at.md "Out of step").
import { AtEngine, MODEM_PROBES, type AtEngineOptions } from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { FakeModem, flush } from './fake-modem.js';

export type Answers = (line: string) => string[] | undefined;

export interface SerialModemOptions {
  readonly answers: Answers;
  readonly oneWay: number;
  /** ms the modem works on each command (default 10). */
  readonly busy?: (line: string) => number;
  /** Clock step of `run` (default 10 ms). */
  readonly stepMs?: number;
  readonly engine?: AtEngineOptions;
}

export function serialModem(o: SerialModemOptions) {
  const clock = new ManualClock(0);
  const modem = new FakeModem();
  const busy = o.busy ?? (() => 10);
  const step = o.stepMs ?? 10;
  let freeAt = 0;
  const link = { down: false };
  modem.respond = (written) => {
    if (link.down) return undefined;
    const line = written.replace(/^\x1b/, '').replace(/\r$/, '');
    freeAt = Math.max(clock.now() + o.oneWay, freeAt) + busy(line);
    const lines = o.answers(line);
    if (lines !== undefined) clock.setTimeout(() => modem.feed(lines.map((l) => `\r\n${l}\r\n`).join('')), freeAt + o.oneWay - clock.now());
    return undefined;
  };
  const engine = new AtEngine(modem, { clock, probes: MODEM_PROBES, ...o.engine });
  /** Moves the clock `ms` on, a step at a time, letting the engine and the modem run between steps. */
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += step) {
      clock.advance(step);
      await flush();
    }
  };
  /** Confirming probes written (`ESC AT+CMGF?`). */
  const confirmations = () => modem.written.filter((w) => w === '\x1bAT+CMGF?\r').length;
  return { clock, modem, engine, run, link, confirmations };
}

/** A modem's busy time: `ms` for the first `AT+CLCC` (a call setting up), 10 ms for everything else. */
export function slowFirstList(ms: number): (line: string) => number {
  let slow = true;
  return (line) => (line === 'AT+CLCC' && slow ? ((slow = false), ms) : 10);
}
