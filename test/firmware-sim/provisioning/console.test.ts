import { describe, expect, it } from 'vitest';
import { HandsetFlash } from '../../../firmware-sim/handset/flash.js';
import { ProvisioningConsole } from '../../../firmware-sim/provisioning/console.js';
import { fleetKeyPair, HANDSET_ID, setup, signChallenge, TestTarget } from './harness.js';

const KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const OK = '\r\nOK\r\n';
/** AT+TSKEY='s answer for KEY_HEX: the first 4 bytes of HMAC-SHA256(key, "TSKCV1") (protocol/report/key-check.ts). */
const KEY_CHECK = '\r\n+TSKEY: "5c82ac0a"\r\n' + OK;

describe('provisioning console: unauthenticated', () => {
  it('AT+TSINFO? answers id, firmware, IMEI and provisioned, without authentication', async () => {
    const { send } = setup();
    expect(await send('AT+TSINFO?')).toBe('\r\n+TSINFO: "TS-0001","1.0.0","356938035643809",0\r\n' + OK);
    expect(await send('AT')).toBe(OK);
  });

  it('refuses every other command until authenticated (CME 3)', async () => {
    const { send, device } = setup();
    for (const cmd of ['AT+TSCFG?', 'AT+TSCFG=gateway,+447700900001', `AT+TSKEY=${KEY_HEX}`, 'AT+TSCOMMIT', 'AT+TSWIPE', 'AT+TSSELFTEST', 'AT+TSTEST', 'AT+TSGPS=1']) {
      const r = await send(cmd);
      expect(r, cmd).toMatch(/\+CME ERROR: 3\r\n$/);
      expect(r, cmd).toContain('+TSREASON: "authenticate first');
    }
    expect(device.writes).toBe(0);
  });

  it('answers unknown commands and non-AT lines with an error', async () => {
    const { send } = setup();
    expect(await send('AT+CGMI')).toMatch(/\+CME ERROR: 4\r\n$/);
    expect(await send('hello')).toBe('\r\nERROR\r\n');
    expect(await send('AT+TSINFO=1')).toMatch(/\+CME ERROR: 4\r\n$/);
  });
});

describe('provisioning console: Ed25519 challenge', () => {
  it('a good signature of TSAUTH1;<id>;<nonce> opens the session', async () => {
    const { login, send, target } = setup();
    expect(await login()).toBe(OK);
    expect(target.sessions).toEqual(['authenticated']);
    expect(await send('AT+TSCFG?')).toContain('+TSCFG: "emergency","999"');
  });

  it('a nonce is good for one attempt: replaying a good signature is refused (CME 513)', async () => {
    const { send, nonce, fleet, usb } = setup();
    const sig = signChallenge(fleet.privateKey, HANDSET_ID, await nonce());
    expect(await send(`AT+TSAUTH=${sig}`)).toBe(OK);
    usb.disconnect();
    expect(await send(`AT+TSAUTH=${sig}`)).toMatch(/\+CME ERROR: 513\r\n$/);
    expect(await send('AT+TSCFG?')).toMatch(/\+CME ERROR: 3\r\n$/);
  });

  it('a new AT+TSAUTH? voids the previous nonce', async () => {
    const { send, nonce, fleet } = setup();
    const first = await nonce();
    await nonce();
    expect(await send(`AT+TSAUTH=${signChallenge(fleet.privateKey, HANDSET_ID, first)}`)).toMatch(/\+CME ERROR: 16\r\n$/);
  });

  it('refuses a signature by another fleet key, or for another handset id (CME 16)', async () => {
    const { send, nonce, fleet } = setup();
    const other = fleetKeyPair();
    expect(await send(`AT+TSAUTH=${signChallenge(other.privateKey, HANDSET_ID, await nonce())}`)).toMatch(/\+CME ERROR: 16\r\n$/);
    expect(await send(`AT+TSAUTH=${signChallenge(fleet.privateKey, 'TS-0002', await nonce())}`)).toMatch(/\+CME ERROR: 16\r\n$/);
  });

  it('three bad signatures lock the port for 15 minutes and queue one TMP report', async () => {
    const { send, nonce, login, target, clock } = setup();
    const bad = '00'.repeat(64);
    await nonce();
    expect(await send(`AT+TSAUTH=${bad}`)).toContain('(1 of 3)');
    await nonce();
    expect(await send(`AT+TSAUTH=garbage`)).toContain('(2 of 3)');
    await nonce();
    const third = await send(`AT+TSAUTH=${bad}`);
    expect(third).toContain('+TSLOCK: 900');
    expect(third).toMatch(/\+CME ERROR: 512\r\n$/);
    expect(target.tampers).toBe(1);
    expect(target.sessions).toEqual(['locked']);
    // Locked: even the right key cannot get in, the challenge is refused, TSINFO still answers.
    expect(await send('AT+TSAUTH?')).toMatch(/\+TSLOCK: 900\r\n[\s\S]*\+CME ERROR: 512\r\n$/);
    expect(await send('AT+TSINFO?')).toContain('+TSINFO:');
    clock.advance(14 * 60_000);
    expect(await send('AT+TSAUTH?')).toContain('+TSLOCK: 60');
    clock.advance(60_000);
    expect(await login()).toBe(OK);
    expect(target.tampers).toBe(1);
  });

  it('a reboot does not reset the count or the lock: they are in flash', async () => {
    const first = setup();
    for (let i = 0; i < 2; i++) {
      await first.nonce();
      await first.send(`AT+TSAUTH=${'22'.repeat(64)}`);
    }
    // Power-cycle: a new console and target on the same flash chip.
    const again = new TestTarget(new HandsetFlash(first.device, first.factory), first.device);
    const usb = new ProvisioningConsole(again, { clock: first.clock });
    let out = '';
    usb.onOutput((b) => (out += new TextDecoder().decode(b)));
    const send = async (line: string) => {
      out = '';
      usb.receive(new TextEncoder().encode(line + '\r'));
      await usb.idle();
      return out;
    };
    await send('AT+TSAUTH?');
    expect(await send(`AT+TSAUTH=${'22'.repeat(64)}`)).toMatch(/\+TSLOCK: 900[\s\S]*\+CME ERROR: 512\r\n$/);
    expect(again.tampers).toBe(1);
    const third = new ProvisioningConsole(new TestTarget(new HandsetFlash(first.device, first.factory), first.device), { clock: first.clock });
    let out3 = '';
    third.onOutput((b) => (out3 += new TextDecoder().decode(b)));
    third.receive(new TextEncoder().encode('AT+TSAUTH?\r'));
    await third.idle();
    expect(out3).toMatch(/\+CME ERROR: 512\r\n$/);
  });

  it('pulling the cable does not reset the bad-signature count', async () => {
    const { send, nonce, usb, target } = setup();
    for (let i = 0; i < 3; i++) {
      await nonce();
      await send(`AT+TSAUTH=${'11'.repeat(64)}`);
      usb.disconnect();
    }
    expect(target.tampers).toBe(1);
  });
});

