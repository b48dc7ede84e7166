// A device that spews lines without end during a command (a broken modem, the wrong device behind a serial
// server): the engine kept every line until the command's timeout, about 100 MB a second on a loopback link
// (the gateway's RSS passed 300 MB per line in 3 s). Past maxAnswerBytes (default 1 MiB) the command is given up
// as a timeout would give it up, and the engine resynchronises; a real answer, however long, is untouched.
import { describe, expect, it } from 'vitest';
import { AtEngine, cmgl, parseCmgl, type AtResult } from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { FakeModem, flush, track } from './fake-modem.js';

function setup(options: ConstructorParameters<typeof AtEngine>[1] = {}) {
  const clock = new ManualClock(0);
  const modem = new FakeModem();
  const engine = new AtEngine(modem, { clock, timeoutMs: 30_000, ...options });
  return { clock, modem, engine };
}

const GARBAGE = 'GARBAGE LINE FROM A BROKEN MODEM';

describe('an answer without end', () => {
  it('is given up at the default 1 MiB, long before the timeout, and the engine probes the line', async () => {
    const { modem, engine } = setup();
    const r = track(engine.send('ATI'));
    // 2 MiB of lines with no final, at once (no time passes).
    const block = `\r\n${GARBAGE}`.repeat(1000);
    for (let sent = 0; sent < 2 << 20; sent += block.length) modem.feed(block);
    await flush();
    expect(r.done).toBe(true);
    const result = r.value as AtResult;
    expect(result).toMatchObject({ status: 'timeout', ok: false, phase: 'answer' });
    const kept = result.lines.reduce((n, l) => n + l.length + 2, 0);
    expect(kept).toBeLessThanOrEqual(1 << 20);
    expect(kept).toBeGreaterThan((1 << 20) - 100);
    expect(engine.stats.answerOverflows).toBe(1);
    expect(engine.stats.timeouts).toBe(1);
    expect(modem.last).toBe('\x1bAT\r'); // the resynchronisation's probe (ESC first: V.250 abort)
  });

  it('the engine goes on once the device answers like a modem again', async () => {
    const { modem, engine, clock } = setup({ maxAnswerBytes: 4096 });
    const first = track(engine.send('ATI'));
    for (let i = 0; i < 200; i++) modem.feed(`\r\n${GARBAGE}`);
    await flush();
    expect((first.value as AtResult).status).toBe('timeout');
    modem.feed('\r\nOK\r\n'); // the probe's answer
    clock.advance(1000);
    await flush();
    const next = track(engine.send('AT+CSQ'));
    await flush();
    expect(modem.last).toBe('AT+CSQ\r');
    modem.feed('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    await flush();
    expect(next.value).toMatchObject({ status: 'final', ok: true, lines: ['+CSQ: 20,99'] });
  });

  it('a long listing under the limit is read whole (120 stored messages)', async () => {
    const { modem, engine } = setup({ maxAnswerBytes: 64 * 1024 });
    const pdu = '07914477790706520411D0C3E6F0E27C0E8701000052112201000000A0050003A70201A8E5391D14060DD16B3A1D5D0ED341EDF27C1E3E97E7A0B41B7476BBD3E273D904';
    const r = track(engine.send(cmgl()));
    await flush();
    let answer = '';
    for (let i = 1; i <= 120; i++) answer += `\r\n+CMGL: ${i},1,,${(pdu.length - 16) / 2}\r\n${pdu}`;
    modem.feed(`${answer}\r\n\r\nOK\r\n`);
    await flush();
    const result = r.value as AtResult;
    expect(result).toMatchObject({ status: 'final', ok: true });
    const parsed = parseCmgl(result.lines);
    expect(parsed.ok && parsed.value.length).toBe(120);
    expect(engine.stats.answerOverflows).toBe(0);
  });
});
