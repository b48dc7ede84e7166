// A +CLIP whose number was garbled on the serial link (found by fuzzing modem lines): parseClip gave the garbled
// text as the caller's number ("+44770090O456"), the line reported her call ringing with it, the core could not
// read it as a phone number (null: an ordinary call with no number), and the clean +CLIP that came with the next
// RING was ignored (a number already shown is never replaced: docs/lines.md "Caller id"). Her TecSOS call rang
// as an ordinary call with no number for its whole life. A number holding a character no phone number has is now
// `corrupt`, which the line treats as an unreadable +CLIP: AT+CLCC gives the number. The same number garbled in
// an AT+CLCC answer is left out of the entry (the entry kept: without it her call would read as gone): her call
// rings with number null and the next RING's +CLIP identifies her.
import { describe, expect, it } from 'vitest';
import { parseClcc, parseClip } from '../../../protocol/at/index.js';
import { lineWith, standard } from '../../gateway/lines/scripted-port.js';

const HER = '+447700900456';

/** Garbled +CLIP lines as fuzzing made them: one character flipped, a quote in an unquoted field, a 0xFF byte. */
const GARBLED = [
  '+CLIP: "+44770090O456",145,,,,0',
  '+CLIP: "+4477009\u00ff0456",145,,,,0',
  '+CLIP: ."+44770"09004B56",142,,,,0',
  '+CLIP: 7+443700900456",145\f,,,0',
  '+CLIP: "+4477 0900456",145,,,,0', // '0' with bit 4 flipped is a space: read as +44770900456, another number
  '+CLIP: "+44770p900456",145,,,,0', // '0' with bit 6 flipped
];

describe('a garbled +CLIP number', () => {
  it('is corrupt, not a number', () => {
    for (const line of GARBLED) expect(parseClip(line), line).toMatchObject({ ok: false, failure: 'corrupt' });
  });

  it('numbers as modems write them still read', () => {
    for (const [line, number] of [
      [`+CLIP: "${HER}",145,,,,0`, HER],
      ['+CLIP: "07700900123",129,,,,0', '07700900123'],
      ['+CLIP: "07700900456",129,"",,"Mum, mobile"', '07700900456'],
      ['+CLIP: "*31#0800123",129', '*31#0800123'],
    ] as const) {
      expect(parseClip(line), line).toMatchObject({ ok: true, value: { number, validity: 'valid' } });
    }
    expect(parseClip('+CLIP: "",128,,,,1')).toEqual({ ok: true, value: { type: 128, validity: 'withheld' } });
  });

  it('her call rings with her number (from AT+CLCC), not with the garbled text', async () => {
    for (const garbled of GARBLED) {
      const x = await lineWith((c) => (c === 'AT+CLCC' ? [`+CLCC: 1,1,4,0,0,"${HER}",145`, 'OK'] : standard(c)));
      await x.bank.start();
      await x.urc('RING', garbled);
      for (let i = 0; i < 4; i++) {
        x.clock.advance(300);
        await x.settle();
      }
      await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
      expect(x.rec.calls.map((c) => [c.kind, 'number' in c ? c.number : undefined]), garbled).toEqual([['ringing', HER]]);
      await x.bank.close();
    }
  });

  it('in an AT+CLCC entry is left out, the entry kept', () => {
    expect(parseClcc('+CLCC: 1,1,4,0,0,"+44770090O456",145')).toEqual({
      ok: true,
      value: { index: 1, direction: 'incoming', state: 'incoming', mode: 'voice', multiparty: false, type: 145 },
    });
    expect(parseClcc(`+CLCC: 1,1,4,0,0,"${HER}",145`)).toMatchObject({ ok: true, value: { number: HER } });
  });

  it('in AT+CLCC: her call rings with number null, then the next RING\'s +CLIP identifies her', async () => {
    for (const garbled of ['+CLCC: 1,1,4,0,0,"+44770090O456",145', '+CLCC: 1,1,4,0,0,"+4477\u00ff00900456",145']) {
      const x = await lineWith((c) => (c === 'AT+CLCC' ? [garbled, 'OK'] : standard(c)));
      await x.bank.start();
      await x.urc('RING'); // no +CLIP (late, or CLIP off)
      for (let i = 0; i < 6; i++) {
        x.clock.advance(300);
        await x.settle();
      }
      await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
      expect(x.rec.calls.map((c) => [c.kind, 'number' in c ? c.number : undefined]), garbled).toEqual([['ringing', null], ['identified', HER]]);
      await x.bank.close();
    }
  });
});
