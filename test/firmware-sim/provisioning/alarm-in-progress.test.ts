// The USB console while her alarm is being tracked: AT+TSWIPE, or an AT+TSCOMMIT of a new report key or gateway
// number, would silently end her reports (the handset still shows `tracking`, GPS on, and sends nothing, or sends
// what the gateway cannot verify, or sends to another number). Both are refused with +CME ERROR: 515 until the
// control room stops tracking; staging (AT+TSCFG=, AT+TSKEY=) is kept. A test-mode TST is not an alarm.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../firmware-sim/handset/config.js';
import { MemoryFlashDevice } from '../../../firmware-sim/handset/flash-device.js';
import { ProvisioningConsole } from '../../../firmware-sim/provisioning/console.js';
import { createPipePair } from '../../../firmware-sim/transport/memory-pipe.js';
import { GATEWAY_NUMBER, makeWorld } from '../handset/world.js';
import { fleetKeyPair, signChallenge } from './harness.js';

const REFUSED_515 = /\r\n\+TSREASON: "alarm in progress[^"]*"\r\n\r\n\+CME ERROR: 515\r\n$/;

/**
 * A provisioned handset with a console on its USB port, booted; `testMode` for a bench handset; `blank`: a new
 * handset, not provisioned (no report key, no gateway number), its factory image holding the fleet key.
 */
async function handsetWithConsole(testMode = false, blank = false) {
  const fleet = fleetKeyPair();
  const w = blank
    ? makeWorld({ flash: new MemoryFlashDevice(), firmware: { factory: { ...DEFAULT_CONFIG, fleetKey: fleet.publicHex } } })
    : makeWorld({ config: { fleetKey: fleet.publicHex, testMode } });
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
  async function login(): Promise<void> {
    const nonce = /"([0-9a-f]{32})"/.exec(await send('AT+TSAUTH?'))?.[1] as string;
    expect(await send(`AT+TSAUTH=${signChallenge(fleet.privateKey, 'TS-0001', nonce)}`)).toMatch(/\r\nOK\r\n$/);
  }
  await w.firmware.boot();
  await w.run(1000);
  return { ...w, usb, send, login };
}

/** Her alarm: raised, the 999 call answered and hung up by the handler; the handset is tracking. */
async function tracking(blank = false) {
  const w = await handsetWithConsole(false, blank);
  w.button.hold(2500);
  await w.run(5000);
  const call = w.line.ringing()?.callId as number;
  w.line.answer(call);
  await w.run(2000);
  w.line.hangup(call);
  await w.run(2000);
  expect(w.firmware.state).toBe('tracking');
  return w;
}

/** TRK reports the gateway received, signed with the key it holds (reports() throws on any other key). */
const trks = (w: Awaited<ReturnType<typeof tracking>>) => w.reports().filter((r) => r.event === 'TRK').length;

