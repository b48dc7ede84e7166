// A modem (or several) on a simulated network with a ManualClock, driven over an in-memory pipe as a DTE
// would drive it. `at()` sends one line and returns everything the modem printed in answer.

import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { SimModem, type SimModemOptions, type TranscriptEntry } from '../../../firmware-sim/modem/index.js';
import { SimNetwork, type SimNetworkOptions } from '../../../firmware-sim/network/index.js';
import { createPipePair } from '../../../firmware-sim/transport/memory-pipe.js';
import type { ByteDuplex } from '../../../firmware-sim/transport/byte-duplex.js';

/** The DTE side of one modem: everything received is kept in `received` until taken. */
export class Dte {
  received = '';
  readonly transcript: TranscriptEntry[] = [];

  constructor(
    readonly modem: SimModem,
    readonly port: ByteDuplex,
  ) {
    port.onData((d) => (this.received += Buffer.from(d).toString('latin1')));
    modem.onTranscript((e) => this.transcript.push(e));
  }

  /** Sends raw bytes. */
  send(text: string): void {
    this.port.write(Buffer.from(text, 'latin1'));
  }

  /** Everything received since the last take. */
  take(): string {
    const r = this.received;
    this.received = '';
    return r;
  }

  /** Sends `line` + CR and returns the answer (echo included when on). */
  at(line: string): string {
    this.take();
    this.send(`${line}\r`);
    return this.take();
  }
}

/** A network with a manual clock and a seeded random source. */
export function makeNetwork(options: Partial<SimNetworkOptions> = {}): { clock: ManualClock; network: SimNetwork } {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
  const network = new SimNetwork({ clock, random: new SeededRandom(42), callSetupMs: 1000, ...options });
  return { clock, network };
}

/** A modem attached under `msisdn`, plugged into a pipe, with echo off unless `echo` is set. */
export function makeModem(
  clock: ManualClock,
  network: SimNetwork | undefined,
  msisdn: string,
  options: Partial<SimModemOptions> & { echo?: boolean } = {},
): Dte {
  const modem = new SimModem({ clock, ...(network !== undefined ? { network, msisdn } : {}), ...options });
  const [dte, dce] = createPipePair();
  modem.connect(dce);
  const d = new Dte(modem, dte);
  if (options.echo !== true) d.at('ATE0');
  d.take();
  return d;
}
