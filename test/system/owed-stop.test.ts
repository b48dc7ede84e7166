// The STOP a close sends when no line is free, end to end: the whole gateway in this process with its real lines
// (gateway/lines) over tcp:// to firmware-sim's bank (one line), a real simulated handset in an alarm, all on one
// ManualClock (the set-up of command-faults.test.ts). Her 999 call rings on the only line, so the close's STOP
// finds no free line. Before, it was recorded failed and nothing more happened: her handset went on tracking, an
// SMS of her position every 10 s here, to no one. Now, once the handler has answered and hung up her call, the
// line is free and the STOP goes by itself; the handset carries it out and acknowledges it (owed-stops.ts).
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModemLineBank } from '../../gateway/lines/index.js';
import { fleet, manifestOf } from '../support/fleet.js';
import { login } from '../support/gateway-process.js';
import { startInProcessGateway } from '../support/in-process-gateway.js';
import { simHandset, startSimBank } from '../support/sim-bank.js';
import { tmpDir } from '../gateway/core/harness.js';
import { connect } from '../gateway/http/ws-client.js';

describe("a close's STOP when no line is free", () => {
  it('goes by itself once her call has ended and the line is free: her handset stops tracking', async () => {
    const dir = tmpDir();
    const [h] = fleet(1);
    const manifest = path.join(dir, 'registry.json');
    writeFileSync(manifest, manifestOf([h!]));
    const bank = await startSimBank({ lines: 1, seed: 17 });
    const gw = await startInProcessGateway({
      db: path.join(dir, 'tecsos.db'), clock: bank.clock, registry: manifest,
      lineBank: (_specs, listener) => new ModemLineBank({ specs: bank.specs, listener, clock: bank.clock, random: bank.random }),
    });
    try {
      await bank.until('lines up', () => gw.app.lines.health().every((x) => x.state === 'up'), 30_000);
      const handset = simHandset(bank, h!, bank.numbers[0] as string, { intervalS: 10 });
      await handset.firmware.boot();
      await bank.step(10_000);
      const cookie = await login(gw.url);
      const ws = connect(`${gw.url.replace('http', 'ws')}/ws?since=0`, { cookie, origin: gw.url });
      await ws.until((m) => m['type'] === 'live');
      const of = (t: string) => ws.messages.filter((m) => m['type'] === t);
      /** A POST, with simulated time moving while it waits (the modem answers on it). */
      const post = async (p: string, body: unknown = {}) => {
        const answered = { done: false };
        const stepping = (async () => {
          for (let i = 0; i < 500 && !answered.done; i++) await bank.step(20);
        })();
        const r = await fetch(`${gw.url}${p}`, { method: 'POST', headers: { cookie, origin: gw.url, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        answered.done = true;
        await stepping;
        return r.status;
      };
      handset.button.setContact(true);
      await bank.step(2100);
      handset.button.setContact(false);
      await bank.until('her incident and her call', () => of('incident.opened').length > 0 && of('call.ringing').length > 0 && of('fix').length > 0, 60_000);
      const incidentId = String(of('incident.opened')[0]?.['incidentId']);
      const callId = String(of('call.ringing')[0]?.['callId']);

      // Closed while her call rings on the only line: its STOP finds no free line.
      expect(await post(`/api/incidents/${incidentId}/close`, { outcome: 'resolved-by-phone' })).toBe(202);
      await bank.until('the STOP failed', () => of('command.result').length > 0, 10_000);
      expect(of('command.result')[0]).toMatchObject({ result: 'failed', detail: expect.stringMatching(/^not sent: no free line .*it will be sent again by itself when a line is free/) });
      expect(of('command.sent')).toEqual([]);
      await bank.step(30_000);
      expect(handset.firmware.state).toBe('calling');

      // The handler answers her call and hangs up: the line is free.
      expect(await post(`/api/calls/${callId}/answer`)).toBe(202);
      await bank.step(5_000);
      expect(await post(`/api/calls/${callId}/hangup`)).toBe(202);
      // The STOP waits until the line has been free two minutes (her new alarm, had she raised one, first).
      await bank.step(100_000, 50);
      expect(of('command.sent')).toEqual([]);
      await bank.until('the STOP acknowledged', () => of('command.result').some((m) => m['result'] === 'acknowledged'), 120_000);
      expect(of('command.sent')).toMatchObject([{ incidentId, command: { kind: 'STOP' }, lineId: 'L1', by: 'handler' }]);
      expect(of('command.result').map((m) => m['result'])).toEqual(['failed', 'sent', 'acknowledged']);
      expect(handset.firmware.stats.commandsAccepted).toBe(1);
      expect(handset.firmware.state).toBe('idle');
      // No more of her positions by SMS.
      const trks = () => of('report.accepted').filter((m) => m['event'] === 'TRK').length;
      const before = trks();
      await bank.step(120_000, 50);
      expect(trks()).toBe(before);
      ws.ws.close();
    } finally {
      await gw.close();
      await bank.close();
    }
  }, 120_000);
});
