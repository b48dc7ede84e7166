// A line closed while an SMS read or listing is in flight (the gateway stopped with Ctrl-C, or its link lost):
// the message stays on the SIM and the next connection's scan reads it. It is not a failure of that message:
// before, every clean stop of the demo with a +CMTI being read logged "reading stored SMS 1 failed (closed:
// engine closed); the storage will be rescanned" as a warning, one per message. A refused read still warns.
import { describe, expect, it } from 'vitest';
import { MessageIntake } from '../../../gateway/lines/message-intake.js';
import type { LineMetrics } from '../../../gateway/lines/types.js';
import { parseFinalResult, type AtEngine, type AtResult, type FinalResult } from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';

/** An intake on an engine that answers every command with `result`; the warnings it logged. */
function intakeAnswering(result: (line: string) => AtResult) {
  const warnings: string[] = [];
  const sent: string[] = [];
  const metrics: LineMetrics = { lineId: 'L1', commands: 0, timeouts: 0, reconnects: 0, smsReceived: 0, smsDeleted: 0, smsCorrupt: 0, smsNotMine: 0, calls: 0 };
  const answer = (c: { line: string }) => {
    sent.push(c.line);
    return Promise.resolve(result(c.line));
  };
  const engine = {
    send: answer,
    enqueue: (c: { line: string }) => ({ queued: false, result: answer(c) }),
  } as unknown as AtEngine;
  const intake = new MessageIntake({ lineId: 'L1', clock: new ManualClock(), engine: () => engine, deliver: () => undefined, metrics, warn: (m) => warnings.push(m) });
  return { intake, warnings, sent };
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

describe('an SMS read when the line closes', () => {
  it('logs no warning: the message stays on the SIM for the next scan', async () => {
    const x = intakeAnswering((line) => ({ status: 'closed', command: line, ok: false, lines: [], reason: 'engine closed' }));
    x.intake.onUrc({ name: '+CMTI', line: '+CMTI: "SM",1' });
    x.intake.onUrc({ name: '+CMTI', line: '+CMTI: "SM",2' });
    await settle();
    expect(x.sent).toEqual(['AT+CMGR=1', 'AT+CMGR=2']);
    expect(x.warnings).toEqual([]);
  });

  it('a read the modem refuses still warns and asks for a scan', async () => {
    const x = intakeAnswering((line) => ({ status: 'final', command: line, ok: false, lines: [], final: parseFinalResult('ERROR') as FinalResult }));
    x.intake.onUrc({ name: '+CMTI', line: '+CMTI: "SM",1' });
    await settle();
    expect(x.warnings[0]).toMatch(/^reading stored SMS 1 failed/);
    expect(x.sent).toContain('AT+CMGL=4');
  });
});