describe('the USB console while an alarm is tracked', () => {
  it('AT+TSWIPE is refused with 515 and her TRK reports go on; once the control room stops tracking, it wipes', async () => {
    const w = await tracking();
    await w.login();
    const before = trks(w);
    expect(await w.send('AT+TSWIPE')).toMatch(REFUSED_515);
    expect(await w.send('AT+TSINFO?')).toMatch(/,1\r\n/); // still provisioned
    await w.run(5 * 60_000);
    expect(w.firmware.state).toBe('tracking');
    expect(trks(w) - before).toBeGreaterThanOrEqual(9); // every 30 s

    w.command({ kind: 'STOP' });
    await w.run(2000);
    expect(w.firmware.state).toBe('provisioning');
    expect(await w.send('AT+TSWIPE')).toMatch(/\r\nOK\r\n$/);
    expect(await w.send('AT+TSINFO?')).toMatch(/,0\r\n/);
  });

  it('refuses while the call is still being placed too (the alarm is tracked from the gesture)', async () => {
    const w = await handsetWithConsole();
    w.button.hold(2500);
    await w.run(4000);
    expect(w.firmware.state).toBe('calling');
    await w.login();
    expect(await w.send('AT+TSWIPE')).toMatch(REFUSED_515);
    expect(await w.send('AT+TSINFO?')).toMatch(/,1\r\n/);
  });

  it('refuses during her 999 call after the control room stopped tracking (the call is still her alarm)', async () => {
    const w = await handsetWithConsole();
    w.button.hold(2500);
    await w.run(5000);
    const call = w.line.ringing()?.callId as number;
    w.line.answer(call);
    await w.run(2000);
    expect(w.firmware.state).toBe('in-call');
    w.command({ kind: 'STOP' });
    await w.run(2000);
    expect(w.firmware.state).toBe('in-call');
    await w.login();
    expect(await w.send('AT+TSWIPE')).toMatch(REFUSED_515);
    w.line.hangup(call);
    await w.run(2000);
    expect(await w.send('AT+TSWIPE')).toMatch(/\r\nOK\r\n$/);
  });

  it('AT+TSCOMMIT of a new key or gateway number is refused with 515, staging kept; after the STOP it commits', async () => {
    const w = await tracking();
    await w.login();
    const before = trks(w);
    expect(await w.send(`AT+TSKEY=${randomBytes(32).toString('hex')}`)).toMatch(/\r\nOK\r\n$/);
    const keyRefusal = await w.send('AT+TSCOMMIT');
    expect(keyRefusal).toMatch(REFUSED_515);
    expect(keyRefusal).toContain('the report key');
    expect(await w.send('AT+TSCFG=gateway,+447700900999')).toMatch(/\r\nOK\r\n$/);
    const numberRefusal = await w.send('AT+TSCOMMIT');
    expect(numberRefusal).toMatch(REFUSED_515);
    expect(numberRefusal).toContain('gateway');
    expect(w.firmware.config.gatewayNumber).toBe(GATEWAY_NUMBER);
    await w.run(5 * 60_000);
    expect(w.firmware.state).toBe('tracking');
    expect(trks(w) - before).toBeGreaterThanOrEqual(9);

    w.command({ kind: 'STOP' });
    await w.run(2000);
    expect(await w.send('AT+TSCFG?')).toContain('+TSCFG: "gateway","+447700900999"'); // staged values kept
    expect(await w.send('AT+TSCOMMIT')).toMatch(/\r\nOK\r\n$/);
    expect(w.firmware.config.gatewayNumber).toBe('+447700900999');
  });

  it('mid-alarm, a TRK interval may change (next report) but the emergency number may not', async () => {
    const w = await tracking();
    await w.login();
    await w.send('AT+TSCFG=interval,10');
    expect(await w.send('AT+TSCOMMIT')).toMatch(/\r\nOK\r\n$/);
    expect(w.firmware.config.intervalS).toBe(10);
    await w.send('AT+TSCFG=emergency,01632960999');
    const r = await w.send('AT+TSCOMMIT');
    expect(r).toMatch(REFUSED_515);
    expect(r).toContain('emergency');
    expect(w.firmware.config.emergencyNumber).toBe('999');
  });

  it('refuses while her ALM has not gone out, after its tracking time ran out without coverage', async () => {
    const w = await handsetWithConsole();
    w.network.setDown(true);
    w.button.hold(2500);
    await w.run(61 * 60_000); // past the 60 min tracking period: nothing could be sent
    expect(w.reports().map((r) => r.event)).not.toContain('ALM');
    expect(w.firmware.state).not.toBe('tracking');
    await w.login();
    // A wipe now would take the key her ALM is to be signed with: the control room would never hear of it.
    expect(await w.send('AT+TSWIPE')).toMatch(REFUSED_515);
    expect(await w.send('AT+TSINFO?')).toMatch(/,1\r\n/);
    w.network.setDown(false);
    await w.run(60_000);
    expect(w.reports().map((r) => r.event)).toContain('ALM');
    expect(await w.send('AT+TSWIPE')).toMatch(/\r\nOK\r\n$/);
  });

  it('a blank handset whose button was held refuses its provisioning commit only until its tracking time ends', async () => {
    // On the bench (the simulator's demo scenario holds TS-0001's button): it dials 999 and tracks, but its ALM
    // cannot be signed or addressed and is dropped. That ALM counted as "not yet sent" for good, so the commit
    // stayed refused with 515 after the call and the tracking time had ended, until a power cycle: the tool's
    // "wait for its tracking time to end, then run again" never came true.
    const w = await tracking(true);
    expect(w.firmware.info().provisioned).toBe(false);
    expect(w.commands()).toContain('ATD999;');
    await w.login();
    expect(await w.send(`AT+TSCFG=gateway,${GATEWAY_NUMBER}`)).toMatch(/\r\nOK\r\n$/);
    expect(await w.send(`AT+TSKEY=${randomBytes(32).toString('hex')}`)).toMatch(/\r\nOK\r\n$/);
    const refused = await w.send('AT+TSCOMMIT');
    expect(refused).toMatch(REFUSED_515); // while tracking: never cut short
    expect(refused).toContain('until its tracking time ends (not provisioned: no control room knows of this alarm)');
    expect(await w.send('AT+TSWIPE')).toMatch(/"alarm in progress: wait until its tracking time ends[^"]*, then wipe again"/);
    expect(w.firmware.info().provisioned).toBe(false);

    await w.run(61 * 60_000, 1000); // past the 60 min tracking time
    expect(w.firmware.state).not.toBe('tracking');
    expect(w.firmware.alarmInProgress()).toBe(false);
    expect(await w.send('AT+TSCOMMIT')).toMatch(/\r\nOK\r\n$/); // the staging kept from before
    expect(await w.send('AT+TSINFO?')).toMatch(/,1\r\n/);
    expect(w.gateway.received).toHaveLength(0); // nothing of the bench alarm reached the gateway
  });

  it('a test-mode TST is not an alarm: AT+TSWIPE after it is done', async () => {
    const w = await handsetWithConsole(true);
    w.button.hold(2500);
    await w.run(5000);
    expect(w.reports().map((r) => r.event)).toContain('TST');
    expect(w.firmware.alarmInProgress()).toBe(false);
    await w.login();
    expect(await w.send('AT+TSWIPE')).toMatch(/\r\nOK\r\n$/);
  });
});
