// Who keeps the handset's GPS on: each user (a self-test, tracking, a LOCATE, the AT+TSGPS stream) holds it,
// and it goes off only when none does. Two of the same kind overlap in the field: a self-test of a killed
// provisioning connection still waiting for its fix when the next connection starts another; a second LOCATE
// while the first still waits. The sky is hidden (a route's fix-loss window) so the waits run to their 60 s.
import { describe, expect, it } from 'vitest';
import { decodeSentence } from '../../../protocol/nmea/index.js';
import { ProvisioningConsole } from '../../../firmware-sim/provisioning/console.js';
import { createPipePair } from '../../../firmware-sim/transport/memory-pipe.js';
import { makeWorld, ROUTE, type World } from '../handset/world.js';
import { fleetKeyPair, signChallenge } from './harness.js';

/** A provisioned handset with its USB console; `connect()` plugs in a new engineer's connection. */
function handsetWithConsole() {
  const fleet = fleetKeyPair();
  const w = makeWorld({ config: { fleetKey: fleet.publicHex } });
  const usb = new ProvisioningConsole(w.firmware, { clock: w.clock });
  function connect() {
    const [handsetEnd, engineerEnd] = createPipePair();
    usb.attach(handsetEnd);
    let out = '';
    engineerEnd.onData((b) => (out += new TextDecoder().decode(b)));
    const type = (line: string) => engineerEnd.write(new TextEncoder().encode(line + '\r'));
    async function send(line: string): Promise<string> {
      out = '';
      type(line);
      await usb.idle();
      await w.run(100);
      return out;
    }
    async function login(): Promise<string> {
      const nonce = /"([0-9a-f]{32})"/.exec(await send('AT+TSAUTH?'))?.[1] as string;
      return send(`AT+TSAUTH=${signChallenge(fleet.privateKey, 'TS-0001', nonce)}`);
    }
    return { type, send, login, output: () => out };
  }
  return { ...w, usb, connect };
}

/** From now, the sky is hidden for `hiddenS` seconds (she is indoors, or on a bench with no sky view). */
function hideSky(w: World, hiddenS: number): void {
  w.gps.setRoute({ waypoints: ROUTE.waypoints, fixLoss: [{ fromS: 0, toS: hiddenS }] });
}

