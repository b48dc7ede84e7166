// The engine out of step (docs/at.md "Out of step"), with noise on an owed probe's final. An owed probe's late
// answer is its answer line and then its final, nothing of the command's between them (the modem answers in
// order); the engine skips that final. When noise damaged it (`OK` came as `OJ`), the engine skipped the next
// final instead: the command's own. Review 16: an ATA answered `OK` timed out after its 30 s (Answer failed, her
// call connected), a refused ATH reported done with the late list's OK; the engine before 09b4e4e answered
// `ATA: OK`. Now the line in the owed final's place, final or not, is the owed final.
//
// The modem works through its commands in order, one at a time, behind a link of 1.75 s each way (3.5 s round
// trip); the list given up is answered (or not), the two probes of the resynchronisation are answered late.
import { describe, expect, it } from 'vitest';
import type { AtResult } from '../../../protocol/at/index.js';
import { serialModem, type Answers } from './serial-modem.js';

const ONE_WAY = 1750;
function answersWith(list: string[] | undefined, damaged: string, own: Record<string, string[]>): Answers {
  return (line) => {
    if (line === 'AT+CLCC') return list;
    if (line in own) return own[line];
    const answer = line === 'AT+CMEE?' ? ['+CMEE: 1', 'OK'] : line === 'AT+CSCS?' ? ['+CSCS: "GSM"', 'OK'] : line === 'AT+CMGF?' ? ['+CMGF: 0', 'OK'] : ['OK'];
    return line === damaged ? [answer[0] as string, 'OJ'] : answer;
  };
}

async function afterListGivenUp(answers: Answers, command: string, timeoutMs: number) {
  const { engine, run } = serialModem({ oneWay: ONE_WAY, answers });
  const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
  await run(1000);
  list.cancel(); // both probes meet 2 s of silence: their answers are 3.5 s away
  let result: AtResult | undefined;
  void engine.send(command, { timeoutMs }).then((r) => (result = r));
  await run(timeoutMs + 5000);
  return result?.status === 'final' ? result.final.line : result?.status;
}

describe('AtEngine out of step: an owed probe\'s final damaged by noise', () => {
  for (const damaged of ['AT+CMEE?', 'AT+CSCS?']) {
    it(`the list never answered, ${damaged}'s OK damaged: the ATA gets its own OK`, async () => {
      // Before, with AT+CSCS?'s OK damaged: timeout (30 s), the ATA's OK skipped as the probe's.
      expect(await afterListGivenUp(answersWith(undefined, damaged, { ATA: ['OK'] }), 'ATA', 30_000)).toBe('OK');
    });

    it(`the list never answered, ${damaged}'s OK damaged: a refused ATH is reported refused`, async () => {
      expect(await afterListGivenUp(answersWith(undefined, damaged, { ATH: ['+CME ERROR: 3'] }), 'ATH', 5000)).toBe('+CME ERROR: 3');
    });

    it(`the list answered late, ${damaged}'s OK damaged: a refused ATH is reported refused, not the list's OK`, async () => {
      const list = ['+CLCC: 1,1,0,0,0,"+447700900123",145', 'OK'];
      expect(await afterListGivenUp(answersWith(list, damaged, { ATH: ['+CME ERROR: 3'] }), 'ATH', 5000)).toBe('+CME ERROR: 3');
    });
  }
});
