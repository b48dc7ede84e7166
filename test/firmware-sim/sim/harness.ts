// Helpers for the simulation tests: a simulation on free ports under a ManualClock, a raw TCP client on a bank
// line (as the gateway would be), and a wait that moves simulated time while real sockets carry the bytes.
import net from 'node:net';
import { createHmac } from 'node:crypto';
import { ManualClock } from '../../../protocol/time/clock.js';
import { parseSimConfig, type SimConfig } from '../../../firmware-sim/sim/config.js';
import { Simulation } from '../../../firmware-sim/sim/simulation.js';

export const START = Date.UTC(2026, 10, 23, 7, 0, 0);

export const hmac = (key: Uint8Array, message: Uint8Array): Uint8Array => new Uint8Array(createHmac('sha256', key).update(message).digest());

/** The default configuration with every listener on a free port (no collision with a running demo). */
export function testConfig(extra: Record<string, unknown> = {}): SimConfig {
  return parseSimConfig({ ports: { bankBase: 0, usbBase: 0, control: 0 }, seed: 11, ...extra });
}

export async function startSim(config = testConfig(), clock = new ManualClock(START)) {
  const sim = await Simulation.start({ config, clock });
  /** Advances simulated time in small steps, giving real sockets a turn between steps. */
  const run = async (ms: number, stepMs = 50): Promise<void> => {
    for (let t = 0; t < ms; t += stepMs) {
      await clock.advanceAsync(stepMs, 10);
      await new Promise((r) => setImmediate(r));
    }
  };
  return { sim, clock, run };
}

/** A raw TCP client on a serial port of the simulation: everything received, in one string. */
export class LineClient {
  received = '';
  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (this.received += d));
  }

  static connect(port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new LineClient(s)));
      s.once('error', reject);
    });
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /**
   * Waits until `pattern` matches what was received after `from`, moving simulated time by `stepMs` per turn;
   * gives up after `maxSteps` turns with the transcript in the error.
   */
  async until(pattern: RegExp, run: (ms: number) => Promise<void>, from = 0, maxSteps = 600, stepMs = 100): Promise<RegExpExecArray> {
    for (let i = 0; i < maxSteps; i++) {
      const m = pattern.exec(this.received.slice(from));
      if (m !== null) return m;
      await run(stepMs);
      await new Promise((r) => setTimeout(r, 1));
    }
    throw new Error(`no ${String(pattern)} in ${JSON.stringify(this.received.slice(from))}`);
  }

  close(): void {
    this.socket.destroy();
  }
}
