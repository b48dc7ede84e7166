// A control room's modem bank against the REAL simulated modems and network of firmware-sim: each line's port
// is either a binding-mock port whose bytes are pumped to and from a SimModem (`mock`), or the SimModem's TCP
// serial server (`tcp`). Time is a ManualClock shared by the network, the modems and the lines; port I/O is
// real (event loop), so the helpers interleave clock steps with event-loop turns.

import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { mockBindingOf, openPort, type Port } from '../../../hardware/ports/index.js';
import { SimModem, type TranscriptEntry } from '../../../firmware-sim/modem/index.js';
import { SimNetwork, VirtualPhone } from '../../../firmware-sim/network/index.js';
import { TcpSerialServer } from '../../../firmware-sim/transport/tcp-serial-server.js';
import { ModemLineBank } from '../../../gateway/lines/line-bank.js';
import type { LineTimings } from '../../../gateway/lines/modem-line.js';
import type { IncomingSms, LineBankListener, LineCallEvent, LineHealthReport } from '../../../gateway/lines/types.js';

export type PortKind = 'mock' | 'tcp';

/** Everything the bank reported, in order. */
export class Recorder implements LineBankListener {
  readonly sms: IncomingSms[] = [];
  readonly calls: LineCallEvent[] = [];
  readonly health: LineHealthReport[] = [];
  onSms(sms: IncomingSms): void {
    this.sms.push(sms);
  }
  onCall(event: LineCallEvent): void {
    this.calls.push(event);
  }
  onHealth(report: LineHealthReport): void {
    this.health.push(report);
  }
}

/** Test timings: short polls so a hung modem is noticed within a few simulated seconds. */
export const TEST_TIMINGS: Partial<LineTimings> = { pollMs: 5000, commandTimeoutMs: 1000, storageScanMs: 60_000 };

/** One event-loop turn (lets socket and mock-port I/O happen). */
export const turn = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Patches a binding-mock port so that what the gateway writes reaches `modem` and what it prints comes back. */
function plug(binding: MockPortBinding, modem: SimModem): void {
  const write = binding.write.bind(binding);
  const close = binding.close.bind(binding);
  const off = modem.onOutput((d) => {
    if (binding.isOpen) binding.emitData(Buffer.from(d));
  });
  binding.write = async (buffer: Buffer) => {
    await write(buffer);
    modem.input(new Uint8Array(buffer));
  };
  binding.close = async () => {
    off();
    await close();
  };
}

export interface World {
  readonly clock: ManualClock;
  readonly network: SimNetwork;
  readonly modems: SimModem[];
  readonly numbers: string[];
  readonly specs: string[];
  readonly rec: Recorder;
  readonly bank: ModemLineBank;
  /** TCP only: the modems' serial servers (replaceable: see `restartServer`). */
  readonly servers: TcpSerialServer[];
  /** Every transcript entry per modem. */
  readonly transcripts: TranscriptEntry[][];
  /** Ports the bank opened, per line, in order. */
  readonly opened: Port[][];
  phone(msisdn: string): VirtualPhone;
  /** Waits (event-loop turns, no clock movement) until `pred` holds; throws naming `what` after 5 s. */
  until(pred: () => boolean, what: string): Promise<void>;
  /** Moves the clock `ms` in steps of `stepMs`, letting I/O happen between steps. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Steps the clock until `pred` holds, at most `maxMs` of simulated time. */
  advanceUntil(pred: () => boolean, what: string, maxMs: number, stepMs?: number): Promise<void>;
  /** Mock: the device vanishes under the open port (a read error, as when a USB adapter is pulled). */
  unplug(i: number): void;
  /** TCP: closes a modem's server (the client is dropped) and listens again on the same port. */
  restartServer(i: number): Promise<void>;
  close(): Promise<void>;
}

