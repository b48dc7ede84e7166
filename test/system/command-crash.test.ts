// A TSC1 STOP and the gateway killed (SIGKILL) in the one moment the design cannot cover with a single append:
// after the modem took the SMS (the network has it; +CMGS is on its way back) and before `command.sent` is
// stored. The gateway is `gateway/main.ts` in a child process over tcp:// to firmware-sim's bank modems in this
// process, and a real simulated handset raises the alarm, tracks, and carries the STOP out. The radio world runs
// by itself, ~10x faster than the wall clock.
//
// Asserted, as the call handler sees it after the restart (REST and the event log):
//   - the STOP that left is on the record, named as uncertain (the gateway stopped before the modem answered);
//   - the handset's ACK of it is taken as that STOP's (`acknowledged`), and the incident reads tracking stopped;
//   - nothing re-sent it by itself; a Stop pressed again after the restart signs a higher counter, which the
//     handset accepts (no replay refusal).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEventStore } from '../../gateway/store/index.js';
import { fleet, manifestOf } from '../support/fleet.js';
import { login, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { readAll } from '../support/in-process-gateway.js';
import { simHandset, startSimBank } from '../support/sim-bank.js';
import { tmpDir } from '../gateway/core/harness.js';
import { connect } from '../gateway/http/ws-client.js';

const waitFor = async (what: string, pred: () => boolean | Promise<boolean>, ms: number, gw?: GatewayProcess): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}\n${gw?.output().slice(-1500) ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('gateway SIGKILLed after the modem took a STOP, before command.sent was stored', () => {
  it('after the restart the STOP is on record as uncertain, its ACK is its own, and the next command is no replay', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'tecsos.db');
    const manifest = path.join(dir, 'registry.json');
    const [h] = fleet(1);
    writeFileSync(manifest, manifestOf([h!]));
    // An hour behind the wall clock, running 10x: the handset's fixes stay in the gateway's past.
    const bank = await startSimBank({ lines: 2, seed: 23, start: Date.now() - 3600_000 });
    let running = true;
    const world = (async () => {
      while (running) {
        bank.clock.advance(10);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const handset = simHandset(bank, h!, bank.numbers[0] as string, { intervalS: 10 });
    const stopsOnAir: number[] = [];
    let gw: GatewayProcess | undefined;
    let killOnStop = true;
    bank.network.onEvent((e) => {
      if (e.type !== 'sms-submitted' || e.sms.to !== h!.number || !/c=STOP/.test(e.sms.content.text)) return;
      stopsOnAir.push(Number(/;n=(\d+);/.exec(e.sms.content.text)?.[1]));
      // The modem has handed the STOP to the network; its +CMGS has not reached the gateway yet.
      if (killOnStop) gw?.child.kill('SIGKILL');
    });
    const args = ['--db', db, '--http', '127.0.0.1:0', '--lines', bank.specs.join(','), '--registry', manifest];
    try {
      gw = startGatewayProcess(args);
      let url = await gw.url;
      let cookie = await login(url);
      const get = async (p: string) => (await fetch(`${url}${p}`, { headers: { cookie } })).json() as Promise<Record<string, unknown>>;
      const post = (p: string) => fetch(`${url}${p}`, { method: 'POST', headers: { cookie, origin: url, 'content-type': 'application/json' }, body: '{}' });
      const incidents = async () => ((await get('/api/incidents')) as { incidents?: Record<string, unknown>[] }).incidents ?? [];

      await handset.boot();
      handset.gesture('hold');
      await waitFor('her incident is open and tracking', async () => (await incidents()).some((i) => i['tracking'] === true), 60_000, gw);
      const incidentId = String((await incidents())[0]?.['id']);

      // The handler presses Stop tracking; the gateway dies as the modem takes the SMS.
      const reply = await post(`/api/incidents/${incidentId}/stop-tracking`).then((r) => r.status, (err: unknown) => String(err));
      await gw.exited;
      expect(stopsOnAir).toHaveLength(1);
      expect(typeof reply).toBe('string'); // no answer: the connection died

      killOnStop = false;
      gw = startGatewayProcess(args);
      url = await gw.url;
      cookie = await login(url);
      // The handset got the STOP and acknowledged it; the ACK reaches the restarted gateway.
      await waitFor('the handset stopped tracking', () => handset.firmware.state !== 'tracking', 60_000, gw);
      expect(handset.firmware.stats.commandsAccepted).toBe(1);
      const ws = connect(`${url.replace('http', 'ws')}/ws?since=0`, { cookie, origin: url });
      await waitFor('the ACK report accepted', () => ws.messages.some((m) => m['type'] === 'report.accepted' && m['event'] === 'ACK'), 60_000, gw);
      // The handler's view: her incident reads stopped by the handset (the ACK was taken as the STOP's).
      await waitFor('the incident reads tracking stopped', async () => ((await get(`/api/incidents/${incidentId}`))['incident'] as Record<string, unknown>)['tracking'] === false, 30_000, gw);
      // A command after the restart signs a higher counter: the handset carries it out, refusing nothing as a replay.
      expect((await post(`/api/incidents/${incidentId}/locate`)).status).toBe(202);
      await waitFor('the LOCATE carried out', () => handset.firmware.stats.commandsAccepted === 2, 60_000, gw);
      expect(handset.firmware.stats.commandsRefused.replay).toBe(0);
      ws.ws.close();
      expect(await gw.stop()).toBe(0);
      gw = undefined;

      const store = openEventStore({ path: db });
      const log = (await readAll(store)).map((e) => e.event as Record<string, unknown>);
      await store.close();
      const stopCounter = stopsOnAir[0] as number;
      const about = log.filter((e) => (e['type'] === 'command.sent' || e['type'] === 'command.result') && e['counter'] === stopCounter);
      // What the handler is shown of the STOP that left.
      expect(about.find((e) => e['type'] === 'command.sent')).toMatchObject({ command: { kind: 'STOP' }, incidentId });
      const results = about.filter((e) => e['type'] === 'command.result');
      expect(results.map((e) => e['result'])).toEqual(['sent', 'acknowledged']);
      expect(results[0]?.['detail']).toMatch(/uncertain: .*may not have left/);
      // Stopped on the handset's word (its ACK), not on the gateway's.
      expect(log.filter((e) => e['type'] === 'incident.tracking-stopped' && e['incidentId'] === incidentId).map((e) => e['reason'])).toEqual(['handset']);
      // Nothing re-sent it.
      expect(stopsOnAir).toHaveLength(1);
    } finally {
      running = false;
      await world;
      await gw?.kill();
      await bank.close();
    }
  }, 240_000);
});