describe('provisioning console: staging, commit, wipe', () => {
  it('commit writes config and key in one go; TSINFO then says provisioned', async () => {
    const { login, send, device, factory } = setup();
    await login();
    expect(await send('AT+TSCFG=gateway,"+447700900001"')).toBe(OK);
    expect(await send('AT+TSCFG=interval,20')).toBe(OK);
    expect(await send(`AT+TSKEY=${KEY_HEX}`)).toBe(KEY_CHECK);
    expect(device.writes).toBe(0);
    expect(await send('AT+TSCFG?')).toContain('+TSCFG: "interval","20"');
    expect(await send('AT+TSCOMMIT')).toBe(OK);
    expect(await send('AT+TSINFO?')).toContain(',1\r\n');
    const after = new HandsetFlash(device, factory);
    expect(after.settings.config.gatewayNumber).toBe('+447700900001');
    expect(after.settings.config.intervalS).toBe(20);
    expect(Buffer.from(after.settings.key as Uint8Array).toString('hex')).toBe(KEY_HEX);
  });

  it('refuses to commit a half-provisioned handset (CME 514) and leaves flash untouched', async () => {
    const { login, send, device } = setup();
    await login();
    await send('AT+TSCFG=gateway,+447700900001');
    expect(await send('AT+TSCOMMIT')).toMatch(/AT\+TSKEY[\s\S]*\+CME ERROR: 514\r\n$/);
    expect(device.writes).toBe(0);
  });

  it('uncommitted staging is lost on disconnect', async () => {
    const { login, send, usb, device } = setup();
    await login();
    await send('AT+TSCFG=gateway,+447700900001');
    await send(`AT+TSKEY=${KEY_HEX}`);
    usb.disconnect();
    await login();
    expect(await send('AT+TSCFG?')).toContain('+TSCFG: "gateway",""');
    expect(await send('AT+TSCOMMIT')).toMatch(/\+CME ERROR: 514\r\n$/);
    expect(device.writes).toBe(0);
  });

  it('refuses bad values with a reason and unknown settings', async () => {
    const { login, send } = setup();
    await login();
    expect(await send('AT+TSCFG=interval,2')).toMatch(/out of range 5\.\.3600[\s\S]*\+CME ERROR: 50\r\n$/);
    expect(await send('AT+TSCFG=colour,red')).toMatch(/unknown setting[\s\S]*\+CME ERROR: 50\r\n$/);
    expect(await send('AT+TSKEY=abcd')).toMatch(/\+CME ERROR: 50\r\n$/);
  });

  it('wipe erases the key and config: not provisioned any more', async () => {
    const { login, send, target } = setup();
    await login();
    await send('AT+TSCFG=gateway,+447700900001');
    await send(`AT+TSKEY=${KEY_HEX}`);
    await send('AT+TSCOMMIT');
    expect(await send('AT+TSWIPE')).toBe(OK);
    expect(target.hasKey()).toBe(false);
    expect(await send('AT+TSINFO?')).toContain(',0\r\n');
    expect(await send('AT+TSCFG?')).toContain('+TSCFG: "gateway",""');
  });

  it('self-test and test alarm answer after authentication', async () => {
    const { login, send, target } = setup();
    await login();
    expect(await send('AT+TSSELFTEST')).toBe('\r\n+TSSELFTEST: "flash",1,"crc ok"\r\n\r\n+TSSELFTEST: "gps",1,"fix, 9 satellites, HDOP 0.9"\r\n' + OK);
    expect(await send('AT+TSTEST')).toBe(OK);
    expect(target.testAlarms).toBe(1);
  });

  it('AT+TSGPS=1 streams raw NMEA after the OK until ESC', async () => {
    const { login, send, target, clock, usb, output } = setup();
    await login();
    expect(await send('AT+TSGPS=1')).toBe(OK);
    clock.advance(0);
    const sentence = '$GPRMC,060001.00,V,,,,,,,231126,,,N*7F\r\n';
    for (const l of target.gpsListeners) l(sentence);
    expect(output()).toBe(OK + sentence);
    usb.receive(new Uint8Array([0x1b]));
    expect(target.gpsListeners.size).toBe(0);
    expect(await send('AT+TSGPS=1')).toBe(OK);
    clock.advance(0);
    expect(await send('AT+TSGPS=0')).toBe(OK);
    expect(target.gpsListeners.size).toBe(0);
  });
});

