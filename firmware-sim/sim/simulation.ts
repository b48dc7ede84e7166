// The whole simulation, assembled: one simulated GSM network; the control room's modem bank (one SimModem per
// line, its serial side on tcp://127.0.0.1:<bankBase + i>, the hunt group for emergency calls, line 1's number
// the gateway's SMS number); and N handsets (SimHandset: firmware, GPS on its route, battery, button, its own
// modem), each with its USB provisioning console on tcp://127.0.0.1:<usbBase + i>.
//
// Everything runs on one injected Clock: the wall clock in `npm run sim`, a ManualClock in tests, where the
// same seed replays the same run (SMS delays, losses, GPS noise, report keys and MACs). The control methods
// (button, route, faults) are what the HTTP control API and scenario files call.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../protocol/time/clock.js';
import { systemClock } from '../../protocol/time/clock.js';
import { SeededRandom } from '../../protocol/time/random.js';
import type { RouteSpec } from '../gps/route.js';
import { DEFAULT_CONFIG } from '../handset/config.js';
import { FileFlashDevice } from '../handset/file-flash-device.js';
import { SimHandset } from '../handset/sim-handset.js';
import type { HandsetState } from '../handset/state.js';
import { SimModem } from '../modem/index.js';
import { imeiCheckDigit } from '../modem/identity.js';
import { SimNetwork } from '../network/index.js';
import { serveConsoleOverTcp } from '../provisioning/tcp-console.js';
import { PtyBridge } from '../transport/pty-bridge.js';
import { TcpSerialServer } from '../transport/tcp-serial-server.js';
import { smsNumberOf, type NetworkFaults, type SimConfig, type SimHandsetConfig } from './config.js';
import { EventLog, reportEvent } from './event-log.js';
import { handsetKey } from './keys.js';
import { buildManifest, type SimManifest } from './manifest.js';

/** How to start a simulation. */
export interface SimulationOptions {
  readonly config: SimConfig;
  /** Default the wall clock. */
  readonly clock?: Clock;
  /** Open the TCP listeners (bank lines, USB consoles); default true. False: in-process only (tests). */
  readonly listen?: boolean;
  /**
   * Keep each handset's flash in `<flashDir>/<id>/` (FileFlashDevice), so its report counter, command window
   * and console lock survive a restart as a real handset's do. Default: in memory, blank at every start.
   */
  readonly flashDir?: string;
}

/** One line of the control room's modem bank. */
export interface BankLine {
  /** 1-based, as the control room numbers its lines. */
  readonly index: number;
  readonly number: string;
  readonly modem: SimModem;
  /** Its serial side on TCP (undefined when not listening). */
  readonly server: TcpSerialServer | undefined;
  /** With `ports.ptyDir`: socat's pty linked at `<ptyDir>/line<index>`, the TCP side's one client. */
  readonly pty: PtyBridge | undefined;
}

/** One simulated handset and what the simulation knows about it. */
export interface SimulatedHandset {
  readonly config: SimHandsetConfig;
  readonly device: SimHandset;
  /** The report key it was provisioned with (undefined: a blank handset). */
  readonly key: Uint8Array | undefined;
  /** Its USB provisioning serial on TCP (undefined when not listening). */
  readonly usb: TcpSerialServer | undefined;
}

/** A handset as the control API lists it. */
export interface HandsetView {
  readonly id: string;
  readonly number: string;
  readonly state: HandsetState;
  /** Battery, whole percent. */
  readonly battery: number;
  /** The newest fix the handset's GPS has (null: none yet); `at` is the fix time (ms since the epoch). */
  readonly position: { readonly lat: number; readonly lon: number; readonly at: number } | null;
  readonly provisioned: boolean;
  readonly inCoverage: boolean;
  readonly usbPort: number | null;
  /** Reports it has sent so far. */
  readonly reportsSent: number;
}

/** A fault on one bank line: reboot, stop answering (for `durationMs`, default until a reboot), or drop its TCP link. */
export type LineFault = { readonly fault: 'reboot' } | { readonly fault: 'hang'; readonly durationMs?: number } | { readonly fault: 'drop' };

/** Thrown by a control method for something that does not exist (the API answers 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

const IN_COVERAGE = { registration: 'home', rssi: 20 } as const;
const COVERAGE_HOLE = { registration: 'searching', rssi: 99 } as const;

/** A running simulation (see the file comment). */
export class Simulation {
  readonly events = new EventLog();
  readonly network: SimNetwork;
  readonly lines: readonly BankLine[];
  readonly handsets: ReadonlyMap<string, SimulatedHandset>;
  /** Resolves when every handset has booted (modem start-up done, BOT queued). */
  readonly booted: Promise<void>;
  private readonly outOfCoverage = new Set<string>();
  private closed = false;

  private constructor(
    readonly config: SimConfig,
    readonly clock: Clock,
    lines: readonly BankLine[],
    network: SimNetwork,
    handsets: ReadonlyMap<string, SimulatedHandset>,
  ) {
    this.network = network;
    this.lines = lines;
    this.handsets = handsets;
    this.observe();
    this.booted = Promise.all([...handsets.values()].map((h) => h.device.boot())).then(() => undefined);
  }

