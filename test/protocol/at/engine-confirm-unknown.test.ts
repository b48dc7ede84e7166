// The engine out of step (docs/at.md "Out of step") on a modem that does not know the probe queries: it answers
// AT+CMEE?, AT+CSCS? and AT+CMGF? with ERROR, never with their answer lines. The engine learns that from
// resynchronisations and probes with a bare `AT` after two (docs/at.md "Timeouts and resynchronisation"); but when
// the first resynchronisation met silence (a list of 3.5 s given up), the line was out of step for good: every
// command's final was confirmed with a probe the modem answers ERROR, and that ERROR, the last final seen, was
// handed out as the command's (review 16: 15 of 20 AT+CSQ over a minute answered ERROR, 2 s late, where the
// engine before 09b4e4e answered all of them OK; an Answer on such a line reported failed while her call was
// connected). Now a confirmation that ends on finals without the probe's answer line counts as such a
// resynchronisation does: after two, with no probe's answer line ever seen, bare `AT` and no confirmations.
//
// The modem works through its commands in order, one at a time; a fast link.
import { describe, expect, it } from 'vitest';
import type { AtResult } from '../../../protocol/at/index.js';
import { serialModem, slowFirstList, type Answers } from './serial-modem.js';

const finalOf = (r: AtResult) => (r.status === 'final' ? r.final.line : r.status);

describe('AtEngine out of step, on a modem that answers the probe queries ERROR', () => {
  it('a silent resynchronisation, then a minute of commands: at most two take the probe\'s ERROR, then none is confirmed', async () => {
    const answers: Answers = (line) => {
      if (line === 'AT+CMEE?' || line === 'AT+CSCS?' || line === 'AT+CMGF?') return ['ERROR'];
      if (line === 'AT+CLCC') return ['OK'];
      if (line === 'AT+CSQ') return ['+CSQ: 17,99', 'OK'];
      if (line === 'ATA') return ['OK'];
      return ['OK'];
    };
    const { engine, run, modem } = serialModem({ oneWay: 10, answers, busy: slowFirstList(3500) });
    const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
    await run(1000);
    list.cancel(); // both probes meet silence: the modem is still listing
    const results: string[] = [];
    for (let i = 0; i < 20; i++) {
      let r: AtResult | undefined;
      void engine.send('AT+CSQ', { prefixes: ['+CSQ:'] }).then((v) => (r = v));
      for (let t = 0; t < 3000 && r === undefined; t += 10) await run(10);
      results.push(r === undefined ? 'pending' : finalOf(r));
      await run(3000);
    }
    // Before: ERROR 15 times of 20 (every command confirmed while a probe kind was free), each 2 s late.
    expect(results.filter((r) => r !== 'OK').length).toBeLessThanOrEqual(2);
    expect(results.slice(-10)).toEqual(Array(10).fill('OK'));
    const confirmations = modem.written.filter((w) => /^\x1bAT\+C(MEE|SCS|MGF)\?\r$/.test(w)).length;
    expect(confirmations).toBeLessThanOrEqual(4); // the two probes of the silent resynchronisation, two confirmations
    // An Answer on it now gets its own OK, at once.
    let ata: AtResult | undefined;
    void engine.send('ATA').then((v) => (ata = v));
    await run(200);
    expect(ata !== undefined && finalOf(ata)).toBe('OK');
  });
});
