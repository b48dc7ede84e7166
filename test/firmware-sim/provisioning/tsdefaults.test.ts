// AT+TSDEFAULTS stages the handset's factory settings: the same ones AT+TSWIPE goes back to (the factory image
// the handset was built with, not the simulator's generic defaults), the fleet key kept, nothing committed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../firmware-sim/handset/config.js';
import { MemoryFlashDevice } from '../../../firmware-sim/handset/flash-device.js';
import { ProvisioningConsole } from '../../../firmware-sim/provisioning/console.js';
import { createPipePair } from '../../../firmware-sim/transport/memory-pipe.js';
import { makeWorld } from '../handset/world.js';
import { fleetKeyPair, signChallenge } from './harness.js';

function handset() {
  const fleet = fleetKeyPair();
  // Built for a market where the emergency number is 112, with a higher low-battery warning.
  const factory = { ...DEFAULT_CONFIG, fleetKey: fleet.publicHex, emergencyNumber: '112', lowBatteryPercent: 25 };
  const w = makeWorld({ flash: new MemoryFlashDevice(), firmware: { factory } });
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
  async function login(): Promise<string> {
    const nonce = /"([0-9a-f]{32})"/.exec(await send('AT+TSAUTH?'))?.[1] as string;
    return send(`AT+TSAUTH=${signChallenge(fleet.privateKey, 'TS-0001', nonce)}`);
  }
  return { ...w, send, login };
}

describe('AT+TSDEFAULTS', () => {
  it('stages the settings AT+TSWIPE goes back to, keeping the fleet key; nothing committed', async () => {
    const w = handset();
    await w.firmware.boot();
    expect(await w.login()).toContain('OK');
    for (const l of ['AT+TSCFG=gateway,+447700900001', 'AT+TSCFG=emergency,999', 'AT+TSCFG=silent,0', `AT+TSKEY=${'ab'.repeat(32)}`, 'AT+TSCOMMIT']) {
      expect(await w.send(l), l).toMatch(/\r\nOK\r\n$/);
    }
    const committed = await w.send('AT+TSCFG?');
    expect(await w.send('AT+TSDEFAULTS')).toMatch(/\r\nOK\r\n$/);
    const staged = await w.send('AT+TSCFG?');
    expect(w.firmware.committedConfig()).toMatchObject({ emergencyNumber: '999', silent: false });
    expect(await w.send('AT+TSWIPE')).toMatch(/\r\nOK\r\n$/);
    const wiped = await w.send('AT+TSCFG?');
    expect(staged).not.toBe(committed);
    expect(staged).toBe(wiped);
    expect(staged).toContain('+TSCFG: "emergency","112"');
    expect(staged).toContain('+TSCFG: "lowbattery","25"');
  });
});
