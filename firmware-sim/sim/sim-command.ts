// `npm run sim -- [options]` (args.ts): the whole simulation as a program. Starts the network, the modem bank
// and the handsets on the wall clock, writes the manifest (mode 0600), starts the control API and emulator
// page, plays the scenario (firmware-sim/scenarios/demo-walk.json unless --scenario or --interactive), prints
// where everything listens and one line per thing that happens, and stops cleanly on SIGINT / SIGTERM
// (scenario cancelled, HTTP server and every TCP listener closed).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startControlServer, type ControlServer } from '../control/control-server.js';
import { playScenario, type ScenarioRun } from '../scenario/player.js';
import { loadScenario } from '../scenario/scenario.js';
import { parseSimArgs, type SimArgs } from './args.js';
import { parseSimConfig, type SimConfig } from './config.js';
import type { SimEvent } from './event-log.js';
import { writeManifest } from './manifest.js';
import { Simulation } from './simulation.js';

/** The scenario `npm run sim` plays when neither --scenario nor --interactive is given. */
export const DEFAULT_SCENARIO = fileURLToPath(new URL('../scenarios/demo-walk.json', import.meta.url));

/** Where the command writes (stdout and stderr in the program; arrays in tests). */
export interface SimCommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const processIo: SimCommandIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

/** Reads the configuration file (if any) and applies the command-line overrides. */
export function loadSimConfig(args: SimArgs): SimConfig {
  let raw: Record<string, unknown> = {};
  if (args.configFile !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(args.configFile, 'utf8'));
    } catch (e) {
      throw new Error(`cannot read simulator configuration ${args.configFile}: ${(e as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`simulator configuration ${args.configFile}: (top level): must be a JSON object`);
    raw = json as Record<string, unknown>;
  }
  const filePorts = typeof raw['ports'] === 'object' && raw['ports'] !== null ? (raw['ports'] as Record<string, unknown>) : {};
  return parseSimConfig(
    { ...raw, ...(args.seed !== undefined ? { seed: args.seed } : {}), ...(Object.keys(args.ports).length > 0 ? { ports: { ...filePorts, ...args.ports } } : {}) },
    args.configFile ?? 'defaults',
  );
}

/** One printed line per event (times in UTC). */
export function describeEvent(e: SimEvent): string {
  const t = new Date(e.at).toISOString().slice(11, 19);
  switch (e.type) {
    case 'report':
      return `${t} ${e.handsetId} sent ${e.event} n=${e.counter} battery ${e.batteryPct}% ${e.position === null ? 'no fix' : `${e.position.lat.toFixed(5)},${e.position.lon.toFixed(5)}`}`;
    case 'call':
      return `${t} call ${e.callId} ${e.from} -> ${e.dialled}: ${e.state}${e.line === null ? '' : ` (bank line ${e.line})`}${e.reason === null ? '' : ` ${e.reason}`}`;
    case 'state':
      return `${t} ${e.handsetId} is ${e.state}`;
    case 'button':
      return `${t} ${e.handsetId} button: ${e.gesture}`;
    case 'control':
      return `${t} ${e.target}: ${e.detail}`;
    default: {
      const never: never = e;
      return JSON.stringify(never);
    }
  }
}

/** A running simulation program; `stop()` is what SIGINT / SIGTERM call. */
export interface RunningSim {
  readonly sim: Simulation;
  readonly control: ControlServer;
  readonly scenario: ScenarioRun | undefined;
  stop(): Promise<void>;
}

/** Starts everything (see the file comment); throws a message a person can act on. */
export async function startSimProgram(args: SimArgs, io: SimCommandIo = processIo): Promise<RunningSim> {
  const config = loadSimConfig(args);
  const scenarioPath = args.interactive ? undefined : (args.scenario ?? DEFAULT_SCENARIO);
  const scenario = scenarioPath === undefined ? undefined : loadScenario(scenarioPath);
  // The handsets' flash lives beside the manifest (data/sim-flash/<id>/): counters never go back across runs.
  const flashDir = join(dirname(args.registryOut), 'sim-flash');
  const sim = await Simulation.start({ config, flashDir });
  let control: ControlServer;
  try {
    writeManifest(args.registryOut, sim.manifest());
    control = await startControlServer(sim, { port: config.ports.control });
  } catch (e) {
    await sim.close();
    throw e;
  }
  io.out(`TecSOS simulator: seed ${config.seed}, ${sim.handsets.size} handsets, ${sim.lines.length} bank lines`);
  for (const l of sim.lines) {
    io.out(`  bank line ${l.index} ${l.number}${l.number === sim.smsNumber ? ' (SMS number)' : ''}  tcp://127.0.0.1:${l.server?.port ?? '-'}${l.pty === undefined ? '' : `  pty ${l.pty.path}`}`);
  }
  for (const h of sim.handsets.values()) io.out(`  handset ${h.config.id} ${h.config.number}${h.device.firmware.info().provisioned ? '' : ' (blank)'}  USB tcp://127.0.0.1:${h.usb?.port ?? '-'}`);
  io.out(`  control API and handset emulator: ${control.url}/`);
  io.out(`  manifest: ${args.registryOut} (mode 0600; gateway: --registry ${args.registryOut})`);
  io.out(`  handsets' flash: ${flashDir}/<id>/ (kept across restarts: report counters never go back)`);
  for (const e of sim.events.since(0)) io.out(describeEvent(e));
  sim.events.onEvent((e) => io.out(describeEvent(e)));
  await sim.booted;
  const run = scenario === undefined ? undefined : playScenario(sim, scenario);
  io.out(scenario === undefined ? '  interactive: no scenario' : `  scenario: ${scenario.name} (${scenario.steps.length} steps) ${scenario.description}`);
  let stopping: Promise<void> | undefined;
  return {
    sim,
    control,
    scenario: run,
    stop: () =>
      (stopping ??= (async () => {
        run?.cancel();
        await control.close();
        await sim.close();
      })()),
  };
}

/** `npm run sim -- ...`: runs until SIGINT / SIGTERM; resolves with the exit code. */
export async function runSimCommand(argv: readonly string[], io: SimCommandIo = processIo): Promise<number> {
  // The signals are taken before the start: it prints what happens while it boots (a handset's BOT), and a
  // SIGTERM sent on seeing such a line came before the handlers existed and killed the process by the default
  // action (no clean stop; a flaky test under load). One that comes during the start stops it once started.
  let onSignal = (signal: string): void => {
    signalled ??= signal;
  };
  let signalled: string | undefined;
  const sigint = (): void => onSignal('SIGINT');
  const sigterm = (): void => onSignal('SIGTERM');
  process.once('SIGINT', sigint);
  process.once('SIGTERM', sigterm);
  let running: RunningSim;
  try {
    running = await startSimProgram(parseSimArgs(argv), io);
  } catch (e) {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    io.err((e as Error).message);
    return 2;
  }
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      io.out(`${signal}: stopping`);
      void running.stop().then(() => resolve(0));
    };
    if (signalled !== undefined) stop(signalled);
    else onSignal = stop;
  });
}
