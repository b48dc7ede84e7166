// The USB console in front of the real firmware: provisioning a blank handset, then an alarm the gateway
// can verify with the key written over USB; tamper lock-out with its TMP report; diagnostics.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeReport, verifyReportSync } from '../../../protocol/report/index.js';
import { decodeSentence } from '../../../protocol/nmea/index.js';
import { DEFAULT_CONFIG } from '../../../firmware-sim/handset/config.js';
import { Firmware } from '../../../firmware-sim/handset/firmware.js';
import { MemoryFlashDevice } from '../../../firmware-sim/handset/flash-device.js';
import { ProvisioningConsole } from '../../../firmware-sim/provisioning/console.js';
import { createPipePair } from '../../../firmware-sim/transport/memory-pipe.js';
import { GATEWAY_NUMBER, hmac, makeWorld } from '../handset/world.js';
import { fleetKeyPair, signChallenge } from './harness.js';

function blankHandset() {
  const fleet = fleetKeyPair();
  const device = new MemoryFlashDevice();
  const w = makeWorld({ flash: device, firmware: { factory: { ...DEFAULT_CONFIG, fleetKey: fleet.publicHex } } });
  const usb = new ProvisioningConsole(w.firmware, { clock: w.clock });
  const [handsetEnd, engineerEnd] = createPipePair();
  usb.attach(handsetEnd);
  let out = '';
  engineerEnd.onData((b) => (out += new TextDecoder().decode(b)));
  async function send(line: string): Promise<string> {
    out = '';
    engineerEnd.write(new TextEncoder().encode(line + '\r'));
    await usb.idle();
    await w.run(100);
    return out;
  }
  async function login(key = fleet.privateKey): Promise<string> {
    const nonce = /"([0-9a-f]{32})"/.exec(await send('AT+TSAUTH?'))?.[1] as string;
    return send(`AT+TSAUTH=${signChallenge(key, 'TS-0001', nonce)}`);
  }
  return { ...w, fleet, usb, send, login, engineerEnd, output: () => out };
}

function gatewayTexts(w: ReturnType<typeof blankHandset>): string[] {
  return w.gateway.received.filter((s) => s.content.concat === undefined).map((s) => s.content.text);
}

