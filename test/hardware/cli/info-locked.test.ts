// `tecsos info` on a handset whose console is locked (three bad fleet-key signatures in a row: 15 min, and a TMP
// report). AT+TSINFO? does not say so, and info showed only "provisioned" / "NOT provisioned": an engineer whose
// next command was refused with exit 5, or who was handed a locked handset, was not told why nor until when,
// nor what to do. Now info asks AT+TSAUTH? too (the console answers it, while locked, with `+TSLOCK: <seconds
// left>` and +CME ERROR: 512; otherwise with a nonce that is never used), and says it.
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { generateFleetKey } from '../../../hardware/provisioning/fleet-key.js';
import { HANDSET_ID, makeRig } from './rig.js';

/** Three attempts with another fleet's key: the third locks the console. */
async function lockIt(rig: Awaited<ReturnType<typeof makeRig>>): Promise<void> {
  const wrong = path.join(rig.dir, 'wrong.pem');
  expect((await generateFleetKey(wrong)).ok).toBe(true);
  const codes = [];
  for (let i = 0; i < 3; i++) codes.push((await rig.cli(['wipe', '--port', rig.spec, '--key-file', wrong])).code);
  expect(codes).toEqual([ExitCode.AUTH_REFUSED, ExitCode.AUTH_REFUSED, ExitCode.LOCKED]);
}

/** A console on tcp:// that answers AT+TSINFO? and answers AT+TSAUTH? with `authAnswer`. */
async function oddConsole(authAnswer: string): Promise<string> {
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    let buf = '';
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r'); i >= 0; i = buf.indexOf('\r')) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line === 'AT+TSINFO?') sock.write(`\r\n+TSINFO: "${HANDSET_ID}","0.9.0","356938035643809",1\r\n\r\nOK\r\n`);
        else if (line === 'AT+TSAUTH?') sock.write(authAnswer);
        else if (line !== '') sock.write('\r\nOK\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

describe('tecsos info on a locked handset', () => {
  it('says LOCKED, for how long and what to do (human and --json); exit 0 as before', async () => {
    const rig = await makeRig({ gateway: false });
    await lockIt(rig);

    const human = await rig.cli(['info', '--port', rig.spec]);
    expect(human.code).toBe(ExitCode.OK);
    expect(human.stdout).toMatch(new RegExp(`^${HANDSET_ID}: firmware 1\\.0\\.0, IMEI \\d{15}, NOT provisioned, LOCKED for \\d+ min \\d+ s more \\(until \\d\\d:\\d\\d UTC\\): three bad fleet-key signatures in a row$`, 'm'));
    expect(human.stdout).toMatch(/^what to do: wait until the lock ends/m);
    expect(human.stdout).toMatch(/a restart does not end it/);
    expect(human.stdout).toMatch(/treat the handset as tampered with/);
    expect(human.stdout).toMatch(/not provisioned, so its tamper report went nowhere/);

    const json = await rig.cli(['info', '--port', rig.spec, '--json']);
    expect(json.code).toBe(ExitCode.OK);
    expect(json.json?.['handset']).toMatchObject({ id: HANDSET_ID, provisioned: false });
    const lock = json.json?.['lock'] as { locked: boolean; secondsLeft: number; until: string; next: string };
    expect(lock.locked).toBe(true);
    expect(lock.secondsLeft).toBeGreaterThan(800);
    expect(lock.secondsLeft).toBeLessThanOrEqual(900);
    expect(Date.parse(lock.until) - Date.now()).toBeGreaterThan(790_000);
    expect(lock.next).toMatch(/wait until the lock ends/);

    // Asking cost nothing: the lock is as it was, no attempt counted.
    expect(rig.handset.firmware.authFailures()).toMatchObject({ badSignatures: 0 });
    expect(rig.handset.firmware.state).toBe('locked-out');
  }, 60_000);

  it('a handset not locked: "lock": {"locked": false}, nothing said, and the probe counts no attempt', async () => {
    const rig = await makeRig({ gateway: false });
    const wrong = path.join(rig.dir, 'wrong.pem');
    expect((await generateFleetKey(wrong)).ok).toBe(true);
    expect((await rig.cli(['wipe', '--port', rig.spec, '--key-file', wrong])).code).toBe(ExitCode.AUTH_REFUSED);

    const human = await rig.cli(['info', '--port', rig.spec]);
    expect(human.code).toBe(ExitCode.OK);
    expect(human.stdout).toMatch(new RegExp(`^${HANDSET_ID}: firmware 1\\.0\\.0, IMEI \\d{15}, NOT provisioned$`, 'm'));
    expect(human.stdout).not.toMatch(/LOCKED|what to do/);
    const json = await rig.cli(['info', '--port', rig.spec, '--json']);
    expect(json.json?.['lock']).toEqual({ locked: false });
    expect(rig.handset.firmware.authFailures()).toMatchObject({ badSignatures: 1 });
  }, 60_000);

  it('a console that does not answer the question: info still succeeds, lock unknown; 512 without the seconds: LOCKED', async () => {
    const rig = await makeRig({ gateway: false });
    const noAuth = await oddConsole('\r\n+CME ERROR: 4\r\n');
    const r = await rig.cli(['info', '--port', noAuth, '--json']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.json?.['handset']).toMatchObject({ id: HANDSET_ID, provisioned: true });
    expect(r.json?.['lock']).toMatchObject({ locked: null, reason: expect.stringMatching(/^AT\+TSAUTH\?: /) as unknown });
    expect((await rig.cli(['info', '--port', noAuth])).stdout).toMatch(/, provisioned, lock: unknown \(AT\+TSAUTH\?: /);

    const bare = await oddConsole('\r\n+CME ERROR: 512\r\n');
    const h = await rig.cli(['info', '--port', bare]);
    expect(h.code).toBe(ExitCode.OK);
    expect(h.stdout).toMatch(/, provisioned, LOCKED: three bad fleet-key signatures in a row\nwhat to do: .*provision --replace/);
    expect((await rig.cli(['info', '--port', bare, '--json'])).json?.['lock']).toMatchObject({ locked: true, secondsLeft: null, until: null });
  }, 60_000);
});