/** Builds `lines` modems on one network and a bank over them (not started). */
export async function makeWorld(kind: PortKind, options: { lines?: number; timings?: Partial<LineTimings>; before?: (w: { modems: SimModem[]; network: SimNetwork; clock: ManualClock }) => void } = {}): Promise<World> {
  const n = options.lines ?? 1;
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 7, 0, 0));
  const numbers = Array.from({ length: n }, (_, i) => `+44163296000${i + 1}`);
  const network = new SimNetwork({ clock, random: new SeededRandom(7), callSetupMs: 1000, emergencyLines: numbers });
  const modems = numbers.map((msisdn) => new SimModem({ clock, network, msisdn }));
  const transcripts = modems.map((m) => {
    const t: TranscriptEntry[] = [];
    m.onTranscript((e) => t.push(e));
    return t;
  });
  options.before?.({ modems, network, clock });
  const servers: TcpSerialServer[] = [];
  const unplug: Array<() => void> = [];
  let specs: string[];
  const opened: Port[][] = modems.map(() => []);
  let open: (spec: string) => Promise<Port>;
  if (kind === 'mock') {
    MockBinding.reset();
    specs = modems.map((_, i) => `mock:gwline${i + 1}`);
    for (const s of specs) MockBinding.createPort(s.slice(5), { echo: false, record: false });
    open = async (spec) => {
      const i = specs.indexOf(spec);
      const port = await openPort(spec);
      plug(mockBindingOf(port) as MockPortBinding, modems[i] as SimModem);
      opened[i]?.push(port);
      return port;
    };
  } else {
    for (const m of modems) {
      const server = await TcpSerialServer.listen({ port: 0 });
      unplug.push(m.connect(server));
      servers.push(server);
    }
    specs = servers.map((s) => `tcp://127.0.0.1:${s.port}`);
    open = async (spec) => {
      const port = await openPort(spec, { connectTimeoutMs: 2000 });
      opened[specs.indexOf(spec)]?.push(port);
      return port;
    };
  }
  const rec = new Recorder();
  const bank = new ModemLineBank({ specs, listener: rec, clock, random: new SeededRandom(3), open, timings: { ...TEST_TIMINGS, ...options.timings } });
  const phones = new Map<string, VirtualPhone>();

  const world: World = {
    clock,
    network,
    modems,
    numbers,
    specs,
    rec,
    bank,
    servers,
    transcripts,
    opened,
    phone(msisdn) {
      let p = phones.get(msisdn);
      if (p === undefined) {
        p = new VirtualPhone(network, msisdn);
        phones.set(msisdn, p);
      }
      return p;
    },
    async until(pred, what) {
      const deadline = Date.now() + 5000;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await turn();
      }
    },
    async advance(ms, stepMs = 100) {
      for (let t = 0; t < ms; t += stepMs) {
        clock.advance(Math.min(stepMs, ms - t));
        await turn();
        await turn();
      }
    },
    async advanceUntil(pred, what, maxMs, stepMs = 100) {
      for (let t = 0; !pred(); t += stepMs) {
        if (t > maxMs) throw new Error(`not within ${maxMs} ms of simulated time: ${what}`);
        clock.advance(stepMs);
        await turn();
        await turn();
      }
    },
    unplug(i) {
      const port = opened[i]?.at(-1);
      const binding = port === undefined ? undefined : mockBindingOf(port);
      if (binding === undefined) throw new Error(`line ${i + 1} has no open mock port`);
      binding.read = () => Promise.reject(new Error('device unplugged'));
      binding.emitData(Buffer.from('\r\n')); // ends the pending read, so the next one fails
    },
    async restartServer(i) {
      const old = servers[i] as TcpSerialServer;
      const port = old.port;
      unplug[i]?.();
      await old.closeAsync();
      const server = await TcpSerialServer.listen({ port });
      unplug[i] = (modems[i] as SimModem).connect(server);
      servers[i] = server;
    },
    async close() {
      await bank.close();
      for (const s of servers) await s.closeAsync();
      if (kind === 'mock') MockBinding.reset();
    },
  };
  return world;
}

/** Starts the bank and waits for every line to be up. */
export async function startWorld(w: World): Promise<void> {
  await w.bank.start();
  await w.until(() => w.bank.health().every((h) => h.state === 'up'), 'every line up');
}

/** The commands a modem received, in order. */
export const commandsOf = (t: readonly TranscriptEntry[]): string[] => t.filter((e) => e.kind === 'command').map((e) => e.text);
