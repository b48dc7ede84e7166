// A slow USB-serial line (a handset's console behind a 9600-baud adapter with flow control, a serial device
// server on a bad link) delivers a long answer over more than the command timeout. The timeout runs from the
// last byte received, not from the command: before, AT+TSCFG? answered at about 50 bytes/s was cut off at 5 s
// (`no answer from the handset ... within 5000 ms`) while the handset was still answering, and `tecsos
// provision` stopped at the authenticate step. A silent handset still fails after the timeout; one that keeps
// sending without ever finishing fails too, after the overall limit.
import { describe, expect, it } from 'vitest';
import type { Port, PortCloseReason } from '../../../hardware/ports/index.js';
import { HandsetConsole } from '../../../hardware/provisioning/handset-console.js';

/** A Port whose far end answers each command line with `answer(line)`, one byte every `byteMs`. */
function slowPort(answer: (line: string) => string | undefined, byteMs: number) {
  const data = new Set<(b: Uint8Array) => void>();
  const closeListeners = new Set<(r: PortCloseReason) => void>();
  let open = true;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let resolveClosed!: (r: PortCloseReason) => void;
  const port: Port = {
    spec: 'tcp://bench:7201',
    kind: 'tcp',
    get isOpen() {
      return open;
    },
    async write(bytes) {
      const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
      const reply = answer(text.replace(/\r$/, ''));
      if (reply === undefined) return;
      const out = new TextEncoder().encode(reply);
      out.forEach((b, i) => {
        const t = setTimeout(() => {
          timers.delete(t);
          if (open) data.forEach((l) => l(Uint8Array.of(b)));
        }, byteMs * (i + 1));
        timers.add(t);
      });
    },
    onData(l) {
      data.add(l);
      return () => data.delete(l);
    },
    onClose(l) {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
    closed: new Promise<PortCloseReason>((r) => (resolveClosed = r)),
    async close() {
      if (!open) return;
      open = false;
      for (const t of timers) clearTimeout(t);
      const reason: PortCloseReason = { code: 'PORT_CLOSED_LOCALLY', message: 'closed' };
      for (const l of closeListeners) l(reason);
      resolveClosed(reason);
    },
  };
  return port;
}

const SETTINGS = ['gateway', 'emergency', 'interval', 'force', 'testmode', 'silent', 'tracking', 'gesture'];
const CFG_ANSWER = `${SETTINGS.map((n) => `\r\n+TSCFG: "${n}","value-of-${n}"`).join('')}\r\n\r\nOK\r\n`;

describe('HandsetConsole on a slow line', () => {
  it('an answer that takes longer than the timeout but keeps coming is read whole', async () => {
    // 8 settings, about 290 bytes at one byte per 5 ms: about 1.5 s, with a 400 ms timeout.
    const port = slowPort((l) => (l === 'AT+TSCFG?' ? CFG_ANSWER : '\r\nOK\r\n'), 5);
    const usb = new HandsetConsole(port, { timeoutMs: 400 });
    const r = await usb.readConfig();
    expect(r.ok ? [...r.value.keys()] : r.failure).toEqual(SETTINGS);
    await usb.close();
  });

  it('a handset that stops sending half-way still fails after the timeout', async () => {
    const port = slowPort((l) => (l === 'AT+TSCFG?' ? CFG_ANSWER.slice(0, 60) : undefined), 5);
    const usb = new HandsetConsole(port, { timeoutMs: 300 });
    const r = await usb.readConfig();
    expect(r.ok ? 'answered' : r.failure.kind).toBe('no-answer');
    await usb.close();
  });

  it('a line that keeps sending without a final result fails after the overall limit', async () => {
    const port = slowPort((l) => (l === 'AT+TSCFG?' ? '\r\n+TSCFG: "a","b"'.repeat(400) : undefined), 2);
    const usb = new HandsetConsole(port, { timeoutMs: 100, answerLimitMs: 600 });
    const r = await usb.readConfig();
    expect(r.ok ? 'answered' : r.failure).toMatchObject({ kind: 'no-answer', reason: expect.stringMatching(/not complete within 600 ms/) });
    await usb.close();
  });
});
