// A handler's Fresh fix (TSC1 LOCATE) when the line sending it fails, with the whole gateway in this process
// and its real lines (gateway/lines) over tcp:// to firmware-sim's bank modems, a real simulated handset in an
// alarm, all on one ManualClock (as modem-faults.test.ts):
//
//   cms             the modem answers the PDU with +CMS ERROR: 331 (no network service), once
//   drop-at-prompt  the serial link drops as the modem reads AT+CMGS, before its `> `: nothing written
//   refusing-line   the line tried first refuses every AT+CMGS; refusing-all: every line does
//   drop-after-pdu  the link drops right after the modem handed the SMS to the network, before its +CMGS
//
// An SMS a line surely did not send goes from the next free line (once: the handset gets one LOCATE). What
// the handler is told must be true: "not sent" only for an SMS that surely did not leave; one that may have
// left is said to be uncertain, is on record as such, is not tried again, and the handset's ACK settles it.
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

type Fault = 'cms' | 'drop-after-pdu' | 'drop-at-prompt' | 'refusing-line' | 'refusing-all';

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
    // A modem that refuses every AT+CMGS (no credit, a bad SMSC, a barred SIM), the line otherwise up: the last line, tried first.
    if (fault === 'refusing-line') bank.modems[lines - 1]!.refuse('+CMGS');
    if (fault === 'refusing-all') for (const m of bank.modems) m.refuse('+CMGS');
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
    out['sentOn'] = onAir.map((x) => `L${bank.numbers.indexOf(x.split(' ')[0] as string) + 1}`);
    const all = (await readAll(gw.app.store)).map((e) => e.event as Record<string, unknown>);
    out['log'] = all.filter((e) => /^command|locate|tracking-stopped/.test(String(e['type'])) || e['event'] === 'ACK').map((e) => JSON.stringify({ ...e, at: undefined, v: undefined }));
    ws.ws.close();
  } finally {
    await gw.close();
    await bank.close();
  }
  return out as unknown as { reply: [number, string]; handsetAccepted: number; onAir: number; sentOn: string[]; log: string[] };
}

const results = (log: string[]) => log.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e['type'] === 'command.result');

describe('a Fresh fix when the sending line fails', () => {
  it('+CMS ERROR on one line: the LOCATE goes from the next free line, once', async () => {
    const o = await locateWith('cms');
    expect(o.reply[0]).toBe(202);
    expect(o.sentOn).toEqual(['L2']);
    expect(results(o.log).map((e) => e['result'])).toEqual(['sent', 'acknowledged']);
    expect([o.onAir, o.handsetAccepted]).toEqual([1, 1]);
  }, 120_000);

  it('the link drops before the prompt: nothing was written, the LOCATE goes from the next free line, once', async () => {
    const o = await locateWith('drop-at-prompt');
    expect(o.reply[0]).toBe(202);
    expect(o.sentOn).toEqual(['L2']);
    expect(results(o.log).map((e) => e['result'])).toEqual(['sent', 'acknowledged']);
    expect([o.onAir, o.handsetAccepted]).toEqual([1, 1]);
  }, 120_000);

  it('every free line refuses: told not sent, naming each line, recorded failed, nothing reached the handset', async () => {
    const o = await locateWith('refusing-all');
    expect(o.reply[0]).toBe(503);
    expect(o.reply[1]).toMatch(/not sent: L3: .*ERROR.*; L2: .*ERROR/);
    expect(results(o.log).map((e) => e['result'])).toEqual(['failed']);
    expect([o.onAir, o.handsetAccepted]).toEqual([0, 0]);
  }, 120_000);

  it('a line whose modem refuses every SMS: the LOCATE goes from another free line', async () => {
    const o = await locateWith('refusing-line');
    expect(o.reply[0]).toBe(202);
    expect(results(o.log).map((e) => e['result'])).toEqual(['sent', 'acknowledged']);
    expect([o.onAir, o.handsetAccepted]).toEqual([1, 1]);
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
