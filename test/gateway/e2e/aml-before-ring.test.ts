// End to end: an ordinary caller's AML position that overtakes her 999 call. Every control-room line is busy,
// so firmware-sim's network holds her call in its emergency queue (call-switch.ts); her phone (an AmlPhone:
// Android's ELS or iOS's HELO) sends its AML SMS within seconds of dialling all the same, and the gateway gets a
// position from a number with no call. Two minutes later a caller on line 1 hangs up, the network offers her
// call to it, and it rings at the gateway. A handler's WebSocket console (folded by the console's own
// ConsoleState) must see her call ring and then her position on it: once, and as the AML she sent before.
// Before cd3050c the position stayed a fix with no call, and no console showed it.
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { GatewayEvent } from '../../../protocol/schemas/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { AmlPhone, SimNetwork, VirtualPhone, type AmlPosition } from '../../../firmware-sim/network/index.js';
import { GatewayConfigSchema } from '../../../gateway/config/config.js';
import { startGateway } from '../../../gateway/core/gateway-app.js';
import { DEFAULT_FANOUT } from '../../../gateway/fanout/fanout.js';
import { ConsoleState } from '../../../console/console-state.js';
import { login } from '../../support/gateway-process.js';
import { connect } from '../http/ws-client.js';
import { tmpDir } from '../core/harness.js';
import { NetworkLineBank } from './network-line-bank.js';

const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const LINES = ['+441632960001', '+441632960002'];
const PASSWORD = 'e2e-demo-password';
const FIRST = '+447700900201';
const SECOND = '+447700900202';
const HER = '+447700900555';
const HER_POSITION: AmlPosition = {
  latitude: 51.5007, longitude: -0.1218, radiusM: 25, confidencePct: 68, method: 'gnss',
  imsi: '234302543446355', imei: '356708041746734', mcc: '234', mnc: '30',
};

type Message = Record<string, unknown>;

/** A handler's console after these WebSocket messages (the console's own projection, console-state.ts). */
function consoleView(messages: readonly Message[]): ConsoleState {
  const view = new ConsoleState();
  for (const m of messages) {
    const e = GatewayEvent.safeParse(m);
    if (e.success) view.apply(e.data);
    else expect(['hello', 'live']).toContain(m['type']);
  }
  return view;
}

