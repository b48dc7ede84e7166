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
import { describe, expect, it } from 'vitest';
import { readAll } from '../support/in-process-gateway.js';
import { startOneHandsetWorld } from '../support/one-handset-world.js';

type Fault = 'cms' | 'drop-after-pdu' | 'drop-at-prompt' | 'refusing-line' | 'refusing-all';

async function locateWith(fault: Fault, lines = 3) {
  const { h, bank, gw, handset, of, post, close } = await startOneHandsetWorld(lines);
  const out: Record<string, unknown> = { fault };
  try {
    handset.button.setContact(true);
    await bank.step(2100);
    handset.button.setContact(false);
    await bank.until('incident', () => of('incident.opened').length > 0 && of('fix').length > 0, 60_000);
    const incidentId = String(of('incident.opened')[0]?.['incidentId']);
    const onAir: string[] = [];
    let armed = true;
    bank.network.onEvent((e) => {
      if (e.type !== 'sms-submitted' || e.sms.to !== h.number) return;
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
    // The modem runs on simulated time: post steps it while the request waits.
    const r = await post(`/api/incidents/${incidentId}/locate`);
    out['reply'] = [r.status, await r.text()];
    await bank.step(60_000, 50);
    out['handsetAccepted'] = handset.firmware.stats.commandsAccepted;
    out['onAir'] = onAir.length;
    out['sentOn'] = onAir.map((x) => `L${bank.numbers.indexOf(x.split(' ')[0] as string) + 1}`);
    const all = (await readAll(gw.app.store)).map((e) => e.event as Record<string, unknown>);
    out['log'] = all.filter((e) => /^command|locate|tracking-stopped/.test(String(e['type'])) || e['event'] === 'ACK').map((e) => JSON.stringify({ ...e, at: undefined, v: undefined }));
  } finally {
    await close();
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
