// The engine out of step (docs/at.md "Out of step"), and the confirming probe answered without its answer line: a
// modem that does not know AT+CMGF? (or cannot answer it now) answers ERROR / +CMS ERROR, or noise damages
// `+CMGF: 0`. The confirmation then ends at its time, and it handed out the last final seen: the probe's own.
// Review 16: an ATA answered OK reported failed with the probe's ERROR, 2 s after the engine before 09b4e4e
// reported it OK (her call connected; through the real line, Answer said "ERROR"); a refused ATH reported done with
// the probe's OK. Now, once an owed probe's answer has come (the late answers are in, and the modem answers in
// order), the first final after it is the command's own.
//
// The modem works through its commands in order, one at a time, on a fast link; AT+CLCC takes it 3.5 s (a call
// setting up), so the list given up after 1 s and both probes of the resynchronisation meet silence.
import { describe, expect, it } from 'vitest';
import type { AtResult } from '../../../protocol/at/index.js';
import { serialModem, slowFirstList, type Answers } from './serial-modem.js';

async function afterSlowList(cmgf: string[], command: string, own: string[]) {
  const answers: Answers = (line) => {
    if (line === 'AT+CLCC') return ['+CLCC: 1,1,4,0,0,"+447700900123",145', 'OK'];
    if (line === 'AT+CMEE?') return ['+CMEE: 1', 'OK'];
    if (line === 'AT+CSCS?') return ['+CSCS: "GSM"', 'OK'];
    if (line === 'AT+CMGF?') return cmgf;
    if (line === command) return own;
    return ['OK'];
  };
  const { engine, run } = serialModem({ oneWay: 10, answers, busy: slowFirstList(3500) });
  const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
  await run(1000);
  list.cancel();
  let result: AtResult | undefined;
  void engine.send(command, { timeoutMs: 30_000 }).then((r) => (result = r));
  await run(10_000);
  return result?.status === 'final' ? result.final.line : result?.status;
}

describe('AtEngine out of step: the confirming probe answered without its answer line', () => {
  for (const [name, cmgf] of [
    ['ERROR', ['ERROR']],
    ['+CMS ERROR: 302', ['+CMS ERROR: 302']],
    ['its answer line damaged (+CMGF 0)', ['+CMGF 0', 'OK']],
  ] as const) {
    it(`AT+CMGF? answered ${name}: an ATA answered OK is reported OK`, async () => {
      expect(await afterSlowList([...cmgf], 'ATA', ['OK'])).toBe('OK');
    });

    it(`AT+CMGF? answered ${name}: a refused ATH is reported refused`, async () => {
      expect(await afterSlowList([...cmgf], 'ATH', ['+CME ERROR: 3'])).toBe('+CME ERROR: 3');
    });
  }
});