describe('USB console on the firmware', () => {
  it('provisions a blank handset; its alarm reports verify with the key written over USB', async () => {
    const w = blankHandset();
    await w.firmware.boot();
    await w.run(1000);
    expect(w.gateway.received).toHaveLength(0); // blank: nothing can be signed, nothing is sent
    expect(await w.send('AT+TSINFO?')).toContain('+TSINFO: "TS-0001","1.0.0","356938035643809",0');
    expect(await w.login()).toContain('OK');
    expect(w.firmware.state).toBe('provisioning');
    const key = randomBytes(32);
    for (const l of [`AT+TSCFG=gateway,${GATEWAY_NUMBER}`, 'AT+TSCFG=interval,20', 'AT+TSCFG=gesture,presses', `AT+TSKEY=${key.toString('hex')}`, 'AT+TSCOMMIT']) {
      expect(await w.send(l), l).toMatch(/\r\nOK\r\n$/);
    }
    expect(await w.send('AT+TSINFO?')).toMatch(/,1\r\n/);
    w.usb.disconnect();
    await w.run(100);
    expect(w.firmware.state).toBe('idle');

    // The committed gesture is live: three presses raise the alarm.
    for (let i = 0; i < 3; i++) {
      w.button.hold(200);
      await w.run(500);
    }
    await w.run(2000);
    expect(w.firmware.state).toBe('calling');
    const alm = decodeReport(gatewayTexts(w)[0] as string);
    expect(alm.ok && alm.event).toBe('ALM');
    expect(alm.ok && verifyReportSync(alm, new Uint8Array(key), hmac)).toBe(true);
  });

  it('three bad signatures: locked-out for 15 minutes, one TMP report, alarms still work', async () => {
    // A provisioned handset of one fleet; the abuser signs with a key of their own.
    const w = makeWorld({ config: { fleetKey: fleetKeyPair().publicHex } });
    const fleet = fleetKeyPair();
    const usb = new ProvisioningConsole(w.firmware, { clock: w.clock });
    let out = '';
    usb.onOutput((b) => (out += new TextDecoder().decode(b)));
    await w.firmware.boot();
    await w.run(1000);
    for (let i = 0; i < 3; i++) {
      usb.receive(new TextEncoder().encode('AT+TSAUTH?\r'));
      await usb.idle();
      const nonce = /"([0-9a-f]{32})"\r\n\r\nOK\r\n$/.exec(out)?.[1] as string;
      usb.receive(new TextEncoder().encode(`AT+TSAUTH=${signChallenge(fleet.privateKey, 'TS-0001', nonce)}\r`));
      await usb.idle();
    }
    expect(out).toMatch(/\+CME ERROR: 512\r\n$/);
    await w.run(5000);
    expect(w.firmware.state).toBe('locked-out');
    expect(w.reports().map((r) => r.event)).toEqual(['BOT', 'TMP']);
    w.button.hold(2500);
    await w.run(5000);
    expect(w.firmware.state).toBe('calling');
    const ring = w.line.ringing();
    w.line.answer(ring?.callId as number);
    await w.run(2000);
    w.command({ kind: 'STOP' });
    await w.run(2000);
    w.line.hangup(ring?.callId as number);
    await w.run(2000);
    expect(w.firmware.state).toBe('locked-out');
    // A reboot does not end the lock: the new firmware starts locked-out until the 15 minutes are over.
    const rebooted = new Firmware(
      { clock: w.clock, flash: w.device, button: w.button, gps: w.gps, battery: w.battery, modem: w.atModem, indicator: w.indicator, audio: w.audio },
      { identity: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809' } },
    );
    expect(rebooted.state).toBe('locked-out');
    await w.run(15 * 60_000);
    expect(w.firmware.state).toBe('idle');
    expect(rebooted.state).toBe('idle');
  });

  it('AT+TSTEST sends a TST report without a call; AT+TSSELFTEST reports each part, no position', async () => {
    const w = blankHandset();
    const key = randomBytes(32).toString('hex');
    await w.firmware.boot();
    await w.login();
    await w.send(`AT+TSCFG=gateway,${GATEWAY_NUMBER}`);
    await w.send(`AT+TSKEY=${key}`);
    await w.send('AT+TSCOMMIT');
    expect(await w.send('AT+TSTEST')).toMatch(/\r\nOK\r\n$/);
    await w.run(2000);
    expect(decodeReport(gatewayTexts(w)[0] as string)).toMatchObject({ ok: true, event: 'TST' });
    expect(w.commands()).not.toContain('ATD999;');

    w.button.hold(100);
    await w.run(500);
    w.engineerEnd.write(new TextEncoder().encode('AT+TSSELFTEST\r'));
    await w.run(40_000, 100);
    await w.usb.idle();
    const r = w.output();
    expect(r).toContain('+TSSELFTEST: "flash",1,"crc ok"');
    expect(r).toContain('+TSSELFTEST: "battery",1,"90%"');
    expect(r).toContain('+TSSELFTEST: "button",1,"pressed 1 times in the last minute"');
    expect(r).toContain('+TSSELFTEST: "modem",1,"registered, CSQ 20"');
    expect(r).toMatch(/\+TSSELFTEST: "gps",1,"fix, \d+ satellites, HDOP [\d.]+"/);
    expect(r).not.toMatch(/\d{4}\.\d{3,}/); // no ddmm.mmm anywhere
    expect(r).toMatch(/\r\nOK\r\n$/);
  });

  it('AT+TSGPS=1 streams the real receiver NMEA over USB until ESC; the GPS powers down after', async () => {
    const w = blankHandset();
    await w.firmware.boot();
    await w.login();
    expect(await w.send('AT+TSGPS=1')).toBe('\r\nOK\r\n');
    await w.run(30_000);
    const lines = w.output().split('\r\n').filter((l) => l.startsWith('$'));
    expect(lines.length).toBeGreaterThan(100);
    for (const l of lines) expect(decodeSentence(l).ok, l).toBe(true);
    expect(lines.some((l) => /^\$GPRMC,\d{6}\.\d\d,A,/.test(l))).toBe(true);
    expect(w.gps.isOn).toBe(true);
    w.engineerEnd.write(new Uint8Array([0x1b]));
    await w.run(3000);
    expect(w.output().endsWith('\r\nOK\r\n')).toBe(true);
    expect(w.gps.isOn).toBe(false);
  });
});
