// The engine out of step (docs/at.md "Out of step") with AT+CMGL: a command's answer lines that come after a late
// final are read by the confirmation, which must take them as the command itself does. A PDU line with the next
// entry's header glued to its end (`0791...3A1D+CMGL: 2,0,,24`: gammu's ATGEN_ReplyGetMessageList, "some phones
// ... do not put new line before +CMGL") is two lines there too. Before (review 16b), the confirmation dropped the
// glued line as stray and gave the first entry the second one's PDU: the gateway handed out message 2 as stored at
// index 1 and deleted index 1, whose message was never read.
import { describe, expect, it } from 'vitest';
import { parseCmgl } from '../../../protocol/at/index.js';
import { track } from './fake-modem.js';
import { serialModem, slowFirstList } from './serial-modem.js';

const PDU1 = '07914477790706520404D0E1F1000042113211748480023A1D';
const PDU2 = '07914477790706520404D0E1F1000042113211748480023A1E';

describe('AtEngine out of step: AT+CMGL read by the confirmation', () => {
  it('a PDU line glued to the next entry is split: each entry keeps its own PDU', async () => {
    // A modem 3.5 s listing its calls on a fast link, the list given up after 1 s: the probes meet silence, so the
    // line is out of step, and the list's late OK is the first final the AT+CMGL sees.
    const answers = (line: string): string[] =>
      line === 'AT+CMGL=4'
        ? ['+CMGL: 1,0,,24', `${PDU1}+CMGL: 2,0,,24`, PDU2, 'OK']
        : line === 'AT+CMEE?'
          ? ['+CMEE: 1', 'OK']
          : line === 'AT+CSCS?'
            ? ['+CSCS: "GSM"', 'OK']
            : line === 'AT+CMGF?'
              ? ['+CMGF: 0', 'OK']
              : ['OK'];
    const { engine, run, confirmations } = serialModem({ oneWay: 10, answers, busy: slowFirstList(3500), stepMs: 50 });
    const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
    await run(1000);
    list.cancel();
    const cmgl = track(engine.send('AT+CMGL=4', { prefixes: ['+CMGL:'], bodyAfterPrefix: true, timeoutMs: 30_000 }));
    await run(10_000);
    expect(confirmations()).toBe(1); // it was confirmed
    const r = cmgl.value;
    expect(r?.status).toBe('final');
    const entries = r?.status === 'final' ? parseCmgl(r.lines) : undefined;
    expect(entries?.ok === true ? entries.value.map((e) => [e.index, e.pdu]) : entries).toEqual([
      [1, PDU1],
      [2, PDU2],
    ]);
  });
});
