// The other commands against a simulated handset over TCP: selftest (live GPS), test-alarm, wipe, info,
// keygen, list, usage errors; and the secrecy scan: no command sequence reads the key or location history back.
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import type { CliIo } from '../../../hardware/cli/io.js';
import { runCli } from '../../../hardware/cli/main.js';
import { openPort } from '../../../hardware/ports/index.js';
import { authenticate } from '../../../hardware/provisioning/authenticate.js';
import { loadFleetKey } from '../../../hardware/provisioning/fleet-key.js';
import { HandsetConsole } from '../../../hardware/provisioning/handset-console.js';
import { eventually, HANDSET_ID, makeRig, REPORT_KEY, REPORT_KEY_HEX, tmpDir } from './rig.js';

/** The route's latitude 51.5007 as NMEA writes it (ddmm.mmmm) and as decimal degrees. */
const POSITION_TEXTS = ['5130.04', '51.500', '0007.30', '-0.121'];

describe('tecsos commands', () => {
  it('selftest: live GPS (fix, satellites, HDOP) then every part; never a position', async () => {
    const rig = await makeRig({ gateway: false });
    rig.pressButton();
    const r = await rig.cli(['selftest', '--port', rig.spec, '--json']);
    expect(r.code, JSON.stringify(r.json)).toBe(ExitCode.OK);
    const gps = r.json?.['gps'] as { fix: boolean; satellites: number; hdop: number };
    expect(gps.fix).toBe(true);
    expect(gps.satellites).toBeGreaterThanOrEqual(7);
    expect(gps.hdop).toBeGreaterThan(0.5);
    expect((r.json?.['selfTest'] as { part: string }[]).map((i) => i.part).sort()).toEqual(['battery', 'button', 'flash', 'gps', 'modem']);
    const human = await rig.cli(['selftest', '--port', rig.spec, '--button-wait', '0']);
    expect(human.stdout).toMatch(/\[ {2}\] gps: FIX, \d+ satellites, HDOP \d\.\d/);
    expect(human.stdout).toMatch(/modem: pass \(registered, CSQ \d+\)/);
    for (const t of POSITION_TEXTS) expect(r.stdout + human.stdout).not.toContain(t);
  }, 60_000);

  it('selftest fails (exit 7) on a part that fails, unless allowed', async () => {
    const rig = await makeRig({ gateway: false });
    const r = await rig.cli(['selftest', '--port', rig.spec, '--button-wait', '0']);
    expect(r.code).toBe(ExitCode.VERIFICATION_FAILED);
    expect(r.stderr).toMatch(/self-test failed: button/);
    const allowed = await rig.cli(['selftest', '--port', rig.spec, '--button-wait', '0', '--allow-fail', 'button']);
    expect(allowed.code).toBe(ExitCode.OK);
    expect((await rig.cli(['selftest', '--port', rig.spec, '--allow-fail', 'flash'])).code).toBe(ExitCode.USAGE);
  }, 60_000);

  it('test-alarm sends a TST the gateway accepts; wipe erases the key', async () => {
    const rig = await makeRig();
    rig.pressButton();
    expect((await rig.cli(rig.provisionArgs().concat('--verify-wait', '0'))).code).toBe(ExitCode.OK);
    const t = await rig.cli(['test-alarm', '--port', rig.spec]);
    expect(t.code, t.stderr).toBe(ExitCode.OK);
    await eventually(async () => (await rig.events()).some((e) => e['type'] === 'report.accepted' && e['event'] === 'TST'), 'the TST at the gateway');
    const w = await rig.cli(['wipe', '--port', rig.spec, '--json']);
    expect(w.code).toBe(ExitCode.OK);
    expect(w.json?.['handset']).toMatchObject({ id: HANDSET_ID, provisioned: false });
    expect(rig.handset.firmware.hasKey()).toBe(false);
    const again = await rig.cli(['test-alarm', '--port', rig.spec]);
    expect(again.code).toBe(ExitCode.HANDSET);
    expect(again.stderr).toMatch(/not provisioned/);
  }, 60_000);

  it('no command sequence reads the key or any location back (every console answer scanned)', async () => {
    const rig = await makeRig();
    rig.pressButton();
    expect((await rig.cli([...rig.provisionArgs(), '--set', 'hold=500'])).code).toBe(ExitCode.OK);
    // An alarm (a 0.8 s hold with hold=500), so the handset has a track to leak.
    rig.handset.button.hold(800);
    await eventually(async () => (await rig.events()).some((e) => e['type'] === 'report.accepted' && e['event'] === 'ALM'), 'the ALM');
    const before = rig.consoleOutput().length;
    // Every command, every form, authenticated.
    const key = await loadFleetKey(rig.keyFile);
    if (!key.ok) throw new Error(key.message);
    const usb = new HandsetConsole(await openPort(rig.spec));
    expect((await authenticate(usb, key.value, HANDSET_ID)).ok).toBe(true);
    const forms = ['AT+TSINFO?', 'AT+TSCFG?', 'AT+TSKEY?', 'AT+TSKEY', 'AT+TSKEY=?', 'AT+TSCFG=key', 'AT+TSCFG=?', 'AT+TSAUTH?', 'AT+TSCOMMIT', 'AT+TSSELFTEST', 'AT+TSCFG=gateway', 'AT+TSHISTORY?', 'AT+TSLOG?', 'AT+TSGPS?', 'ATI', 'AT+GMR', 'AT+CGSN'];
    const port = (usb as unknown as { port: { write(t: string): Promise<void> } }).port;
    for (const f of forms) {
      const seen = rig.consoleOutput().length;
      await port.write(`${f}\r`);
      // Each answer ends with a final result (the self-test's after its GPS fix).
      await eventually(() => /\r\n(OK|ERROR|\+CME ERROR: \d+)\r\n$/.test(rig.consoleOutput().slice(seen)), `the answer to ${f}`);
    }
    await usb.close();
    for (const args of [['info', '--port', rig.spec, '--json'], ['test-alarm', '--port', rig.spec, '--json'], ['wipe', '--port', rig.spec, '--json']]) {
      const r = await rig.cli(args);
      expect(r.stdout + r.stderr).not.toContain(REPORT_KEY_HEX);
      for (const t of POSITION_TEXTS) expect(r.stdout).not.toContain(t);
    }
    const answers = rig.consoleOutput().slice(before);
    expect(answers).toContain('+TSCFG: "gateway"');
    const lower = answers.toLowerCase();
    expect(lower).not.toContain(REPORT_KEY_HEX);
    expect(answers).not.toContain(Buffer.from(REPORT_KEY).toString('base64').slice(0, 20));
    expect(answers).not.toContain(Buffer.from(REPORT_KEY).toString('base64url').slice(0, 20));
    // No position at all (only the live AT+TSGPS stream carries one, and it was not asked for here).
    expect(answers).not.toContain('$G');
    for (const t of POSITION_TEXTS) expect(answers).not.toContain(t);
  }, 60_000);

  it('keygen writes a 0600 private key that never overwrites; the printed public key authenticates', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'keys', 'fleet.pem');
    const io = testIo(dir);
    const r = await runCli(['keygen', '--out', out, '--json'], io.io);
    expect(r).toBe(ExitCode.OK);
    const json = JSON.parse(io.stdout()) as { publicKey: string; privateKeyFile: string; publicKeyFile: string };
    expect(json.publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect((await readFile(out, 'utf8')).startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect((await readFile(`${out}.pub`, 'utf8')).trim()).toBe(json.publicKey);
    const loaded = await loadFleetKey(out);
    expect(loaded.ok && loaded.value.publicHex).toBe(json.publicKey);
    const human = testIo(dir);
    expect(await runCli(['keygen', '--out', out], human.io)).toBe(ExitCode.KEY_FILE);
    expect(human.stderr()).toMatch(/exists already/);
    expect((await readFile(`${out}.pub`, 'utf8')).trim()).toBe(json.publicKey);
  });

  it('list marks configured handset USB ids; a bad id is a usage error', async () => {
    const dir = tmpDir();
    const listed = [
      { path: '/dev/ttyACM0', vendorId: '1209', productId: '7E50', serialNumber: 'TS0042', manufacturer: 'TecSOS' },
      { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', serialNumber: 'A10K', manufacturer: 'FTDI' },
    ];
    const a = testIo(dir, { TECSOS_HANDSET_USB_IDS: '1209:7e50' }, async () => listed);
    expect(await runCli(['list', '--json'], a.io)).toBe(ExitCode.OK);
    const ports = (JSON.parse(a.stdout()) as { ports: { path: string; handset: boolean; usbId: string }[] }).ports;
    expect(ports.map((p) => [p.path, p.usbId, p.handset])).toEqual([['/dev/ttyACM0', '1209:7e50', true], ['/dev/ttyUSB0', '0403:6001', false]]);
    const b = testIo(dir, {}, async () => listed);
    expect(await runCli(['list', '--handset-ids', '0403:6001'], b.io)).toBe(ExitCode.OK);
    expect(b.stdout()).toMatch(/\* \/dev\/ttyUSB0 +0403:6001 {2}serial A10K {2}FTDI {2}<- TecSOS handset/);
    expect(b.stdout()).toMatch(/^ {2}\/dev\/ttyACM0/m);
    const c = testIo(dir, {}, async () => listed);
    expect(await runCli(['list', '--handset-ids', '1209-7e50'], c.io)).toBe(ExitCode.USAGE);
    expect(c.stderr()).toMatch(/not vendor:product/);
  });

  it('list shows each device\'s /dev/serial/by-id link, the name that survives re-enumeration', async () => {
    // A modem with two serial interfaces (AT on if02, as docs/operations.md's example) and an adapter whose pnpId
    // is not a udev name (Windows' form): the by-id links are what an operator gives --lines.
    const listed = [
      { path: '/dev/ttyUSB1', vendorId: '2c7c', productId: '0125', serialNumber: 'EG25X', manufacturer: 'Quectel', pnpId: 'usb-Quectel_EG25-G_EG25X-if01-port0' },
      { path: '/dev/ttyUSB2', vendorId: '2c7c', productId: '0125', serialNumber: 'EG25X', manufacturer: 'Quectel', pnpId: 'usb-Quectel_EG25-G_EG25X-if02-port0' },
      { path: '/dev/ttyUSB3', vendorId: '0403', productId: '6001', pnpId: 'USB\\VID_0403&PID_6001\\A10K' },
    ];
    const t = testIo(tmpDir(), {}, async () => listed);
    expect(await runCli(['list'], t.io)).toBe(ExitCode.OK);
    expect(t.stdout()).toMatch(/^ {2}\/dev\/ttyUSB1 .*Quectel {2}\/dev\/serial\/by-id\/usb-Quectel_EG25-G_EG25X-if01-port0$/m);
    expect(t.stdout()).toMatch(/^ {2}\/dev\/ttyUSB2 .*Quectel {2}\/dev\/serial\/by-id\/usb-Quectel_EG25-G_EG25X-if02-port0$/m);
    expect(t.stdout()).toMatch(/^ {2}\/dev\/ttyUSB3 +0403:6001$/m);
  });

  it('usage errors exit 2 before anything is opened', async () => {
    const dir = tmpDir();
    const cases: [string[], RegExp][] = [
      [[], /usage: tecsos <command>/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['info'], /--port is required/],
      [['info', '--port', 'tcp://host:99999'], /TCP port/],
      [['info', '--port', 'tcp://127.0.0.1:1', '--bogus'], /Unknown option '--bogus'/],
      [['provision', '--port', 'tcp://127.0.0.1:1', '--gateway', 'http://x', '--force', 'Met'], /--number is required/],
      [['provision', '--port', 'tcp://127.0.0.1:1', '--gateway', 'ftp://x', '--force', 'Met'], /http:\/\/ or https:\/\//],
      [['provision', '--port', 'tcp://127.0.0.1:1', '--gateway', 'http://x', '--force', 'Met', '--number', '+447700900123', '--gateway-number', '+441632960001', '--interval', '2'], /--interval must be a whole number from 5 to 3600/],
      [['provision', '--port', 'tcp://127.0.0.1:1', '--gateway', 'http://x', '--force', 'Met', '--number', '+447700900123', '--gateway-number', '+441632960001'], /victim record: name/],
      [['provision', '--port', 'tcp://127.0.0.1:1', '--gateway', 'http://x', '--force', 'Met', '--number', '+447700900123', '--gateway-number', '+441632960001', '--victim-name', 'J', '--set', 'fleetkey=00'], /fleet key is set at the factory/],
    ];
    for (const [args, message] of cases) {
      const t = testIo(dir, { TECSOS_PASSWORD: 'x' });
      expect(await runCli(args, t.io), args.join(' ')).toBe(ExitCode.USAGE);
      expect(t.stderr(), args.join(' ')).toMatch(message);
      expect(t.opened(), args.join(' ')).toBe(0);
    }
    const help = testIo(dir);
    expect(await runCli(['provision', '--help'], help.io)).toBe(ExitCode.OK);
    expect(help.stdout()).toMatch(/--gateway URL --force FORCE/);
  });
});

function testIo(home: string, env: Record<string, string> = {}, list?: () => Promise<{ path: string }[]>) {
  let stdout = '';
  let stderr = '';
  let opened = 0;
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    openPort: (s) => {
      opened++;
      return openPort(s);
    },
    ...(list && { listOptions: { list } }),
    fetch: globalThis.fetch,
    randomBytes: (n) => new Uint8Array(n),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
    home,
  };
  return { io, stdout: () => stdout, stderr: () => stderr, opened: () => opened };
}
