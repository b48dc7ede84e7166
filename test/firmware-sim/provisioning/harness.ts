// Test harness: a provisioning console in front of a minimal handset (real HandsetFlash, recording the rest),
// and an engineer's side that signs challenges with a fleet key made here.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { ManualClock } from '../../../protocol/time/clock.js';
import { DEFAULT_CONFIG, type HandsetConfig } from '../../../firmware-sim/handset/config.js';
import { HandsetFlash } from '../../../firmware-sim/handset/flash.js';
import { MemoryFlashDevice } from '../../../firmware-sim/handset/flash-device.js';
import { ProvisioningConsole } from '../../../firmware-sim/provisioning/console.js';
import { authMessage } from '../../../firmware-sim/provisioning/signature.js';
import type { AuthFailures, ConsoleSessionState, ProvisioningTarget } from '../../../firmware-sim/provisioning/target.js';

export const HANDSET_ID = 'TS-0001';

export function fleetKeyPair(): { privateKey: KeyObject; publicHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  return { privateKey, publicHex: Buffer.from(x, 'base64url').toString('hex') };
}

export function signChallenge(privateKey: KeyObject, handsetId: string, nonce: string): string {
  return sign(null, authMessage(handsetId, nonce), privateKey).toString('hex');
}

export class TestTarget implements ProvisioningTarget {
  readonly sessions: ConsoleSessionState[] = [];
  tampers = 0;
  testAlarms = 0;
  /** What alarmInProgress() answers (an alarm being tracked). */
  alarm = false;
  gpsListeners = new Set<(s: string) => void>();
  constructor(
    readonly flash: HandsetFlash,
    readonly device: MemoryFlashDevice,
  ) {}
  info() {
    return { id: HANDSET_ID, firmware: '1.0.0', imei: '356938035643809', provisioned: this.flash.settings.key !== undefined && this.flash.settings.config.gatewayNumber !== '' };
  }
  committedConfig(): HandsetConfig {
    return this.flash.settings.config;
  }
  factoryConfig(): HandsetConfig {
    return this.flash.factoryConfig;
  }
  hasKey(): boolean {
    return this.flash.settings.key !== undefined;
  }
  commit(config: HandsetConfig, key: Uint8Array | undefined): void {
    this.flash.commit({ config, key: key ?? this.flash.settings.key });
  }
  wipe(): void {
    this.flash.wipe();
  }
  alarmInProgress(): boolean {
    return this.alarm;
  }
  async selfTest() {
    return [
      { name: 'flash', ok: true, detail: 'crc ok' },
      { name: 'gps', ok: true, detail: 'fix, 9 satellites, HDOP 0.9' },
    ];
  }
  testAlarm(): void {
    this.testAlarms++;
  }
  tamper(): void {
    this.tampers++;
  }
  streamGps(listener: (s: string) => void): () => void {
    this.gpsListeners.add(listener);
    return () => this.gpsListeners.delete(listener);
  }
  consoleSession(state: ConsoleSessionState): void {
    this.sessions.push(state);
  }
  authFailures(): AuthFailures {
    return this.flash.authFailures;
  }
  saveAuthFailures(state: AuthFailures): void {
    this.flash.saveAuthFailures(state);
  }
}

export function setup() {
  const clock = new ManualClock();
  const fleet = fleetKeyPair();
  const device = new MemoryFlashDevice();
  const factory = { ...DEFAULT_CONFIG, fleetKey: fleet.publicHex };
  const target = new TestTarget(new HandsetFlash(device, factory), device);
  const usb = new ProvisioningConsole(target, { clock });
  let out = '';
  usb.onOutput((b) => (out += new TextDecoder().decode(b)));
  /** Sends one line and returns everything the console wrote in answer. */
  async function send(line: string): Promise<string> {
    out = '';
    usb.receive(new TextEncoder().encode(line + '\r'));
    await usb.idle();
    return out;
  }
  async function nonce(): Promise<string> {
    const r = await send('AT+TSAUTH?');
    const m = /\+TSAUTH: "([0-9a-f]{32})"/.exec(r);
    if (m === null) throw new Error(`no nonce in ${JSON.stringify(r)}`);
    return m[1] as string;
  }
  async function login(): Promise<string> {
    return send(`AT+TSAUTH=${signChallenge(fleet.privateKey, HANDSET_ID, await nonce())}`);
  }
  return { clock, fleet, device, target, usb, send, nonce, login, output: () => out, factory };
}
