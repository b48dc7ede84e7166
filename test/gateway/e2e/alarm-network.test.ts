// End to end: a real simulated handset (firmware-sim: firmware, GPS, battery, its modem) on the simulated
// GSM network, provisioned from a manifest that the gateway imports with --registry; the whole gateway
// (store, core, HTTP + WebSocket edge) with its lines attached to the same network (network-line-bank.ts).
// Hold the button: a WebSocket client sees the TecSOS call ringing at the top, the incident, and live fixes,
// all within the simulated time; a handler answers and stops tracking over REST, and the handset obeys. An
// ordinary caller's AML SMS locates her call; a forged report is only a security event.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { encodeReportSync } from '../../../protocol/report/tsr1.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { SimHandset } from '../../../firmware-sim/handset/sim-handset.js';
import { SimNetwork, VirtualPhone } from '../../../firmware-sim/network/index.js';
import { GatewayConfigSchema } from '../../../gateway/config/config.js';
import { startGateway } from '../../../gateway/core/gateway-app.js';
import { DEFAULT_FANOUT } from '../../../gateway/fanout/fanout.js';
import { connect } from '../http/ws-client.js';
import { tmpDir } from '../core/harness.js';
import { NetworkLineBank } from './network-line-bank.js';

const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const HANDSET_NUMBER = '+447700900123';
const LINES = ['+441632960001', '+441632960002'];
const KEY = new Uint8Array(32).map((_, i) => 0x3c ^ (i * 7));
const PASSWORD = 'e2e-demo-password';

