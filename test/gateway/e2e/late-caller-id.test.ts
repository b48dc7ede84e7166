// End to end: her TecSOS call rings on a modem that cannot say her number as the call begins to ring: caller id
// refused at init (AT+CLIP=1: CLIP off) and AT+CLCC refused (+CME ERROR: 3) during call set-up, as modems do in
// some states. The gateway's real lines talk to firmware-sim's modems over tcp://; a handler's WebSocket console
// (folded by the console's own ConsoleState) must see her call with her number and flagged TecSOS, one call,
// whether her number comes while it rings or after the handler has answered it. Before: the call rang as
// "ordinary, number withheld" for good (one ringing per call; a later number was ignored).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { GatewayEvent } from '../../../protocol/schemas/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { SimModem } from '../../../firmware-sim/modem/index.js';
import { SimNetwork, VirtualPhone } from '../../../firmware-sim/network/index.js';
import { TcpSerialServer } from '../../../firmware-sim/transport/tcp-serial-server.js';
import { GatewayConfigSchema } from '../../../gateway/config/config.js';
import { startGateway } from '../../../gateway/core/gateway-app.js';
import { DEFAULT_FANOUT } from '../../../gateway/fanout/fanout.js';
import { ModemLineBank } from '../../../gateway/lines/index.js';
import { ConsoleState } from '../../../console/console-state.js';
import { connect } from '../http/ws-client.js';
import { tmpDir } from '../core/harness.js';

const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const HER = '+447700900123';
const LINES = ['+441632960001'];
const KEY = new Uint8Array(32).map((_, i) => 0x3c ^ (i * 7));
const PASSWORD = 'e2e-demo-password';

type Message = Record<string, unknown>;

/** A handler's console after these WebSocket messages (the console's own projection). */
function consoleView(messages: readonly Message[]): ConsoleState {
  const view = new ConsoleState();
  for (const m of messages) {
    const e = GatewayEvent.safeParse(m);
    if (e.success) view.apply(e.data);
  }
  return view;
}

