// A scripted modem behind a Port, for the lines' tests of modem behaviours the simulator does not have: each
// command line the line writes is answered with the lines a script returns (CRLF-framed, asynchronously), and
// the test can push unsolicited output. `standard` answers as a registered modem with an empty SIM.
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { PortCloseCode, type Port, type PortCloseReason } from '../../../hardware/ports/index.js';
import { ModemLineBank } from '../../../gateway/lines/line-bank.js';
import { Recorder } from './harness.js';

/** The modem's answer lines to one command line (`spec`: which line's modem, when a bank has several). */
export type Script = (command: string, spec?: string) => string[];

/** A Port whose far end answers each command line with the script's lines (CRLF-framed), asynchronously. */
export function scriptedPort(spec: string, script: Script, log: string[]): Port & { push(lines: string[]): void } {
  const data = new Set<(b: Uint8Array) => void>();
  const closeListeners = new Set<(r: PortCloseReason) => void>();
  let open = true;
  let resolveClosed!: (r: PortCloseReason) => void;
  const closed = new Promise<PortCloseReason>((r) => (resolveClosed = r));
  let typed = '';
  const send = (lines: string[]) => {
    const bytes = new TextEncoder().encode(lines.map((l) => `\r\n${l}\r\n`).join(''));
    setImmediate(() => {
      if (open) for (const l of data) l(bytes);
    });
  };
  return {
    push: send,
    spec,
    kind: 'mock',
    get isOpen() {
      return open;
    },
    async write(bytes) {
      typed += typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
      // A command ends with CR; an SMS body (the PDU after AT+CMGS's prompt) with Ctrl-Z.
      for (let i = typed.search(/[\r\x1a]/); i >= 0; i = typed.search(/[\r\x1a]/)) {
        const line = typed.slice(0, i);
        typed = typed.slice(i + 1);
        log.push(line);
        send(script(line, spec));
      }
    },
    onData(l) {
      data.add(l);
      return () => data.delete(l);
    },
    onClose(l) {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
    closed,
    async close() {
      if (!open) return;
      open = false;
      const r = { code: PortCloseCode.LOCAL, message: `${spec} closed` };
      resolveClosed(r);
      for (const l of closeListeners) l(r);
    },
  };
}

export const standard: Script = (c) => {
  // The engine's resynchronisation probes (ESC first; protocol/at/probes.ts).
  if (c === '\x1bAT+CMEE?') return ['+CMEE: 1', 'OK'];
  if (c === '\x1bAT+CSCS?') return ['+CSCS: "GSM"', 'OK'];
  if (c === '\x1bAT+CMGF?') return ['+CMGF: 0', 'OK'];
  if (c === 'AT+CREG?') return ['+CREG: 2,1,"1A2B","00C3"', 'OK'];
  if (c === 'AT+CSQ') return ['+CSQ: 17,99', 'OK'];
  if (c === 'AT+CPIN?') return ['+CPIN: READY', 'OK'];
  if (c === 'AT+CMGL=4') return ['OK'];
  return ['OK'];
};

/** A line bank on scripted modems: the log of command lines, the URC pusher, a settle of 50 event-loop turns. */
export async function lineWith(script: Script, specs: readonly string[] = ['mock:scripted'], clock: ManualClock = new ManualClock()) {
  const rec = new Recorder();
  const log: string[] = [];
  const ports: Array<ReturnType<typeof scriptedPort>> = [];
  const open = async (spec: string) => {
    const p = scriptedPort(spec, script, log);
    ports.push(p);
    return p;
  };
  const bank = new ModemLineBank({ specs, listener: rec, clock, random: new SeededRandom(5), open });
  const settle = async () => {
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  };
  /** Unsolicited output from the modem on its current port. */
  const urc = async (...lines: string[]) => {
    ports.at(-1)?.push(lines);
    await settle();
  };
  return { clock, rec, log, bank, settle, urc, ports };
}

/**
 * A line whose initialisation is held at AT+CLIP=1 (a slow modem), with a call answered before a gateway restart
 * adopted on it and a handler's hang-up of that call already asked (its AT+CLCC waits behind the init).
 * `release()` lets the init and what waits behind it run.
 */
export async function adoptedCallHangingUp(clcc: readonly string[]) {
  const held = { on: true };
  const x = await lineWith((c) => (held.on && c === 'AT+CLIP=1' ? [] : c === 'AT+CLCC' ? [...clcc] : standard(c)));
  x.bank.adoptAnswered('L1');
  void x.bank.start();
  await x.settle();
  const hangUp = x.bank.hangUp('L1');
  await x.settle();
  const release = async () => {
    held.on = false;
    await x.urc('OK');
    for (let i = 0; i < 5; i++) await x.settle();
  };
  return { x, hangUp, release };
}

/** A line bank on scripted modems (lineWith). */
export type ScriptedLine = Awaited<ReturnType<typeof lineWith>>;

/** Advances the line's simulated clock `times` steps of `ms`, letting the line act after each. */
export async function steps(x: ScriptedLine, ms: number, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    x.clock.advance(ms);
    await x.settle();
  }
}

/** Steps the clock 100 ms at a time (at most 10 s, simulated) until `action` (an answer, a hang-up) is done. */
export async function stepUntilDone<T>(x: ScriptedLine, action: Promise<T>): Promise<T> {
  let done = false;
  const result = action.then((r) => {
    done = true;
    return r;
  });
  for (let i = 0; i < 100 && !done; i++) await steps(x, 100, 1);
  return result;
}
