// The radio side of an end-to-end run, in this process: firmware-sim's GSM network and the control room's
// bank modems (SimModem behind TcpSerialServer, as serial device servers), plus simulated handsets, all on
// one ManualClock. The gateway reaches the modems over tcp:// (directly, or through a proxy such as
// noisy-link.ts). `step` moves simulated time while letting real socket I/O happen between steps.
import { ManualClock } from '../../protocol/time/clock.js';
import { SeededRandom } from '../../protocol/time/random.js';
import { SimHandset } from '../../firmware-sim/handset/sim-handset.js';
import { SimModem } from '../../firmware-sim/modem/index.js';
import { SimNetwork } from '../../firmware-sim/network/index.js';
import { TcpSerialServer } from '../../firmware-sim/transport/tcp-serial-server.js';
import type { FleetHandset } from './fleet.js';

/** Up to eight bank lines (Ofcom's drama range 01632 960xxx). */
export const BANK_NUMBERS = Array.from({ length: 8 }, (_, i) => `+4416329600${String(i + 1).padStart(2, '0')}`);

export type SimBank = {
  readonly clock: ManualClock;
  readonly random: SeededRandom;
  readonly network: SimNetwork;
  readonly modems: SimModem[];
  readonly servers: TcpSerialServer[];
  readonly numbers: string[];
  /** tcp://127.0.0.1:<port> per modem. */
  readonly specs: string[];
  /** Moves simulated time `ms` in steps of `stepMs`, one event-loop turn (setImmediate) after each step. */
  step(ms: number, stepMs?: number): Promise<void>;
  /** Steps until `pred` holds; throws naming `what` after `maxMs` simulated ms. */
  until(what: string, pred: () => boolean, maxMs: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
};

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

export async function startSimBank(options: { lines?: number; seed?: number; start?: number; callSetupMs?: number } = {}): Promise<SimBank> {
  const clock = new ManualClock(options.start ?? Date.UTC(2026, 10, 23, 6, 0, 0));
  const random = new SeededRandom(options.seed ?? 1);
  const numbers = BANK_NUMBERS.slice(0, options.lines ?? 2);
  const network = new SimNetwork({ clock, random, emergencyLines: numbers, callSetupMs: options.callSetupMs ?? 1000 });
  const modems = numbers.map((msisdn) => new SimModem({ clock, network, msisdn }));
  const servers: TcpSerialServer[] = [];
  for (const m of modems) {
    const s = await TcpSerialServer.listen({ port: 0 });
    m.connect(s);
    servers.push(s);
  }
  const bank: SimBank = {
    clock,
    random,
    network,
    modems,
    servers,
    numbers,
    specs: servers.map((s) => `tcp://127.0.0.1:${s.port}`),
    async step(ms, stepMs = 20) {
      const end = clock.now() + ms;
      while (clock.now() < end) {
        clock.advance(Math.min(stepMs, end - clock.now()));
        await turn();
      }
    },
    async until(what, pred, maxMs, stepMs = 20) {
      const end = clock.now() + maxMs;
      while (!pred()) {
        if (clock.now() >= end) throw new Error(`not within ${maxMs} simulated ms: ${what}`);
        clock.advance(stepMs);
        await turn();
      }
    },
    async close() {
      for (const s of servers) await s.closeAsync();
    },
  };
  return bank;
}

/** A provisioned simulated handset of the fleet, reporting to `gatewayNumber`, standing still at its base. */
export function simHandset(bank: SimBank, h: FleetHandset, gatewayNumber: string, config: Record<string, unknown> = {}): SimHandset {
  return new SimHandset({
    clock: bank.clock,
    random: bank.random,
    network: bank.network,
    msisdn: h.number,
    identity: { id: h.id, firmware: '1.0.0', imei: h.imei },
    provision: { config: { gatewayNumber, ...config }, key: h.key },
    route: { waypoints: [{ lat: h.lat, lon: h.lon, speedMps: 0 }] },
    gps: { coldStartS: 1 },
    batteryPercent: 90,
  });
}
