// End to end over tcp://, the way a control room meets its modems through serial device servers: the
// gateway's real lines (gateway/lines: AT engine, init, +CMT intake, RING/+CLIP call tracking, ATA, AT+CMGS)
// talk to firmware-sim's simulated modems (SimModem behind TcpSerialServer), which sit on the simulated GSM
// network with a real simulated handset. Simulated time (one ManualClock for everyone) moves in 20 ms steps,
// each followed by a turn of the event loop so that the TCP bytes flow.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { counterFloor } from '../../../protocol/report/counter-floor.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { SimHandset } from '../../../firmware-sim/handset/sim-handset.js';
import { SimModem } from '../../../firmware-sim/modem/index.js';
import { SimNetwork } from '../../../firmware-sim/network/index.js';
import { TcpSerialServer } from '../../../firmware-sim/transport/tcp-serial-server.js';
import { GatewayConfigSchema } from '../../../gateway/config/config.js';
import { startGateway } from '../../../gateway/core/gateway-app.js';
import { DEFAULT_FANOUT } from '../../../gateway/fanout/fanout.js';
import { ModemLineBank } from '../../../gateway/lines/index.js';
import { connect } from '../http/ws-client.js';
import { tmpDir } from '../core/harness.js';

const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const HANDSET_NUMBER = '+447700900123';
const LINES = ['+441632960001', '+441632960002'];
const KEY = new Uint8Array(32).map((_, i) => 0x3c ^ (i * 7));
const PASSWORD = 'e2e-demo-password';

describe('gateway end to end over tcp:// with firmware-sim modems', () => {
  it('hold the button: the TecSOS call rings through a real modem line, fixes follow, ATA and a signed STOP go out', async () => {
    const dir = tmpDir();
    const manifest = path.join(dir, 'sim-registry.json');
    const victim = { name: 'Jane Doe', safetyNotes: 'Abuser has keys.', riskMarkers: ['weapons'] };
    writeFileSync(manifest, JSON.stringify({ version: 1, handsets: [{ id: 'TS-0001', number: HANDSET_NUMBER, imei: '356938035643809', key: Buffer.from(KEY).toString('hex'), force: 'Met', victim }] }));

    const clock = new ManualClock(START);
    const random = new SeededRandom(11);
    const network = new SimNetwork({ clock, random, emergencyLines: LINES });
    const bank = await Promise.all(
      LINES.map(async (msisdn) => {
        const modem = new SimModem({ clock, network, msisdn });
        const server = await TcpSerialServer.listen({ port: 0 });
        modem.connect(server);
        return { modem, server };
      }),
    );
    const handset = new SimHandset({
      clock,
      random,
      network,
      msisdn: HANDSET_NUMBER,
      identity: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809' },
      provision: { config: { gatewayNumber: LINES[1] as string }, key: KEY },
      route: { waypoints: [{ lat: 51.5007, lon: -0.1218, speedMps: 1.4 }, { lat: 51.5033, lon: -0.1195, speedMps: 1.4 }] },
      gps: { coldStartS: 20 },
      batteryPercent: 90,
    });
    const specs = bank.map((b) => `tcp://127.0.0.1:${b.server.port}`);
    const config = GatewayConfigSchema.parse({ db: path.join(dir, 'tecsos.db'), http: '127.0.0.1:0', lines: specs, registry: manifest, demoUsers: true, demoPassword: PASSWORD });

    /** Simulated time forward, in steps, letting TCP and promise callbacks run between them. */
    const run = async (ms: number) => {
      const end = clock.now() + ms;
      while (clock.now() < end) {
        clock.advance(Math.min(20, end - clock.now()));
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const until = async (what: string, done: () => boolean, maxMs: number) => {
      for (let waited = 0; !done(); waited += 100) {
        if (waited > maxMs) throw new Error(`not within ${maxMs} simulated ms: ${what}`);
        await run(100);
      }
    };

    const app = await startGateway({
      config,
      env: {},
      clock,
      logger: pino({ level: 'silent' }),
      http: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 365 * 86_400_000 } },
      lineBank: (s, listener) => new ModemLineBank({ specs: s, listener, clock, random }),
    });
    try {
      await until('both lines up', () => app.lines.health().every((h) => h.state === 'up'), 30_000);
      await handset.firmware.boot();
      await run(60_000);
      // Each line's SMS storage, read with AT+CPMS? after its storage scan, for an alert before a full SIM.
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      for (const line of ['L1', 'L2']) {
        expect(metrics).toMatch(new RegExp(`^tecsos_line_sms_storage_used\\{line="${line}"\\} \\d+$`, 'm'));
        expect(metrics).toMatch(new RegExp(`^tecsos_line_sms_storage_slots\\{line="${line}"\\} [1-9]\\d*$`, 'm'));
      }

      const login = await fetch(`${app.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'handler', password: PASSWORD }) });
      const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
      const ws = connect(`${app.url.replace('http', 'ws')}/ws?since=0`, { cookie });
      await ws.until((m) => m['type'] === 'live');
      // The BOT report came through line 2's +CMT and was verified.
      expect(ws.messages.find((m) => m['type'] === 'report.accepted')).toMatchObject({ event: 'BOT', handsetId: 'TS-0001' });
      expect(ws.messages.filter((m) => m['type'] === 'line.health').length).toBeGreaterThanOrEqual(2);

      handset.button.setContact(true);
      await run(2100);
      handset.button.setContact(false);
      const type = (t: string) => ws.messages.filter((m) => m['type'] === t);
      await until('call.ringing on the WebSocket', () => type('call.ringing').length > 0, 20_000);
      expect(type('call.ringing')[0]).toMatchObject({ lineId: 'L1', priority: 'tecsos', callerNumber: HANDSET_NUMBER, handsetId: 'TS-0001' });
      const incidentId = type('incident.opened')[0]?.['incidentId'];
      expect(type('call.ringing')[0]?.['incidentId']).toBe(incidentId);

      const calls = (await (await fetch(`${app.url}/api/calls`, { headers: { cookie } })).json()) as { calls: { id: string }[] };
      const answer = fetch(`${app.url}/api/calls/${calls.calls[0]?.id}/answer`, { method: 'POST', headers: { cookie } });
      await until('call.answered', () => type('call.answered').length > 0, 20_000);
      expect((await answer).status).toBe(202);
      expect(type('call.answered')[0]).toMatchObject({ by: 'handler', lineId: 'L1' });

      await until('three fixes', () => type('fix').length >= 3, 180_000);
      for (const f of type('fix')) expect(f).toMatchObject({ incidentId, source: 'gps', handsetId: 'TS-0001' });

      const stop = fetch(`${app.url}/api/incidents/${String(incidentId)}/stop-tracking`, { method: 'POST', headers: { cookie } });
      await until('STOP acknowledged', () => type('command.result').some((m) => m['result'] === 'acknowledged'), 60_000);
      expect((await stop).status).toBe(202);
      const sent = type('command.sent')[0];
      expect(sent).toMatchObject({ handsetId: 'TS-0001', command: { kind: 'STOP' } });
      // Counted from the clock (registry/command-counter.ts): above the seconds since 2020 when it was sent.
      expect(sent?.['counter']).toBeGreaterThanOrEqual(counterFloor(START) as number);
      // The handset verified the signed STOP (it ACKed) and left tracking.
      expect(handset.firmware.state).not.toBe('tracking');
      expect(type('report.rejected')).toEqual([]);
      const seqs = ws.seqs();
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      ws.ws.close();
    } finally {
      await app.close();
      for (const b of bank) await b.server.closeAsync();
    }
  }, 60_000);
});
