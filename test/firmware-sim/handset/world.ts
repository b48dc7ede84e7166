// A whole simulated world for firmware tests: network, the control room's line, the gateway's phone, and one
// handset (firmware + simulated parts + its own SimModem over an in-memory pipe, driven by protocol/at).
import { createHmac } from 'node:crypto';
import { decodeReport, encodeCommandSync, verifyReportSync, type DecodedReport, type HandsetCommand } from '../../../protocol/report/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import type { HandsetConfig } from '../../../firmware-sim/handset/config.js';
import { MemoryFlashDevice } from '../../../firmware-sim/handset/flash-device.js';
import type { FirmwareOptions } from '../../../firmware-sim/handset/firmware.js';
import { SimHandset } from '../../../firmware-sim/handset/sim-handset.js';
import type { TranscriptEntry } from '../../../firmware-sim/modem/index.js';
import { SimNetwork, VirtualPhone } from '../../../firmware-sim/network/index.js';

export const HANDSET_NUMBER = '+447700900123';
export const GATEWAY_NUMBER = '+447700900000';
export const LINE_NUMBER = '+441632960001';
export const KEY = new Uint8Array(32).map((_, i) => 0xa0 ^ i);
export const START = Date.UTC(2026, 10, 23, 6, 0, 0);

export const hmac = (key: Uint8Array, message: Uint8Array): Uint8Array => new Uint8Array(createHmac('sha256', key).update(message).digest());

/** A walk along the Thames, then a bus ride (fast: 10 s TRK interval). */
export const ROUTE = {
  waypoints: [
    { lat: 51.5007, lon: -0.1218, speedMps: 1.4 },
    { lat: 51.5033, lon: -0.1195, speedMps: 1.4 },
    { lat: 51.508, lon: -0.1167, speedMps: 0 },
  ],
};

export interface WorldOptions {
  readonly config?: Partial<HandsetConfig>;
  readonly provisioned?: boolean;
  readonly firmware?: Partial<FirmwareOptions>;
  readonly flash?: MemoryFlashDevice;
  readonly battery?: number;
  /** The clock's start (default START); a reboot test starts the new world where the old one stopped. */
  readonly start?: number;
}

export function makeWorld(options: WorldOptions = {}) {
  const clock = new ManualClock(options.start ?? START);
  const random = new SeededRandom(42);
  const network = new SimNetwork({ clock, random, emergencyLines: [LINE_NUMBER] });
  const line = new VirtualPhone(network, LINE_NUMBER);
  const gateway = new VirtualPhone(network, GATEWAY_NUMBER);
  const flash = options.flash ?? new MemoryFlashDevice();
  const handset = new SimHandset({
    clock,
    random,
    network,
    msisdn: HANDSET_NUMBER,
    identity: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809' },
    ...(options.firmware?.factory === undefined ? {} : { factory: options.firmware.factory }),
    ...(options.provisioned === false || options.flash !== undefined
      ? {}
      : { provision: { config: { gatewayNumber: GATEWAY_NUMBER, ...options.config }, key: KEY } }),
    flash,
    route: ROUTE,
    gps: { coldStartS: 20 },
    batteryPercent: options.battery ?? 90,
    firmware: options.firmware ?? {},
  });
  const { modem, gps, button, battery, indicator, audio, atModem, firmware } = handset;
  const device = flash;
  const transcript: TranscriptEntry[] = [];
  modem.onTranscript((e) => transcript.push(e));
  let gatewayCounter = 100;

  /** Every report the gateway's phone received, parts joined, decoded and MAC-checked. */
  function reports(): DecodedReport[] {
    const parts = new Map<string, { total: number; texts: string[] }>();
    const whole: string[] = [];
    for (const sms of gateway.received) {
      const c = sms.content.concat;
      if (c === undefined) {
        whole.push(sms.content.text);
        continue;
      }
      // The network hands over protocol/sms's Concat ({ref, total, seq}) at run time.
      const { ref, seq } = c as unknown as { ref: number; seq: number };
      const key = `${sms.from}/${ref}`;
      const p = parts.get(key) ?? { total: c.total, texts: [] };
      p.texts[seq - 1] = sms.content.text;
      parts.set(key, p);
      if (p.texts.filter((t) => t !== undefined).length === p.total) whole.push(p.texts.join(''));
    }
    return whole.map((text) => {
      const r = decodeReport(text);
      if (!r.ok) throw new Error(`gateway got a report that does not decode: ${text}: ${r.detail}`);
      if (!verifyReportSync(r, KEY, hmac)) throw new Error(`report MAC does not verify: ${text}`);
      return r;
    });
  }

  /** The gateway sends a signed TSC1 to the handset; returns the text. */
  function command(c: HandsetCommand, n = ++gatewayCounter, key = KEY): string {
    const text = encodeCommandSync({ handsetId: 'TS-0001', counter: n, command: c }, key, hmac);
    gateway.sendSms(HANDSET_NUMBER, text);
    return text;
  }

  /** Commands the firmware sent to its modem, in order. */
  const commands = () => transcript.filter((e) => e.kind === 'command').map((e) => e.text);

  /** Advances simulated time, letting the firmware's promise chains run between timer steps. */
  const run = (ms: number, stepMs = 50) => clock.advanceAsync(ms, stepMs);

  return { clock, network, line, gateway, handset, modem, transcript, device, gps, button, battery, indicator, audio, atModem, firmware, reports, command, commands, run };
}

export type World = ReturnType<typeof makeWorld>;

/**
 * Booted, with `bootMs` settled, the alarm raised, its 999 call answered `ringMs` after the hold and then hung
 * up by the call handler: the handset is tracking. Throws if it is not in-call after the answer or not
 * tracking after the hang-up (a scenario that went wrong, not the thing under test).
 */
export async function trackingAfterAnsweredCall(options: { bootMs?: number; ringMs?: number } = {}): Promise<World> {
  const w = makeWorld();
  await w.firmware.boot();
  if (options.bootMs !== undefined) await w.run(options.bootMs);
  w.button.hold(2500);
  await w.run(options.ringMs ?? 5000);
  const callId = w.line.ringing()?.callId as number;
  w.line.answer(callId);
  await w.run(2000);
  const state = (): string => w.firmware.state;
  if (state() !== 'in-call') throw new Error(`answered, but the handset is ${state()}`);
  w.line.hangup(callId);
  await w.run(2000);
  if (state() !== 'tracking') throw new Error(`hung up, but the handset is ${state()}`);
  return w;
}

/** Booted for a second, then no network; `gapMs` later the button held: an alarm raised without coverage. */
export async function alarmWithoutNetwork(gapMs = 1000): Promise<World> {
  const w = makeWorld();
  await w.firmware.boot();
  await w.run(1000);
  w.network.setDown(true);
  if (gapMs > 0) await w.run(gapMs);
  w.button.hold(2500);
  return w;
}

/** Collapses runs of the same line (CLCC polling) to one, for readable sequence assertions. */
export function collapse(lines: readonly string[]): string[] {
  return lines.filter((l, i) => i === 0 || l !== lines[i - 1]);
}