describe('GPS holds', () => {
  it("a killed connection's self-test timing out does not turn the GPS off under the next connection's self-test", async () => {
    const w = handsetWithConsole();
    await w.firmware.boot();
    await w.run(1000);
    w.button.hold(100);
    await w.run(500);
    hideSky(w, 75);
    const first = w.connect();
    expect(await first.login()).toMatch(/OK\r\n$/);
    first.type('AT+TSSELFTEST'); // waits up to 60 s for a fix: the sky stays hidden for 75 s
    await w.run(10_000);
    // The engineer's tool is killed; a new connection runs the self-test again 30 s in.
    const second = w.connect();
    expect(await second.login()).toMatch(/OK\r\n$/);
    await w.run(20_000);
    w.button.hold(100);
    await w.run(500);
    second.type('AT+TSSELFTEST');
    await w.run(35_000); // past the first self-test's 60 s: it has given up
    expect(w.gps.isOn).toBe(true); // the second one still waits for its fix
    await w.run(30_000); // the sky is back
    await w.usb.idle();
    expect(second.output()).toMatch(/\+TSSELFTEST: "gps",1,"fix, \d+ satellites, HDOP [\d.]+"/);
    expect(second.output()).toMatch(/\r\nOK\r\n$/);
    expect(first.output()).not.toContain('+TSSELFTEST'); // the killed connection is not answered
    expect(w.gps.isOn).toBe(false); // nobody holds it now
  });

  it('a self-test timing out during an alarm leaves the GPS on: the handset keeps tracking', async () => {
    const w = handsetWithConsole();
    await w.firmware.boot();
    await w.run(1000);
    hideSky(w, 75);
    const c = w.connect();
    await c.login();
    c.type('AT+TSSELFTEST');
    await w.run(10_000);
    // She raises the alarm while the engineer's self-test still waits for its fix (a console left attached).
    w.button.hold(2500);
    await w.run(5000);
    const call = w.line.ringing()?.callId as number;
    w.line.answer(call);
    await w.run(2000);
    w.line.hangup(call);
    await w.run(2000);
    expect(w.firmware.state).toBe('tracking');
    await w.run(50_000); // the self-test gives up (no fix within 60 s)
    await w.usb.idle();
    expect(c.output()).toContain('+TSSELFTEST: "gps",0,"no fix within 60 s"');
    expect(w.gps.isOn).toBe(true);
    await w.run(60_000);
    // The sky came back at 75 s: TRKs carry fresh fixes.
    const trk = w.reports().filter((r) => r.event === 'TRK').at(-1);
    const rmc = decodeSentence(trk?.rmc as string);
    expect(rmc.ok && rmc.sentence.status).toBe('A');
    expect(w.firmware.state).toBe('tracking');
  });

  it('a second LOCATE still gets its fresh fix after the first one gave up', async () => {
    const w = handsetWithConsole();
    await w.firmware.boot();
    await w.run(1000);
    hideSky(w, 75);
    w.command({ kind: 'LOCATE' });
    await w.run(30_000);
    w.command({ kind: 'LOCATE' }); // the call handler asks again
    await w.run(35_000); // the first gives up at 60 s: a TRK with the best it has (no fix)
    expect(w.gps.isOn).toBe(true);
    await w.run(30_000);
    const trks = w.reports().filter((r) => r.event === 'TRK');
    expect(trks).toHaveLength(2);
    const status = trks.map((r) => {
      const d = decodeSentence(r.rmc);
      return d.ok ? d.sentence.status : 'bad';
    });
    expect(status).toEqual(['V', 'A']);
    expect(w.gps.isOn).toBe(false);
  });

  it('a fix-less alarm stopped, then another: one TRK at the first fix, not one per alarm', async () => {
    const w = handsetWithConsole();
    await w.firmware.boot();
    await w.run(1000);
    hideSky(w, 24 * 3600);
    w.button.hold(2500);
    await w.run(5000);
    const call = w.line.ringing()?.callId as number;
    w.line.answer(call);
    await w.run(2000);
    w.line.hangup(call);
    await w.run(2000);
    w.command({ kind: 'STOP' });
    await w.run(5000);
    expect(w.firmware.state).toBe('idle');

    // A second alarm, outdoors a few seconds later.
    w.gps.setRoute({ waypoints: ROUTE.waypoints, fixLoss: [{ fromS: 0, toS: 10 }] });
    w.button.hold(2500);
    await w.run(5000);
    const before = w.reports().filter((r) => r.event === 'TRK').length;
    await w.run(12_000); // the hot start's first fix; the next interval TRK is 30 s off
    const trks = w.reports().filter((r) => r.event === 'TRK').slice(before);
    expect(trks).toHaveLength(1);
  });

  it("the connection going ends its self-test: the GPS does not stay on for a host that is gone", async () => {
    const w = handsetWithConsole();
    await w.firmware.boot();
    await w.run(1000);
    hideSky(w, 3600); // a bench indoors: the self-test would wait its whole 60 s
    const c = w.connect();
    await c.login();
    c.type('AT+TSSELFTEST');
    await w.run(5000);
    expect(w.gps.isOn).toBe(true);
    w.usb.disconnect(); // the cable is pulled
    await w.run(2000);
    expect(w.gps.isOn).toBe(false);
  });

  it('two self-tests at once (no console session ending either): the first giving up leaves the GPS to the second', async () => {
    const w = handsetWithConsole();
    await w.firmware.boot();
    await w.run(1000);
    hideSky(w, 75);
    const first = w.firmware.selfTest();
    await w.run(30_000);
    const second = w.firmware.selfTest();
    await w.run(35_000);
    expect((await first).find((i) => i.name === 'gps')).toEqual({ name: 'gps', ok: false, detail: 'no fix within 60 s' });
    expect(w.gps.isOn).toBe(true);
    await w.run(15_000);
    expect((await second).find((i) => i.name === 'gps')?.ok).toBe(true);
  });
});