describe('an AML that overtakes its 999 call (every line busy), end to end with firmware-sim', () => {
  it('her position appears on her call when it rings at the control room, once', async () => {
    const dir = tmpDir();
    const clock = new ManualClock(START);
    const network = new SimNetwork({ clock, random: new SeededRandom(11), emergencyLines: LINES });
    const config = GatewayConfigSchema.parse({ db: path.join(dir, 'tecsos.db'), http: '127.0.0.1:0', demoUsers: true, demoPassword: PASSWORD });
    const app = await startGateway({
      config,
      env: {},
      clock,
      logger: pino({ level: 'silent' }),
      http: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 365 * 86_400_000 } },
      lineBank: (_specs, listener) => new NetworkLineBank(network, LINES, listener, clock),
    });
    try {
      const run = async (ms: number): Promise<void> => {
        await clock.advanceAsync(ms, 50);
        await app.core.idle();
      };
      const cookie = await login(app.url, 'handler', PASSWORD);
      const ws = connect(`${app.url.replace('http', 'ws')}/ws?since=0`, { cookie });
      await ws.until((m) => m['type'] === 'live');
      const ringingFrom = (number: string) => (m: Message) => m['type'] === 'call.ringing' && m['callerNumber'] === number;
      const answer = async (callId: unknown) => (await fetch(`${app.url}/api/calls/${String(callId)}/answer`, { method: 'POST', headers: { cookie } })).status;

      // Two 999 calls take both lines; a handler is talking to the first, the second rings.
      const first = new VirtualPhone(network, FIRST);
      const second = new VirtualPhone(network, SECOND);
      const firstCall = first.dial('999') as number;
      const secondCall = second.dial('999') as number;
      await run(2000);
      await ws.until(ringingFrom(SECOND));
      expect(await answer(ws.messages.find(ringingFrom(FIRST))?.['callId'])).toBe(202);

      // She dials 999: no line is free, the network holds her call (she hears ringing); her phone sends its
      // AML a few seconds after dialling.
      const her = new AmlPhone(network, HER, { amlNumber: LINES[0] as string, position: HER_POSITION, delayMs: 5000 });
      const herFirstCall = her.dial('999') as number;
      expect(herFirstCall).toBeTypeOf('number');
      await run(10_000);
      expect(network.activeCalls().find((c) => c.from === HER)).toMatchObject({ state: 'queued', to: undefined });
      expect(her.amlSent).toHaveLength(1);
      await ws.until((m) => m['type'] === 'fix' && m['source'] === 'aml');
      const waiting = ws.messages.find((m) => m['type'] === 'fix' && m['source'] === 'aml') as Message;
      expect(waiting).toMatchObject({ callId: null, incidentId: null, lat: 51.5007, lon: -0.1218 });
      expect(ws.messages.some(ringingFrom(HER))).toBe(false);

      // Two minutes on, the first caller hangs up: line 1 is free and the network offers it her call.
      await run(120_000);
      first.hangup(firstCall);
      await run(1000);
      await ws.until(ringingFrom(HER));
      const ringing = ws.messages.find(ringingFrom(HER)) as Message;
      expect(ringing).toMatchObject({ lineId: 'L1', priority: 'ordinary', handsetId: null, incidentId: null });
      const callId = ringing['callId'];
      // The handler answers her; then the second caller hangs up: every event before that one has been seen.
      expect(await answer(callId)).toBe(202);
      await ws.until((m) => m['type'] === 'call.answered' && m['callId'] === callId);
      await run(60_000);
      second.hangup(secondCall);
      await run(1000);
      const secondId = ws.messages.find(ringingFrom(SECOND))?.['callId'];
      await ws.until((m) => m['type'] === 'call.ended' && m['callId'] === secondId);

      // What her handler's console shows: her call, with her position on it, one point.
      const view = consoleView(ws.messages);
      expect(view.calls.get(callId as string)).toMatchObject({ callerNumber: HER, state: 'answered' });
      expect(view.tracks.get(`call:${String(callId)}`)).toEqual([
        expect.objectContaining({ lat: 51.5007, lon: -0.1218, accuracyM: 25, source: 'aml', amlMethod: 'gnss', fixTime: '2026-11-23T06:00:07.000Z', receivedAt: waiting['receivedAt'] }),
      ]);
      // No other call got a position (the two callers before her sent no AML).
      expect([...view.tracks.keys()]).toEqual([`call:${String(callId)}`]);

      // On the wire: the ring, then the copy of the waiting position (naming it), then the answer; one copy only.
      const onHerCall = ws.messages.filter((m) => m['type'] === 'fix' && m['callId'] === callId);
      expect(onHerCall).toHaveLength(1);
      const copy = onHerCall[0] as Message;
      expect(copy).toMatchObject({ copyOf: waiting['seq'], source: 'aml', incidentId: null });
      const answered = ws.messages.find((m) => m['type'] === 'call.answered' && m['callId'] === callId) as Message;
      expect(copy['seq'] as number).toBeGreaterThan(ringing['seq'] as number);
      expect(copy['seq'] as number).toBeLessThan(answered['seq'] as number);
      expect(ws.messages.filter((m) => m['type'] === 'fix')).toHaveLength(2);

      // Her call ends and she dials again five minutes later, from a few streets away: the position she sent
      // before her first call rang has joined that call and no other; the new call (a line is free, it rings
      // at once) shows only the AML her phone sends for it.
      her.hangup(herFirstCall);
      await run(5 * 60_000);
      her.position = { ...HER_POSITION, latitude: 51.5033, longitude: -0.1195, radiusM: 10 };
      expect(her.dial('999')).toBeTypeOf('number');
      await run(10_000);
      const isRedial = (m: Message) => ringingFrom(HER)(m) && m['callId'] !== callId;
      await ws.until(isRedial);
      const redial = ws.messages.find(isRedial) as Message;
      await ws.until((m) => m['type'] === 'fix' && m['callId'] === redial['callId']);
      expect(consoleView(ws.messages).tracks.get(`call:${String(redial['callId'])}`)).toEqual([
        expect.objectContaining({ lat: 51.5033, lon: -0.1195, accuracyM: 10, fixTime: '2026-11-23T06:08:19.000Z' }),
      ]);
      expect(ws.messages.filter((m) => m['type'] === 'fix')).toHaveLength(3);
      ws.ws.close();
    } finally {
      await app.close();
    }
  }, 60_000);
});
