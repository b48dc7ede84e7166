// A TecSOS call answered, the gateway (gateway/main.ts, a child process) SIGKILLed and started again on the same
// store, over tcp:// to a firmware-sim bank modem (test/support/sim-bank.ts). The call is handed to its line
// (c0b6dd2: LineBank.adoptAnswered). The handler's console still shows it answered, and she hangs it up as soon
// as the gateway answers again (her hang-up is sent repeatedly until the gateway takes it, so it reaches the
// line while it initialises, before its first poll):
// - still talking: the ATH goes out, the call ends by the handler, and the network has no call left;
// - she hung up while the gateway was down and a new caller rings on that line: the new caller must not be
//   rejected by that ATH. Before 22a8462 she was, 3 runs of 3: never reported, gone from the network.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualPhone } from '../../../firmware-sim/network/index.js';
import { fleet, manifestOf } from '../../support/fleet.js';
import { login, startGatewayProcess, type GatewayProcess } from '../../support/gateway-process.js';
import { startSimBank } from '../../support/sim-bank.js';
import { tmpDir } from '../core/harness.js';

const NEW_CALLER = '+447700900999';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type CallRow = { id: string; state: string; endedBy: string | null; callerNumber: string | null };

describe('a call answered, the gateway SIGKILLed, the handler hangs it up as the gateway comes back', () => {
  for (const meanwhile of ['she is still talking', 'she hung up and a new caller rings'] as const) {
    it(meanwhile, async () => {
      const dir = tmpDir();
      const manifest = path.join(dir, 'registry.json');
      const handsets = fleet(1);
      writeFileSync(manifest, manifestOf(handsets));
      const bank = await startSimBank({ lines: 1, seed: 3 });
      let running = true;
      const world = (async () => {
        while (running) {
          bank.clock.advance(5);
          await sleep(1);
        }
      })();
      const args = (http: string) => ['--db', path.join(dir, 'tecsos.db'), '--http', http, '--lines', bank.specs.join(','), '--registry', manifest];
      const waitFor = async (what: string, pred: () => Promise<boolean>, gw: GatewayProcess) => {
        for (const end = Date.now() + 20_000; !(await pred()); await sleep(50)) {
          if (Date.now() > end) throw new Error(`no ${what}\n${gw.output().slice(-2000)}`);
        }
      };
      let gw = startGatewayProcess(args('127.0.0.1:0'));
      try {
        const url = await gw.url;
        const cookie = await login(url); // sessions are kept in the store: the same cookie after the restart
        const calls = async () => ((await (await fetch(`${url}/api/calls`, { headers: { cookie } })).json()) as { calls: CallRow[] }).calls;
        const post = (id: string, what: string) => fetch(`${url}/api/calls/${id}/${what}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{}' });
        const phone = new VirtualPhone(bank.network, handsets[0]!.number);
        const callId = phone.dial(bank.numbers[0]!) as number;
        await waitFor('ringing call', async () => (await calls()).some((c) => c.state === 'ringing'), gw);
        const her = (await calls())[0]!.id;
        expect((await post(her, 'answer')).status).toBe(202);
        await gw.kill();
        if (meanwhile === 'she hung up and a new caller rings') {
          phone.hangup(callId);
          new VirtualPhone(bank.network, NEW_CALLER).dial(bank.numbers[0]!);
          await waitFor('new caller alerting', async () => bank.network.activeCalls().some((c) => c.from === NEW_CALLER && c.state === 'alerting'), gw);
        }
        gw = startGatewayProcess(args(new URL(url).host)); // the same port: her console reconnects to it
        let hungUp: Response | undefined;
        for (const end = Date.now() + 20_000; hungUp === undefined && Date.now() < end; await sleep(1)) {
          hungUp = await post(her, 'hangup').catch(() => undefined); // refused connections until it listens
          if (hungUp?.status === 503) hungUp = undefined; // the line not open yet
        }
        if (meanwhile === 'she hung up and a new caller rings' && hungUp?.status === 409) {
          // On a loaded machine the line's first poll can find her call gone before the hang-up reaches the core:
          // her call has ended, no ATH is written (nothing that could reject the new caller); the rest holds.
          expect(((await hungUp.json()) as { message: string }).message).toMatch(/has ended/);
        } else expect(hungUp?.status).toBe(202);
        await gw.url;
        if (meanwhile === 'she is still talking') {
          await waitFor('the call ended', async () => bank.network.activeCalls().length === 0, gw);
          expect((await calls()).map((c) => [c.id, c.state, c.endedBy])).toEqual([[her, 'ended', 'handler']]);
        } else {
          await waitFor('the new caller ringing at the gateway', async () => (await calls()).some((c) => c.callerNumber === NEW_CALLER), gw);
          expect((await calls()).map((c) => [c.state, c.callerNumber])).toEqual([
            ['ended', handsets[0]!.number],
            ['ringing', NEW_CALLER],
          ]);
          expect(bank.network.activeCalls()).toMatchObject([{ from: NEW_CALLER, state: 'alerting' }]);
        }
      } finally {
        await gw.kill();
        running = false;
        await world;
        await bank.close();
      }
    }, 60_000);
  }
});
