// Test rig for the provisioning tool: a real simulated handset (firmware-sim SimHandset: firmware, GPS, its
// own SimModem on the simulated GSM network) with its USB console served on an ephemeral TCP port, the whole
// gateway (gateway/core startGateway: SQLite store in a temp dir, core, HTTP edge) whose lines sit on the same
// network (test/gateway/e2e NetworkLineBank), a fleet key file, and the CLI run in-process with its output
// captured. Everything runs on the wall clock (the CLI's timeouts are real); the GPS gets a fix at its first epoch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { systemClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { DEFAULT_CONFIG, type HandsetConfig } from '../../../firmware-sim/handset/config.js';
import { SimHandset } from '../../../firmware-sim/handset/sim-handset.js';
import { SimNetwork } from '../../../firmware-sim/network/index.js';
import { serveConsoleOverTcp } from '../../../firmware-sim/provisioning/tcp-console.js';
import { GatewayConfigSchema } from '../../../gateway/config/config.js';
import { startGateway, type GatewayApp } from '../../../gateway/core/gateway-app.js';
import { openPort } from '../../../hardware/ports/index.js';
import { runCli } from '../../../hardware/cli/main.js';
import type { CliIo } from '../../../hardware/cli/io.js';
import { generateFleetKey } from '../../../hardware/provisioning/fleet-key.js';
import { NetworkLineBank } from '../../gateway/e2e/network-line-bank.js';

export const HANDSET_ID = 'TS-0042';
export const IMEI = '356938035643809';
export const HANDSET_NUMBER = '+447700900123';
export const LINE = '+441632960001';
export const PASSWORD = 'bench-engineer-password';
/** The report key the CLI generates (its randomBytes is fixed here so tests can look for it everywhere). */
export const REPORT_KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
export const REPORT_KEY_HEX = Buffer.from(REPORT_KEY).toString('hex');

export type CliRun = { code: number; stdout: string; stderr: string; json: Record<string, unknown> | undefined };

export function tmpDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `factory`: settings of the handset's factory image besides the fleet key (a short `trackingMinutes`). */
export async function makeRig(options: { gateway?: boolean; factory?: Partial<HandsetConfig> } = {}) {
  const dir = tmpDir();
  const keyFile = path.join(dir, 'fleet-key.pem');
  const fleet = await generateFleetKey(keyFile);
  if (!fleet.ok) throw new Error(fleet.message);
  const clock = systemClock;
  const random = new SeededRandom(3);
  const network = new SimNetwork({ clock, random, emergencyLines: [LINE], callSetupMs: 10 });
  const handset = new SimHandset({
    clock,
    random,
    network,
    msisdn: HANDSET_NUMBER,
    identity: { id: HANDSET_ID, firmware: '1.0.0', imei: IMEI },
    factory: { ...DEFAULT_CONFIG, ...options.factory, fleetKey: fleet.value.publicHex },
    route: { waypoints: [{ lat: 51.5007, lon: -0.1218, speedMps: 0 }] },
    gps: { coldStartS: 0, hotStartS: 0 },
    batteryPercent: 90,
  });
  /** Every byte the handset's console ever sent, for the secrecy scans. */
  let consoleOutput = '';
  handset.usb.onOutput((b) => (consoleOutput += Buffer.from(b).toString('latin1')));
  await handset.boot();
  const server = await serveConsoleOverTcp(handset.usb, 0);
  const spec = `tcp://127.0.0.1:${server.port}`;

  let app: GatewayApp | undefined;
  if (options.gateway !== false) {
    const config = GatewayConfigSchema.parse({ db: path.join(dir, 'tecsos.db'), http: '127.0.0.1:0', demoUsers: true, demoPassword: PASSWORD });
    app = await startGateway({
      config,
      env: {},
      clock,
      logger: pino({ level: 'silent' }),
      lineBank: (_specs, listener) => new NetworkLineBank(network, [LINE], listener, clock),
    });
  }

  onTestFinished(async () => {
    await server.closeAsync();
    await app?.close();
  });

  /** Runs `tecsos <args>` in-process; `--json` output is parsed. */
  async function cli(args: readonly string[], env: Record<string, string> = {}, faults: { reopenFails?: boolean; onStdout?: (text: string) => void; randomKey?: Uint8Array; onInterrupt?: CliIo['onInterrupt'] } = {}): Promise<CliRun> {
    let opens = 0;
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
        faults.onStdout?.(t);
      },
      stderr: (t) => void (stderr += t),
      env: { TECSOS_PASSWORD: PASSWORD, TECSOS_FLEET_KEY: keyFile, ...env },
      openPort: (s) => (faults.reopenFails === true && opens++ > 0 ? openPort('tcp://127.0.0.1:1') : openPort(s)),
      fetch: globalThis.fetch,
      randomBytes: (n) => (faults.randomKey ?? REPORT_KEY).slice(0, n),
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 200))),
      now: () => Date.now(),
      home: dir,
      ...(faults.onInterrupt && { onInterrupt: faults.onInterrupt }),
    };
    const code = await runCli(args, io);
    let json: Record<string, unknown> | undefined;
    if (args.includes('--json')) json = JSON.parse(stdout) as Record<string, unknown>;
    return { code, stdout, stderr, json };
  }

  /** Presses the button once (a short press: counted by the self-test, no alarm). */
  function pressButton(): void {
    handset.button.hold(150);
  }

  const provisionArgs = (port = spec): string[] => [
    'provision', '--port', port, '--gateway', app?.url ?? 'http://127.0.0.1:9', '--force', 'Metropolitan Police',
    '--number', HANDSET_NUMBER, '--gateway-number', LINE, '--interval', '20',
    '--victim-name', 'Jane Doe', '--safety-notes', 'Abuser has keys to the flat.', '--risk-markers', 'weapons',
    '--verify-wait', '30', '--button-wait', '10',
  ];

  /** Every stored gateway event. */
  const events = async () => (app === undefined ? [] : (await app.store.readSince(0, 100_000)).map((e) => e.event as Record<string, unknown>));

  return { dir, keyFile, fleet: fleet.value, network, handset, server, spec, app, cli, pressButton, provisionArgs, events, consoleOutput: () => consoleOutput };
}

/** Waits (polling, bounded) until `check` is true; throws with `what` otherwise. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