  /** Builds the network, bank and handsets and opens the listeners; throws a message naming a busy port. */
  static async start(options: SimulationOptions): Promise<Simulation> {
    const { config } = options;
    const clock = options.clock ?? systemClock;
    const listen = options.listen ?? true;
    const network = new SimNetwork({
      clock,
      random: new SeededRandom(config.seed),
      emergencyLines: config.bank.lines,
      callSetupMs: config.network.callSetupMs,
    });
    const servers: TcpSerialServer[] = [];
    const ptys: PtyBridge[] = [];
    // Binds one listener (base 0: any free port); a busy port fails start-up with a message that says so.
    const bind = async (what: string, base: number, i: number, serve: (port: number) => Promise<TcpSerialServer>): Promise<TcpSerialServer | undefined> => {
      if (!listen) return undefined;
      const port = base === 0 ? 0 : base + i;
      try {
        const s = await serve(port);
        servers.push(s);
        return s;
      } catch (e) {
        throw new Error(`cannot listen on ${config.ports.host}:${port} (${what}): ${(e as Error).message}; is another simulator running? Change "ports" in the config.`);
      }
    };
    try {
      const lines: BankLine[] = [];
      for (const [i, number] of config.bank.lines.entries()) {
        const modem = new SimModem({ clock, network, msisdn: number, identity: { imei: bankImei(i) } });
        const server = await bind(`bank line ${i + 1}`, config.ports.bankBase, i, (port) => TcpSerialServer.listen({ port, host: config.ports.host }));
        if (server !== undefined) modem.connect(server);
        let pty: PtyBridge | undefined;
        if (server !== undefined && config.ports.ptyDir !== undefined) {
          mkdirSync(config.ports.ptyDir, { recursive: true });
          pty = await PtyBridge.start({ path: join(config.ports.ptyDir, `line${i + 1}`), tcpPort: server.port, tcpHost: config.ports.host });
          ptys.push(pty);
        }
        lines.push({ index: i + 1, number, modem, server, pty });
      }
      const handsets = new Map<string, SimulatedHandset>();
      for (const [i, h] of config.handsets.entries()) {
        const key = h.provisioned ? handsetKey(config.seed, h.id, h.key) : undefined;
        const device = new SimHandset({
          clock,
          random: new SeededRandom((config.seed + 1 + i) >>> 0),
          network,
          msisdn: h.number,
          identity: { id: h.id, firmware: '1.0.0', imei: h.imei },
          ...(options.flashDir === undefined ? {} : { flash: new FileFlashDevice(join(options.flashDir, h.id)) }),
          factory: { ...DEFAULT_CONFIG, fleetKey: config.fleetKey },
          ...(key === undefined
            ? {}
            : {
                provision: {
                  config: { gatewayNumber: smsNumberOf(config), emergencyNumber: config.emergencyNumber, force: firmwareForce(h.force), testMode: h.testMode },
                  key,
                },
              }),
          ...(h.route === undefined ? {} : { route: h.route }),
          gps: { coldStartS: config.gpsColdStartS },
          batteryPercent: h.batteryPercent,
        });
        const usb = await bind(`USB console of ${h.id}`, config.ports.usbBase, i, (port) => serveConsoleOverTcp(device.usb, port, config.ports.host));
        handsets.set(h.id, { config: h, device, key, usb });
      }
      const sim = new Simulation(config, clock, lines, network, handsets);
      const { callSetupMs: _setup, ...smsFaults } = config.network;
      if (Object.keys(smsFaults).length > 0) sim.setNetworkFaults(smsFaults);
      return sim;
    } catch (e) {
      await Promise.all(ptys.map((p) => p.close()));
      await Promise.all(servers.map((s) => s.closeAsync()));
      throw e;
    }
  }

  /** The manufacturer's manifest of the provisioned handsets (what `--registry-out` writes). */
  manifest(): SimManifest {
    return buildManifest(this.config);
  }

  /** The number handsets report to (the gateway's number, a bank line's SIM). */
  get smsNumber(): string {
    return smsNumberOf(this.config);
  }

  /** Every handset, in configuration order. */
  views(): HandsetView[] {
    return [...this.handsets.values()].map((h) => this.view(h));
  }

  /** The button on the emulator page: `hold` (2.5 s, an alarm) or `tap` (one short press). */
  button(id: string, gesture: 'hold' | 'tap'): void {
    const h = this.handset(id);
    this.events.add({ at: this.clock.now(), type: 'button', handsetId: id, gesture });
    h.device.gesture(gesture);
  }

  /** She moves: a new route starting now. */
  setRoute(id: string, route: RouteSpec): void {
    const h = this.handset(id);
    h.device.gps.setRoute(route);
    this.control(id, `route: ${route.waypoints.length} waypoint(s)`);
  }

