// A handler's Fresh fix (TSC1 LOCATE) when the line sending it fails, with the whole gateway in this process
// and its real lines (gateway/lines) over tcp:// to firmware-sim's bank modems, a real simulated handset in an
// alarm, all on one ManualClock (as modem-faults.test.ts):
//
//   cms             the modem answers the PDU with +CMS ERROR: 331 (no network service)
//   drop-at-prompt  the serial link drops as the modem reads AT+CMGS, before its `> `: nothing written
//   drop-after-pdu  the link drops right after the modem handed the SMS to the network, before its +CMGS
//
// What the handler is told must be true: "not sent" only for an SMS that surely did not leave; one that may
// have left is said to be uncertain, is on record as such, and the handset's ACK settles it (acknowledged).
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModemLineBank } from '../../gateway/lines/index.js';
import { fleet, manifestOf } from '../support/fleet.js';
import { login } from '../support/gateway-process.js';
import { readAll, startInProcessGateway } from '../support/in-process-gateway.js';
import { simHandset, startSimBank } from '../support/sim-bank.js';
import { tmpDir } from '../gateway/core/harness.js';
import { connect } from '../gateway/http/ws-client.js';

type Fault = 'cms' | 'drop-after-pdu' | 'drop-at-prompt';

async function locateWith(fault: Fault, lines = 3) {
  const dir = tmpDir();
  const [h] = fleet(1);
  const manifest = path.join(dir, 'registry.json');
  writeFileSync(manifest, manifestOf([h!]));
  const bank = await startSimBank({ lines, seed: 17 });
  const gw = await startInProcessGateway({
    db: path.join(dir, 'tecsos.db'), clock: bank.clock, registry: manifest,
    lineBank: (_specs, listener) => new ModemLineBank({ specs: bank.specs, listener, clock: bank.clock, random: bank.random }),
  });
  const out: Record<string, unknown> = { fault };
  try {
    await bank.until('lines up', () => gw.app.lines.health().every((x) => x.state === 'up'), 30_000);
    const handset = simHandset(bank, h!, bank.numbers[0] as string, { intervalS: 10 });
    await handset.firmware.boot();
    await bank.step(10_000);
    const cookie = await login(gw.url);
    const ws = connect(`${gw.url.replace('http', 'ws')}/ws?since=0`, { cookie, origin: gw.url });
    await ws.until((m) => m['type'] === 'live');
    const of = (t: string) => ws.messages.filter((m) => m['type'] === t);
    handset.button.setContact(true);
    await bank.step(2100);
    handset.button.setContact(false);
    await bank.until('incident', () => of('incident.opened').length > 0 && of('fix').length > 0, 60_000);
    const incidentId = String(of('incident.opened')[0]?.['incidentId']);
    const post = (p: string) => fetch(`${gw.url}${p}`, { method: 'POST', headers: { cookie, origin: gw.url, 'content-type': 'application/json' }, body: '{}' });
    const onAir: string[] = [];
    let armed = true;
    bank.network.onEvent((e) => {
      if (e.type !== 'sms-submitted' || e.sms.to !== h!.number) return;
      onAir.push(`${e.sms.from} ${e.sms.content.text}`);
      if (armed && fault === 'drop-after-pdu') {
        armed = false;
        const i = bank.numbers.indexOf(e.sms.from);
        bank.servers[i]!.dropClient();
      }
    });
    bank.modems.forEach((m, i) => m.onTranscript((t) => {
      if (!armed) return;
      if (fault === 'cms' && t.kind === 'pdu') {
        armed = false;
        bank.network.setRadio(bank.numbers[i] as string, { registration: 'searching' });
        bank.clock.setTimeout(() => bank.network.setRadio(bank.numbers[i] as string, { registration: 'home' }), 50);
      }
      if (fault === 'drop-at-prompt' && t.kind === 'command' && /CMGS/.test(t.text)) {
        armed = false;
        bank.servers[i]!.dropClient();
      }
    }));
    // The modem runs on simulated time: step it while the request waits.
    const answered = { done: false };
    const stepping = (async () => {
      for (let i = 0; i < 500 && !answered.done; i++) await bank.step(20);
    })();
    const r = await post(`/api/incidents/${incidentId}/locate`);
    answered.done = true;
    out['reply'] = [r.status, await r.text()];
    await stepping;
    await bank.step(60_000, 50);
    out['handsetAccepted'] = handset.firmware.stats.commandsAccepted;
    out['onAir'] = onAir.length;
    const all = (await readAll(gw.app.store)).map((e) => e.event as Record<string, unknown>);
    out['log'] = all.filter((e) => /^command|locate|tracking-stopped/.test(String(e['type'])) || e['event'] === 'ACK').map((e) => JSON.stringify({ ...e, at: undefined, v: undefined }));
    ws.ws.close();
  } finally {
    await gw.close();
    await bank.close();
  }
  return out as unknown as { reply: [number, string]; handsetAccepted: number; onAir: number; log: string[] };
}

const results = (log: string[]) => log.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e['type'] === 'command.result');

describe('a Fresh fix when the sending line fails', () => {
  it('+CMS ERROR: told not sent, recorded failed, nothing reached the handset', async () => {
    const o = await locateWith('cms');
    expect(o.reply).toEqual([503, expect.stringMatching(/not sent: \+CMS ERROR: 331/)]);
    expect(results(o.log).map((e) => e['result'])).toEqual(['failed']);
    expect([o.onAir, o.handsetAccepted]).toEqual([0, 0]);
  }, 120_000);

  it('the link drops before the prompt: told not sent, recorded failed, nothing reached the handset', async () => {
    const o = await locateWith('drop-at-prompt');
    expect(o.reply).toEqual([503, expect.stringMatching(/not sent: closed/)]);
    expect(results(o.log).map((e) => e['result'])).toEqual(['failed']);
    expect([o.onAir, o.handsetAccepted]).toEqual([0, 0]);
  }, 120_000);

  it('the link drops after the modem took the SMS: told it may not have left, recorded so, and its ACK settles it', async () => {
    const o = await locateWith('drop-after-pdu');
    // It left, and the handset carried it out.
    expect([o.onAir, o.handsetAccepted]).toEqual([1, 1]);
    expect(o.reply[0]).toBe(503);
    expect(o.reply[1]).toMatch(/may not have left/);
    expect(o.reply[1]).not.toMatch(/not sent/);
    expect(o.log.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e['type'] === 'command.sent')).toMatchObject({ command: { kind: 'LOCATE' }, by: 'handler' });
    const r = results(o.log);
    expect(r.map((e) => e['result'])).toEqual(['sent', 'acknowledged']);
    expect(r[0]?.['detail']).toMatch(/^uncertain: .*may not have left/);
  }, 120_000);
});
