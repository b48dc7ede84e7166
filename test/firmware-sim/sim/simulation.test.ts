// The assembled simulation: bank lines answer AT over TCP like a serial device server, the manifest is what the
// gateway imports, and a bad configuration names its field.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseManifest } from '../../../gateway/registry/manifest.js';
import { HandsetRegisterRequest } from '../../../protocol/schemas/handsets.js';
import { parseSimConfig, SimConfigError } from '../../../firmware-sim/sim/config.js';
import { writeManifest } from '../../../firmware-sim/sim/manifest.js';
import type { Simulation } from '../../../firmware-sim/sim/simulation.js';
import { LineClient, startSim, testConfig } from './harness.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function started(config = testConfig()) {
  const s = await startSim(config);
  cleanups.push(() => s.sim.close());
  return s;
}

describe('the simulation on TCP', () => {
  it('starts 3 handsets and a 4-line bank by default, each line on its own port', async () => {
    const { sim } = await started();
    expect([...sim.handsets.keys()]).toEqual(['TS-0001', 'TS-0002', 'TS-0003']);
    expect(sim.lines.map((l) => l.number)).toEqual(['+447700900999', '+447700900998', '+447700900997', '+447700900996']);
    const ports = [...sim.lines.map((l) => l.server?.port), ...[...sim.handsets.values()].map((h) => h.usb?.port)];
    expect(new Set(ports).size).toBe(7);
    for (const p of ports) expect(p).toBeGreaterThan(0);
    expect(sim.smsNumber).toBe('+447700900999');
  });

  it('a raw TCP client on line 1 gets OK to AT and the manufacturer to AT+CGMI', async () => {
    const { sim, run } = await started();
    const client = await LineClient.connect(sim.lines[0]?.server?.port as number);
    cleanups.push(() => client.close());
    client.send('AT\r');
    await client.until(/AT\r\r\nOK\r\n/, run);
    const from = client.received.length;
    client.send('AT+CGMI\r');
    const m = await client.until(/\r\n([^\r\n]+)\r\n\r\nOK\r\n/, run, from);
    expect(m[1]).toBe('TecSOS Sim');
  });

  it('each handset USB console answers AT+TSINFO? with its id and IMEI', async () => {
    const { sim, run } = await started();
    const h = sim.handsets.get('TS-0002');
    const client = await LineClient.connect(h?.usb?.port as number);
    cleanups.push(() => client.close());
    await run(200);
    client.send('AT+TSINFO?\r');
    const m = await client.until(/\+TSINFO: "([^"]+)","[^"]+","([0-9]+)",([01])/, run);
    expect([m[1], m[2], m[3]]).toEqual(['TS-0002', '356938035643825', '1']);
  });

  it('a busy port fails start-up with a message naming the port and the line', async () => {
    const { sim } = await started();
    const port = sim.lines[0]?.server?.port as number;
    const c = testConfig({ ports: { bankBase: port, usbBase: 0, control: 0 } });
    const { Simulation } = await import('../../../firmware-sim/sim/simulation.js');
    await expect(Simulation.start({ config: c })).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port} \\(bank line 1\\)`));
  });
});

describe('the manifest (data/sim-registry.json)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tecsos-sim-manifest-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

  async function written(sim: Simulation): Promise<{ path: string; json: unknown }> {
    const path = join(dir, 'data', 'sim-registry.json');
    writeManifest(path, sim.manifest());
    return { path, json: JSON.parse(readFileSync(path, 'utf8')) };
  }

  it('is written with mode 0600, in the gateway registry manifest shape, one entry per provisioned handset', async () => {
    const { sim } = await started();
    const { path, json } = await written(sim);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const m = json as { version: number; handsets: Record<string, unknown>[] };
    expect(m.version).toBe(1);
    expect(m.handsets.map((h) => h['id'])).toEqual(['TS-0001', 'TS-0002', 'TS-0003']);
    for (const h of m.handsets) {
      expect(HandsetRegisterRequest.safeParse(h).success).toBe(true);
      expect(h['key']).toMatch(/^[0-9a-f]{64}$/);
    }
    // The gateway's own reader accepts it, and its keys are the ones the handsets sign with.
    const regs = parseManifest(json, path);
    for (const r of regs) expect(Buffer.from(r.key).equals(Buffer.from(sim.handsets.get(r.id)?.key as Uint8Array))).toBe(true);
    expect(regs[0]).toMatchObject({ number: '+447700900101', imei: '356938035643817', force: 'West Yorkshire Police' });
  });

  it('rewrites an existing wider-mode file as 0600', async () => {
    const { sim } = await started();
    const path = join(dir, 'data', 'sim-registry.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    await written(sim);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('leaves out blank handsets; keys differ per handset and follow the seed', () => {
    const a = parseSimConfig({ seed: 1 });
    const b = parseSimConfig({ seed: 2 });
    const keysOf = async (c: typeof a) => (await import('../../../firmware-sim/sim/manifest.js')).buildManifest(c).handsets.map((h) => h.key);
    return Promise.all([keysOf(a), keysOf(b), keysOf(parseSimConfig({ seed: 1 }))]).then(([ka, kb, ka2]) => {
      expect(new Set(ka).size).toBe(3);
      expect(ka).toEqual(ka2);
      expect(ka).not.toEqual(kb);
    });
  });
});

describe('configuration', () => {
  const bad = (json: unknown) => {
    try {
      parseSimConfig(json, 'sim.json');
    } catch (e) {
      expect(e).toBeInstanceOf(SimConfigError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  it('names the bad field', () => {
    expect(bad({ handsets: [{ id: 'ts 1', number: '+447700900101', imei: '356938035643817', force: 'X', victim: { name: 'A', safetyNotes: '', riskMarkers: [] } }] })).toMatch(/handsets\.0\.id/);
    expect(bad({ handsets: [{ id: 'TS-1', number: '07700', imei: '356938035643817', force: 'X', victim: { name: 'A', safetyNotes: '', riskMarkers: [] } }] })).toMatch(/handsets\.0\.number/);
    expect(bad({ handsets: [{ id: 'TS-1', number: '+447700900101', imei: '356938035643818', force: 'X', victim: { name: 'A', safetyNotes: '', riskMarkers: [] } }] })).toMatch(/handsets\.0\.imei: the last digit is not the Luhn/);
    expect(bad({ handsets: [{ id: 'TS-1', number: '+447700900101', imei: '356938035643817', force: 'X', victim: { safetyNotes: '', riskMarkers: [] } }] })).toMatch(/handsets\.0\.victim\.name/);
    expect(bad({ bank: { lines: [] } })).toMatch(/bank\.lines/);
    expect(bad({ bank: { lines: ['+447700900999'], smsNumber: '+447700900000' } })).toMatch(/bank\.smsNumber: must be one of bank\.lines/);
    expect(bad({ network: { loss: 2 } })).toMatch(/network\.loss/);
    expect(bad({ seed: -1 })).toMatch(/seed/);
    expect(bad({ ports: { control: 70000 } })).toMatch(/ports\.control/);
    expect(bad({ colour: 'red' })).toMatch(/colour/);
  });

  it('takes counts for handsets and lines: N demo handsets, N lines numbered down from +447700900999', () => {
    const c = parseSimConfig({ handsets: 12, bank: { lines: 2 } });
    expect(c.bank.lines).toEqual(['+447700900999', '+447700900998']);
    expect(c.handsets.map((h) => h.id)).toEqual(Array.from({ length: 12 }, (_, i) => `TS-${String(i + 1).padStart(4, '0')}`));
    expect(new Set(c.handsets.map((h) => h.imei)).size).toBe(12);
    expect(c.handsets[11]).toMatchObject({ number: '+447700900112', provisioned: true });
    expect(parseSimConfig({ handsets: 0 }).handsets).toEqual([]);
    expect(bad({ handsets: 501 })).toMatch(/handsets/);
    expect(bad({ bank: { lines: 0 } })).toMatch(/bank\.lines/);
  });

  it('refuses a number used twice and a route that cannot be walked', () => {
    const h = (id: string, number: string, route?: unknown) => ({ id, number, imei: '356938035643817', force: 'X', victim: { name: 'A', safetyNotes: '', riskMarkers: [] }, ...(route ? { route } : {}) });
    expect(bad({ handsets: [h('A1', '+447700900101'), h('A2', '+447700900101')] })).toMatch(/handsets\.1\.number: \+447700900101 is used twice/);
    expect(bad({ handsets: [h('A1', '+447700900101', { waypoints: [{ lat: 53.8, lon: -1.5, speedMps: 0 }, { lat: 53.81, lon: -1.5, speedMps: 0 }] })] })).toMatch(
      /handsets\.0\.route\.waypoints\.0\.speedMps/,
    );
  });
});

describe('the hunt group', () => {
  it('two alarms at once ring two bank lines: the first idle line each time, in order', async () => {
    const { ManualClock } = await import('../../../protocol/time/clock.js');
    const { Simulation } = await import('../../../firmware-sim/sim/simulation.js');
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 7, 0, 0));
    const sim = await Simulation.start({ config: testConfig(), clock, listen: false });
    cleanups.push(() => sim.close());
    await clock.advanceAsync(1000, 50);
    sim.button('TS-0003', 'hold');
    await clock.advanceAsync(500, 50);
    sim.button('TS-0001', 'hold');
    await clock.advanceAsync(20_000, 50);
    const alerting = sim.events.since(0).flatMap((e) => (e.type === 'call' && e.state === 'alerting' ? [`${e.handsetId} line ${e.line}`] : []));
    expect(alerting).toEqual(['TS-0003 line 1', 'TS-0001 line 2']);
    expect(sim.views().map((v) => v.state)).toEqual(['calling', 'idle', 'calling']);
  });
});

describe('bank lines on ptys (--pty-dir)', () => {
  it('a program opening <dir>/line1 as a serial device (node-serialport) talks AT; close kills socat', async () => {
    const { SerialPort } = await import('serialport');
    const dir = mkdtempSync(join(tmpdir(), 'tecsos-sim-pty-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { sim, run } = await started(testConfig({ ports: { bankBase: 0, usbBase: 0, control: 0, ptyDir: join(dir, 'pty') } }));
    const pty = sim.lines[0]?.pty;
    expect(pty?.path).toBe(join(dir, 'pty', 'line1'));
    const port = new SerialPort({ path: pty?.path as string, baudRate: 115200 });
    cleanups.push(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
    let received = '';
    port.on('data', (b: Buffer) => (received += b.toString('latin1')));
    await new Promise<void>((resolve, reject) => port.once('open', resolve).once('error', reject));
    port.write('AT+CGMM\r');
    for (let i = 0; i < 200 && !/OK\r\n/.test(received); i++) {
      await run(50);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(received).toMatch(/TSM-900\r\n\r\nOK\r\n/);
    const pids = sim.lines.map((l) => l.pty?.pid as number);
    await sim.close();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe('network faults reach the network', () => {
  it('an SMS delay holds each report that long; loss 1 drops them all', async () => {
    const { ManualClock } = await import('../../../protocol/time/clock.js');
    const { Simulation } = await import('../../../firmware-sim/sim/simulation.js');
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 7, 0, 0));
    const sim = await Simulation.start({ config: testConfig({ network: { delayMs: 5000 } }), clock, listen: false });
    cleanups.push(() => sim.close());
    const events: { type: string; at: number; id: number; reason?: string }[] = [];
    sim.network.onEvent((e) => {
      if (e.type === 'sms-submitted' || e.type === 'sms-delivered' || e.type === 'sms-dropped') events.push({ type: e.type, at: e.at, id: e.sms.id, ...(e.type === 'sms-dropped' ? { reason: e.reason } : {}) });
    });
    await clock.advanceAsync(10_000, 50);
    const submitted = events.filter((e) => e.type === 'sms-submitted');
    expect(submitted.length).toBeGreaterThanOrEqual(3);
    for (const s of submitted) expect(events.find((e) => e.type === 'sms-delivered' && e.id === s.id)?.at).toBe(s.at + 5000);

    sim.setNetworkFaults({ loss: 1 });
    events.length = 0;
    sim.button('TS-0001', 'hold');
    await clock.advanceAsync(10_000, 50);
    expect(events.filter((e) => e.type === 'sms-submitted').length).toBeGreaterThanOrEqual(1);
    expect(events.filter((e) => e.type === 'sms-delivered')).toEqual([]);
    expect(events.filter((e) => e.type === 'sms-dropped').every((e) => e.reason === 'loss')).toBe(true);
  });
});

describe('provisioning at manufacture', () => {
  it('a force name the handset cannot store in full is shortened, and the handset is still provisioned', async () => {
    const { ManualClock } = await import('../../../protocol/time/clock.js');
    const { Simulation } = await import('../../../firmware-sim/sim/simulation.js');
    const victim = { name: 'A', safetyNotes: '', riskMarkers: [] };
    const config = testConfig({
      handsets: [
        { id: 'TS-0100', number: '+447700900150', imei: '356938035643817', force: 'Avon & Somerset Constabulary (Bristol North)', victim },
        { id: 'TS-0101', number: '+447700900151', imei: '356938035643825', force: 'X', victim, provisioned: false },
      ],
    });
    const sim = await Simulation.start({ config, clock: new ManualClock(Date.UTC(2026, 10, 23, 7, 0, 0)), listen: false });
    cleanups.push(() => sim.close());
    const fw = sim.handsets.get('TS-0100')?.device.firmware;
    expect(fw?.hasKey()).toBe(true);
    expect(fw?.committedConfig()).toMatchObject({ force: 'Avon - Somerset Constabulary -Br', gatewayNumber: '+447700900999', emergencyNumber: '999' });
    const blank = sim.handsets.get('TS-0101')?.device.firmware;
    expect(blank?.hasKey()).toBe(false);
    expect(blank?.committedConfig().gatewayNumber).toBe('');
    expect(sim.manifest().handsets.map((h) => h.id)).toEqual(['TS-0100']);
    expect(sim.views().map((v) => v.provisioned)).toEqual([true, false]);
  });

  it("the control API's provisioned is what the handset holds: provisioned over USB, then wiped", async () => {
    // It was the manufacture-time state: a blank handset an engineer provisioned over USB (tecsos provision)
    // stayed provisioned: false on the emulator page and in GET /api/handsets, and one made provisioned and
    // wiped stayed true.
    const { ManualClock } = await import('../../../protocol/time/clock.js');
    const { Simulation } = await import('../../../firmware-sim/sim/simulation.js');
    const victim = { name: 'A', safetyNotes: '', riskMarkers: [] };
    const config = testConfig({
      handsets: [
        { id: 'TS-0100', number: '+447700900150', imei: '356938035643817', force: 'X', victim },
        { id: 'TS-0101', number: '+447700900151', imei: '356938035643825', force: 'X', victim, provisioned: false },
      ],
    });
    const sim = await Simulation.start({ config, clock: new ManualClock(Date.UTC(2026, 10, 23, 7, 0, 0)), listen: false });
    cleanups.push(() => sim.close());
    const made = sim.handsets.get('TS-0100')?.device.firmware;
    const blank = sim.handsets.get('TS-0101')?.device.firmware;
    // What the USB console's AT+TSCOMMIT and AT+TSWIPE do (ProvisioningTarget).
    blank?.commit({ ...blank.committedConfig(), gatewayNumber: '+447700900999' }, new Uint8Array(32).fill(9));
    made?.wipe();
    expect(sim.views().map((v) => v.provisioned)).toEqual([false, true]);
  });
});