describe('provisioning console: the key never comes back', () => {
  it('with echo on (ATE1) the key typed after AT+TSKEY= echoes as stars', async () => {
    const { login, send } = setup();
    await login();
    expect(await send('ATE1')).toBe('\r\nOK\r\n');
    expect(await send(`AT+TSKEY=${KEY_HEX}`)).toBe(`AT+TSKEY=${'*'.repeat(64)}\r${KEY_CHECK}`);
    expect(await send('AT')).toBe('AT\r\r\nOK\r\n');
  });

  it('no command, in any form, returns the key after it was written', async () => {
    const { login, send, usb } = setup();
    await login();
    await send('AT+TSCFG=gateway,+447700900001');
    await send(`AT+TSKEY=${KEY_HEX}`);
    let all = '';
    const forms = ['', '?', '=?', '=1', '=0', '=key', `=${KEY_HEX}`, '=gateway,1'];
    for (const name of ['+TSINFO', '+TSAUTH', '+TSCFG', '+TSKEY', '+TSSELFTEST', '+TSTEST', '+TSGPS', '+TSCOMMIT']) {
      for (const f of forms) all += await send(`AT${name}${f}`);
      if (name === '+TSCOMMIT') usb.disconnect();
      await login();
    }
    const keyB64 = Buffer.from(KEY_HEX, 'hex').toString('base64').slice(0, 20);
    const keyB64u = Buffer.from(KEY_HEX, 'hex').toString('base64url').slice(0, 20);
    expect(all.toLowerCase()).not.toContain(KEY_HEX.slice(8, 40));
    expect(all).not.toContain(keyB64);
    expect(all).not.toContain(keyB64u);
    expect(all).toContain('+TSCFG:');
  });
});

describe('provisioning console: what a previous connection leaves behind', () => {
  it("an over-long line the killed host left unfinished does not turn the next host's first command into ERROR", async () => {
    const { send, usb } = setup();
    // The old tool dies mid-line (or sends noise) past the 512-byte limit, no CR; a new host connects.
    usb.receive(new TextEncoder().encode('A'.repeat(600)));
    usb.newConnection();
    expect(await send('AT+TSINFO?')).toContain('+TSINFO: "TS-0001"');
  });

  it('ESC drops an over-long line too: the next command runs', async () => {
    const { send, usb } = setup();
    usb.receive(new TextEncoder().encode('A'.repeat(600)));
    usb.receive(new Uint8Array([0x1b]));
    expect(await send('AT+TSINFO?')).toContain('+TSINFO: "TS-0001"');
  });
});