  /** SMS delay, reordering, loss and duplication for the whole network (fields left out keep their value). */
  setNetworkFaults(f: NetworkFaults): void {
    this.network.setSmsRules({
      ...(f.delayMs !== undefined ? { delayMs: f.delayMs } : {}),
      ...((f.reorderMs ?? f.reorder) !== undefined ? { reorderMs: f.reorderMs ?? f.reorder } : {}),
      ...(f.loss !== undefined ? { lossProbability: f.loss } : {}),
      ...(f.duplication !== undefined ? { duplicateProbability: f.duplication } : {}),
    });
    this.control('network', `sms faults ${JSON.stringify(f)}`);
  }

  /** Puts a handset into a coverage hole (searching, no signal) or back into coverage. */
  setCoverage(id: string, inCoverage: boolean): void {
    const h = this.handset(id);
    if (inCoverage) this.outOfCoverage.delete(id);
    else this.outOfCoverage.add(id);
    this.network.setRadio(h.config.number, inCoverage ? IN_COVERAGE : COVERAGE_HOLE);
    this.control(id, inCoverage ? 'back in coverage' : 'coverage hole');
  }

  /** Takes the whole network down, or brings it back. */
  setNetworkDown(down: boolean): void {
    this.network.setDown(down);
    this.control('network', down ? 'network down' : 'network up');
  }

  /** A fault on bank line `index` (1-based). */
  lineFault(index: number, f: LineFault): void {
    const line = this.lines[index - 1];
    if (line === undefined) throw new NotFoundError(`no bank line ${index} (lines 1..${this.lines.length})`);
    switch (f.fault) {
      case 'reboot':
        line.modem.reset();
        break;
      case 'hang':
        line.modem.hang(f.durationMs);
        break;
      case 'drop':
        line.server?.dropClient();
        break;
      default: {
        const never: never = f;
        throw new Error(`unknown line fault ${JSON.stringify(never)}`);
      }
    }
    this.control(`line ${index}`, f.fault === 'hang' && f.durationMs !== undefined ? `hang ${f.durationMs} ms` : f.fault);
  }

  /** Kills the socat children (ptys), closes the TCP listeners, powers the GPS receivers off. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const servers = [...this.lines.map((l) => l.server), ...[...this.handsets.values()].map((h) => h.usb)];
    for (const h of this.handsets.values()) h.device.gps.powerOff();
    await Promise.all(this.lines.map((l) => l.pty?.close()));
    await Promise.all(servers.map((s) => s?.closeAsync()));
  }

  private handset(id: string): SimulatedHandset {
    const h = this.handsets.get(id);
    if (h === undefined) throw new NotFoundError(`no handset ${id}`);
    return h;
  }

  private view(h: SimulatedHandset): HandsetView {
    const fix = h.device.gps.best();
    const e = fix?.epoch;
    return {
      id: h.config.id,
      number: h.config.number,
      state: h.device.firmware.state,
      battery: Math.round(h.device.battery.percent()),
      position: e !== undefined && e.fix ? { lat: e.lat, lon: e.lon, at: e.timeMs } : null,
      // What the handset holds now (an engineer may have provisioned or wiped it over USB), not how it was made.
      provisioned: h.device.firmware.info().provisioned,
      inCoverage: !this.outOfCoverage.has(h.config.id),
      usbPort: h.usb?.port ?? null,
      reportsSent: h.device.firmware.reports.stats.sent,
    };
  }

  private control(target: string, detail: string): void {
    this.events.add({ at: this.clock.now(), type: 'control', target, detail });
  }

  /** Feeds the event log: reports sent, state changes, calls from handsets and to bank lines. */
  private observe(): void {
    const byNumber = new Map([...this.handsets.values()].map((h) => [h.config.number, h.config.id]));
    const lineOf = new Map(this.lines.map((l) => [l.number, l.index]));
    for (const h of this.handsets.values()) {
      const id = h.config.id;
      h.device.firmware.reports.onSent((r) => {
        const e = reportEvent(r.sentAtMs, r.text);
        if (e !== undefined) this.events.add(e);
      });
      h.device.firmware.onStateChange((state) => this.events.add({ at: this.clock.now(), type: 'state', handsetId: id, state }));
    }
    this.network.onEvent((e) => {
      if (e.type !== 'call') return;
      const handsetId = byNumber.get(e.from) ?? null;
      const line = e.to === undefined ? null : (lineOf.get(e.to) ?? null);
      if (handsetId === null && line === null) return;
      this.events.add({
        at: e.at,
        type: 'call',
        handsetId,
        callId: e.callId,
        state: e.state,
        from: e.from,
        dialled: e.dialled,
        line,
        emergency: e.emergency,
        reason: e.reason ?? null,
      });
    });
  }
}

/** Distinct, Luhn-valid IMEIs for the bank's modems (TAC 35693803, serials 9000xx). */
function bankImei(i: number): string {
  const first14 = `35693803${String(900000 + i).padStart(6, '0')}`;
  return `${first14}${imeiCheckDigit(first14)}`;
}

/** The handset's `force` setting allows letters, digits, space, `_` and `-`, at most 32 (config-names.ts). */
function firmwareForce(force: string): string {
  return force.replace(/[^A-Za-z0-9 _-]/g, '-').slice(0, 32);
}