async function world() {
  const dir = tmpDir();
  const manifest = path.join(dir, 'registry.json');
  const victim = { name: 'Jane Doe', safetyNotes: 'Abuser has keys.', riskMarkers: ['weapons'] };
  writeFileSync(manifest, JSON.stringify({ version: 1, handsets: [{ id: 'TS-0001', number: HER, imei: '356938035643809', key: Buffer.from(KEY).toString('hex'), force: 'Met', victim }] }));
  const clock = new ManualClock(START);
  const random = new SeededRandom(11);
  const network = new SimNetwork({ clock, random, emergencyLines: LINES });
  const modem = new SimModem({ clock, network, msisdn: LINES[0] as string });
  modem.refuse('+CLIP'); // caller id off: the number only from AT+CLCC
  const server = await TcpSerialServer.listen({ port: 0 });
  modem.connect(server);
  const config = GatewayConfigSchema.parse({
    db: path.join(dir, 'tecsos.db'), http: '127.0.0.1:0', lines: [`tcp://127.0.0.1:${server.port}`], registry: manifest, demoUsers: true, demoPassword: PASSWORD,
  });
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
    config, env: {}, clock, logger: pino({ level: 'silent' }),
    http: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 365 * 86_400_000 } },
    lineBank: (s, listener) => new ModemLineBank({ specs: s, listener, clock, random }),
  });
  await until('line up', () => app.lines.health().every((h) => h.state === 'up'), 30_000);
  const login = await fetch(`${app.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'handler', password: PASSWORD }) });
  const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
  const ws = connect(`${app.url.replace('http', 'ws')}/ws?since=0`, { cookie });
  await ws.until((m) => m['type'] === 'live');
  const close = async () => {
    ws.ws.close();
    await app.close();
    await server.closeAsync();
  };
  return { app, modem, network, run, until, ws, cookie, close };
}

const ofType = (messages: readonly Message[], t: string) => messages.filter((m) => m['type'] === t);

describe('her 999 call on a modem that cannot say her number as it begins to ring', () => {
  it('AT+CLCC refused during set-up: her call shows her number and TecSOS while it rings, one call', async () => {
    const w = await world();
    try {
      w.modem.refuse('+CLCC', 2); // the caller id wait's AT+CLCC and its one retry
      new VirtualPhone(w.network, HER).dial('999');
      await w.until('call.ringing', () => ofType(w.ws.messages, 'call.ringing').length > 0, 10_000);
      expect(ofType(w.ws.messages, 'call.ringing')[0]).toMatchObject({ callerNumber: null, priority: 'ordinary' });
      await w.until('call.identified', () => ofType(w.ws.messages, 'call.identified').length > 0, 10_000); // at the next RING
      const callId = ofType(w.ws.messages, 'call.ringing')[0]?.['callId'] as string;
      const identified = ofType(w.ws.messages, 'call.identified')[0];
      expect(identified).toMatchObject({ callId, lineId: 'L1', callerNumber: HER, priority: 'tecsos', handsetId: 'TS-0001' });
      const opened = ofType(w.ws.messages, 'incident.opened');
      expect(opened).toEqual([expect.objectContaining({ handsetId: 'TS-0001', cause: 'call', callId, priority: 'tecsos' })]);
      expect(identified?.['incidentId']).toBe(opened[0]?.['incidentId']);

      // The handler's console: one call, ringing, hers, flagged; her incident holds it.
      await w.run(10_000);
      const view = consoleView(w.ws.messages);
      expect([...view.calls.values()]).toEqual([expect.objectContaining({ id: callId, state: 'ringing', callerNumber: HER, priority: 'tecsos', handsetId: 'TS-0001' })]);
      expect(view.incidents.get(opened[0]?.['incidentId'] as string)?.callIds).toEqual([callId]);
      expect(ofType(w.ws.messages, 'call.identified')).toHaveLength(1);
      // And the REST list the console's queue reads after a reload.
      const calls = (await (await fetch(`${w.app.url}/api/calls`, { headers: { cookie: w.cookie } })).json()) as { calls: Message[] };
      expect(calls.calls).toEqual([expect.objectContaining({ id: callId, callerNumber: HER, priority: 'tecsos' })]);
    } finally {
      await w.close();
    }
  }, 60_000);

  it('her number comes after the handler answered: the call she is on is flagged TecSOS', async () => {
    const w = await world();
    try {
      w.modem.refuse('+CLCC'); // refused for as long as it rings
      new VirtualPhone(w.network, HER).dial('999');
      await w.until('call.ringing', () => ofType(w.ws.messages, 'call.ringing').length > 0, 10_000);
      const callId = ofType(w.ws.messages, 'call.ringing')[0]?.['callId'] as string;
      expect((await fetch(`${w.app.url}/api/calls/${callId}/answer`, { method: 'POST', headers: { cookie: w.cookie } })).status).toBe(202);
      await w.until('call.answered', () => ofType(w.ws.messages, 'call.answered').length > 0, 10_000);
      w.modem.refuse('+CLCC', 0); // the line's next poll of the call lists her number
      await w.until('call.identified', () => ofType(w.ws.messages, 'call.identified').length > 0, 60_000);
      const view = consoleView(w.ws.messages);
      expect([...view.calls.values()]).toEqual([expect.objectContaining({ id: callId, state: 'answered', answeredBy: 'handler', callerNumber: HER, priority: 'tecsos', handsetId: 'TS-0001' })]);
      const incidentId = ofType(w.ws.messages, 'call.identified')[0]?.['incidentId'] as string;
      expect(view.incidents.get(incidentId)).toMatchObject({ handsetId: 'TS-0001', priority: 'tecsos', callIds: [callId] });
    } finally {
      await w.close();
    }
  }, 60_000);
});