describe('gateway end to end with firmware-sim', () => {
  it('hold the button: TecSOS call.ringing and fixes reach a WebSocket client within the simulated time', async () => {
    const dir = tmpDir();
    const manifest = path.join(dir, 'sim-registry.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        version: 1,
        handsets: [
          {
            id: 'TS-0001',
            number: HANDSET_NUMBER,
            imei: '356938035643809',
            key: Buffer.from(KEY).toString('hex'),
            force: 'Metropolitan Police',
            victim: { name: 'Jane Doe', safetyNotes: 'Abuser has keys.', riskMarkers: ['weapons'] },
          },
        ],
      }),
    );

    const clock = new ManualClock(START);
    const random = new SeededRandom(7);
    const network = new SimNetwork({ clock, random, emergencyLines: LINES });
    const handset = new SimHandset({
      clock,
      random,
      network,
      msisdn: HANDSET_NUMBER,
      identity: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809' },
      provision: { config: { gatewayNumber: LINES[0] as string }, key: KEY },
      route: { waypoints: [{ lat: 51.5007, lon: -0.1218, speedMps: 1.4 }, { lat: 51.5033, lon: -0.1195, speedMps: 1.4 }] },
      gps: { coldStartS: 20 },
      batteryPercent: 90,
    });

    const config = GatewayConfigSchema.parse({ db: path.join(dir, 'tecsos.db'), http: '127.0.0.1:0', registry: manifest, demoUsers: true, demoPassword: PASSWORD });
    let bank: NetworkLineBank | undefined;
    const app = await startGateway({
      config,
      env: {},
      clock,
      logger: pino({ level: 'silent' }),
      http: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 365 * 86_400_000 } },
      lineBank: (_specs, listener) => (bank = new NetworkLineBank(network, LINES, listener, clock)),
    });
    try {
      const run = (ms: number) => clock.advanceAsync(ms, 50);
      await handset.firmware.boot();
      await run(60_000);
      await app.core.idle();

      const login = await fetch(`${app.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'handler', password: PASSWORD }) });
      expect(login.status).toBe(200);
      const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
      const ws = connect(`${app.url.replace('http', 'ws')}/ws?since=0`, { cookie });
      await ws.until((m) => m['type'] === 'live');

      const pressedAt = clock.now();
      handset.button.setContact(true);
      await run(2100);
      handset.button.setContact(false);
      await run(10_000);
      await app.core.idle();
      await ws.until((m) => m['type'] === 'call.ringing');
      const ringing = ws.messages.find((m) => m['type'] === 'call.ringing');
      expect(ringing).toMatchObject({ priority: 'tecsos', callerNumber: HANDSET_NUMBER, handsetId: 'TS-0001', force: 'Metropolitan Police' });
      const opened = ws.messages.find((m) => m['type'] === 'incident.opened');
      expect(opened).toMatchObject({ handsetId: 'TS-0001', priority: 'tecsos' });
      expect(ringing?.['incidentId']).toBe(opened?.['incidentId']);
      // The ALM report reached the gateway a few simulated seconds after the button press (2 s hold).
      const alm = ws.messages.find((m) => m['type'] === 'report.accepted' && m['event'] === 'ALM');
      expect(Date.parse(alm?.['receivedAt'] as string) - pressedAt).toBeLessThan(10_000);

      // The handler answers over REST; the handset's call connects.
      const calls = (await (await fetch(`${app.url}/api/calls`, { headers: { cookie } })).json()) as { calls: { id: string; priority: string }[] };
      expect(calls.calls[0]).toMatchObject({ priority: 'tecsos' });
      const answer = await fetch(`${app.url}/api/calls/${calls.calls[0]?.id}/answer`, { method: 'POST', headers: { cookie } });
      expect(answer.status).toBe(202);

      // Two minutes of tracking: live GPS fixes joined to the incident, in seq order.
      await run(120_000);
      await app.core.idle();
      await ws.until((m) => m['type'] === 'fix');
      const fixes = ws.messages.filter((m) => m['type'] === 'fix');
      expect(fixes.length).toBeGreaterThanOrEqual(3);
      for (const f of fixes) {
        expect(f).toMatchObject({ incidentId: opened?.['incidentId'], handsetId: 'TS-0001', source: 'gps' });
        expect(f['lat'] as number).toBeCloseTo(51.501, 2);
      }
      const seqs = ws.seqs();
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(ws.messages.some((m) => String(m['type']).startsWith('sms.') || m['type'] === 'handset.registered')).toBe(false);
      expect(JSON.stringify(ws.messages)).not.toContain('keyHex');
      expect(ws.messages.filter((m) => m['type'] === 'report.rejected')).toEqual([]);

      // Stop tracking: a signed TSC1 STOP goes out by SMS; the handset verifies it and ACKs.
      const stop = await fetch(`${app.url}/api/incidents/${opened?.['incidentId']}/stop-tracking`, { method: 'POST', headers: { cookie } });
      expect(stop.status).toBe(202);
      await run(30_000);
      await app.core.idle();
      expect(bank?.sentTexts.join('')).toMatch(/^TSC1;h=TS-0001;n=[1-9]\d{8,9};c=STOP;m=/); // n from the clock: registry/command-counter.ts
      await ws.until((m) => m['type'] === 'command.result' && m['result'] === 'acknowledged');
      expect(handset.firmware.state).not.toBe('tracking');

      // An ordinary caller dials 999 (the other line takes it) and her phone sends an AML SMS: the call stays
      // ordinary and gets her position.
      const caller = new VirtualPhone(network, '+447700900555');
      caller.dial('999');
      await run(3000);
      await app.core.idle();
      await ws.until((m) => m['type'] === 'call.ringing' && m['callerNumber'] === '+447700900555');
      const ordinary = ws.messages.find((m) => m['type'] === 'call.ringing' && m['callerNumber'] === '+447700900555');
      expect(ordinary).toMatchObject({ priority: 'ordinary', handsetId: null, incidentId: null });
      caller.sendSms(LINES[0] as string, 'A"ML=1;lt=+51.50700;lg=-0.12180;rd=25;top=20261123060400;lc=68;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=128');
      await run(5000);
      await app.core.idle();
      await ws.until((m) => m['type'] === 'fix' && m['source'] === 'aml');
      expect(ws.messages.find((m) => m['type'] === 'fix' && m['source'] === 'aml')).toMatchObject({ callId: ordinary?.['callId'], accuracyM: 25, amlMethod: 'gnss', incidentId: null });

      // A forged report from another phone (wrong key): a security event, nothing else.
      const fixesBefore = ws.messages.filter((m) => m['type'] === 'fix').length;
      const attacker = new VirtualPhone(network, '+447700900666');
      attacker.sendSms(LINES[0] as string, encodeReportSync({ handsetId: 'TS-0001', counter: 999, event: 'ALM', batteryPct: 50, csq: 10, rmc: '$GPRMC,,V,,,,,,,,,,N*53', gga: '$GPGGA,,,,,,0,00,99.99,,,,,,*48' }, new Uint8Array(32), (k, m) => new Uint8Array(createHmac('sha256', k).update(m).digest())));
      await run(5000);
      await app.core.idle();
      await ws.until((m) => m['type'] === 'report.rejected');
      expect(ws.messages.filter((m) => m['type'] === 'report.rejected')).toMatchObject([{ reason: 'bad-mac', claimedHandsetId: 'TS-0001', fromNumber: '+447700900666' }]);
      expect(ws.messages.filter((m) => m['type'] === 'fix')).toHaveLength(fixesBefore);
      ws.ws.close();
    } finally {
      await app.close();
    }
  }, 60_000);
});
