// A slow USB-serial line (a handset's console behind a 9600-baud adapter with flow control, a serial device
// server on a bad link) delivers a long answer over more than the command timeout. The timeout runs from the
// last byte received, not from the command: before, AT+TSCFG? answered at about 50 bytes/s was cut off at 5 s
// (`no answer from the handset ... within 5000 ms`) while the handset was still answering, and `tecsos
// provision` stopped at the authenticate step. A silent handset still fails after the timeout; one that keeps
// sending without ever finishing fails too, after the overall limit.
//
// The line runs on a ManualClock (slow-line.ts): the bytes come in order, one timer at a time, whatever the load
// on the machine running the tests.
import { describe, expect, it } from 'vitest';
import { HandsetConsole } from '../../../hardware/provisioning/handset-console.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { runOn, slowLine } from './slow-line.js';

const SETTINGS = ['gateway', 'emergency', 'interval', 'force', 'testmode', 'silent', 'tracking', 'gesture'];
const CFG_ANSWER = `${SETTINGS.map((n) => `\r\n+TSCFG: "${n}","value-of-${n}"`).join('')}\r\n\r\nOK\r\n`;

describe('HandsetConsole on a slow line', () => {
  it('an answer that takes longer than the timeout but keeps coming is read whole', async () => {
    // 8 settings, about 290 bytes at one byte per 5 ms: about 1.5 s, with a 400 ms timeout.
    const clock = new ManualClock();
    const port = slowLine(clock, (l) => (l === 'AT+TSCFG?' ? CFG_ANSWER : '\r\nOK\r\n'), 5);
    const usb = new HandsetConsole(port, { timeoutMs: 400, clock });
    const started = clock.now();
    const r = await runOn(clock, usb.readConfig());
    expect(r.ok ? [...r.value.keys()] : r.failure).toEqual(SETTINGS);
    // The point of the test: the answer took longer than the timeout.
    expect(clock.now() - started).toBeGreaterThan(1000);
    await usb.close();
  });

  it('an answer arriving a few bytes at a time, in chunks cut anywhere, is read whole', async () => {
    // A busy event loop reads what the OS has buffered: several bytes at once, a line's end in the middle.
    for (let chunkBytes = 2; chunkBytes <= 9; chunkBytes++) {
      const clock = new ManualClock();
      const port = slowLine(clock, (l) => (l === 'AT+TSCFG?' ? CFG_ANSWER : '\r\nOK\r\n'), 5 * chunkBytes, chunkBytes);
      const usb = new HandsetConsole(port, { timeoutMs: 400, clock });
      const r = await runOn(clock, usb.readConfig());
      expect(r.ok ? [...r.value.keys()] : r.failure, `${chunkBytes} bytes a chunk`).toEqual(SETTINGS);
      await usb.close();
    }
  });

  it('a handset that stops sending half-way still fails after the timeout', async () => {
    const clock = new ManualClock();
    const port = slowLine(clock, (l) => (l === 'AT+TSCFG?' ? CFG_ANSWER.slice(0, 60) : undefined), 5);
    const usb = new HandsetConsole(port, { timeoutMs: 300, clock });
    const r = await runOn(clock, usb.readConfig());
    expect(r.ok ? 'answered' : r.failure).toMatchObject({ kind: 'no-answer', reason: expect.stringMatching(/within 300 ms \(the answer stopped half-way\)/) });
    await usb.close();
  });

  it('after an answer given up mid-line that then comes in slowly, the next AT+TSCFG? gets its own answer', async () => {
    // The handset pauses 700 ms in the middle of a +TSCFG: line (longer than the 400 ms timeout), then sends the rest
    // at one byte per 5 ms: over a second, longer than the first resynchronisation probe's wait, so a second probe
    // (AT+TSINFO? again, the console's only probe) goes out. Before, the first probe's answer was taken for the
    // second's, whose OK then answered the next AT+TSCFG?: `ok` with no settings at all, its own lines dropped.
    const clock = new ManualClock();
    const INFO = '\r\n+TSINFO: "TS-0042","1.0.0","356938035643809",0\r\n\r\nOK\r\n';
    const cut = CFG_ANSWER.indexOf('value-of-interval') + 4;
    let reads = 0;
    const port = slowLine(clock, (l) => {
      if (l === 'AT+TSCFG?') return reads++ === 0 ? [CFG_ANSWER.slice(0, cut), { pauseMs: 700 }, CFG_ANSWER.slice(cut)] : CFG_ANSWER;
      return l === 'AT+TSINFO?' ? INFO : '\r\nOK\r\n';
    }, 5);
    const usb = new HandsetConsole(port, { timeoutMs: 400, clock });
    const first = await runOn(clock, usb.readConfig());
    expect(first.ok ? 'answered' : first.failure).toMatchObject({ kind: 'no-answer', reason: expect.stringMatching(/stopped half-way/) });
    const second = await runOn(clock, usb.readConfig());
    expect(second.ok ? [...second.value] : second.failure).toEqual(SETTINGS.map((n) => [n, `value-of-${n}`]));
    expect(port.writes.filter((w) => w.includes('AT+TSINFO?'))).toHaveLength(2); // the case this is about
    await usb.close();
  });

  it('after AT+TSINFO? given up and answered late, the next commands get their own answers', async () => {
    // With AT+TSINFO? given up, the probe cannot be AT+TSINFO? (its late answer would pass for the probe's): it is a
    // bare AT, which the late OK satisfies. The probe's own OK follows at once, but at 100 bytes/s its line ends
    // 60 ms later, after the engine's 50 ms quiet window: before, it then answered the next command, AT+TSCFG?
    // (`ok`, no settings), and every command after it was one answer behind (AT+TSINFO?: garbled).
    const clock = new ManualClock();
    const INFO = '\r\n+TSINFO: "TS-0042","1.0.0","356938035643809",0\r\n\r\nOK\r\n';
    let infos = 0;
    const port = slowLine(clock, (l) => {
      if (l === 'AT+TSINFO?') return infos++ === 0 ? [{ pauseMs: 450 }, INFO] : INFO;
      return l === 'AT+TSCFG?' ? CFG_ANSWER : '\r\nOK\r\n';
    }, 10);
    const usb = new HandsetConsole(port, { timeoutMs: 400, clock });
    const first = await runOn(clock, usb.info());
    expect(first.ok ? 'answered' : first.failure.kind).toBe('no-answer');
    const cfg = await runOn(clock, usb.readConfig());
    expect(cfg.ok ? [...cfg.value.keys()] : cfg.failure).toEqual(SETTINGS);
    const info = await runOn(clock, usb.info());
    expect(info.ok ? info.value.id : info.failure).toBe('TS-0042');
    expect(port.writes).toContain('\x1bAT\r'); // the case this is about
    await usb.close();
  });

  it('a line that keeps sending without a final result fails after the overall limit', async () => {
    const clock = new ManualClock();
    const port = slowLine(clock, (l) => (l === 'AT+TSCFG?' ? '\r\n+TSCFG: "a","b"'.repeat(400) : undefined), 2);
    const usb = new HandsetConsole(port, { timeoutMs: 100, answerLimitMs: 600, clock });
    const r = await runOn(clock, usb.readConfig());
    expect(r.ok ? 'answered' : r.failure).toMatchObject({ kind: 'no-answer', reason: expect.stringMatching(/not complete within 600 ms/) });
    await usb.close();
  });
});
