// The console client against a scripted far end (a Port whose answers the test writes): every way the line or
// the handset can misbehave is a typed failure, never a throw; the key never appears in a failure.
import { describe, expect, it } from 'vitest';
import type { Port, PortCloseReason } from '../../../hardware/ports/index.js';
import { HandsetConsoleError } from '../../../hardware/provisioning/console-errors.js';
import { consoleFailure } from '../../../hardware/provisioning/failure.js';
import { HandsetConsole } from '../../../hardware/provisioning/handset-console.js';

/** A Port whose far end is `answer(line)`: the text to send back for each command line written. */
function scriptedPort(answer: (line: string) => string | undefined) {
  const data = new Set<(b: Uint8Array) => void>();
  const closeListeners = new Set<(r: PortCloseReason) => void>();
  const written: string[] = [];
  let open = true;
  let resolveClosed!: (r: PortCloseReason) => void;
  const closed = new Promise<PortCloseReason>((r) => (resolveClosed = r));
  const end = (reason: PortCloseReason) => {
    if (!open) return;
    open = false;
    for (const l of closeListeners) l(reason);
    resolveClosed(reason);
  };
  const port: Port = {
    spec: 'tcp://bench:7201',
    kind: 'tcp',
    get isOpen() {
      return open;
    },
    async write(bytes) {
      const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
      written.push(text);
      const reply = answer(text.replace(/\r$/, ''));
      if (reply !== undefined) setTimeout(() => data.forEach((l) => l(new TextEncoder().encode(reply))), 1);
    },
    onData(l) {
      data.add(l);
      return () => data.delete(l);
    },
    onClose(l) {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
    closed,
    async close() {
      end({ code: 'PORT_CLOSED_LOCALLY', message: 'closed' });
    },
  };
  const pull = () => end({ code: 'PORT_REMOTE_CLOSED', message: 'tcp://bench:7201: the far end closed the connection' });
  return { port, written, pull };
}

describe('HandsetConsole', () => {
  it('decodes answers and refusals with their reason', async () => {
    const s = scriptedPort((l) =>
      l === 'AT+TSINFO?' ? '\r\n+TSINFO: "TS-0001","1.0.0","356938035643809",1\r\n\r\nOK\r\n'
      : l.startsWith('AT+TSAUTH=') ? '\r\n+TSREASON: "signature refused (2 of 3)"\r\n\r\n+CME ERROR: 16\r\n'
      : l === 'AT+TSWIPE' ? '\r\n+TSLOCK: 899\r\n\r\n+TSREASON: "port locked after three bad signatures"\r\n\r\n+CME ERROR: 512\r\n'
      : '\r\nOK\r\n');
    const usb = new HandsetConsole(s.port, { timeoutMs: 500 });
    expect(await usb.info()).toEqual({ ok: true, value: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809', provisioned: true } });
    const auth = await usb.authenticate('ab'.repeat(64));
    expect(auth).toEqual({ ok: false, failure: { kind: 'refused', command: 'AT+TSAUTH=<signature>', code: HandsetConsoleError.BAD_SIGNATURE, reason: 'signature refused (2 of 3)' } });
    const wipe = await usb.wipe();
    expect(wipe).toMatchObject({ ok: false, failure: { kind: 'refused', code: 512, lockSeconds: 899 } });
    if (!wipe.ok) expect(consoleFailure(wipe.failure, s.port.spec)).toMatchObject({ kind: 'locked', message: expect.stringMatching(/899 s left/) });
  });

  it('a garbled answer, a silent handset and a pulled cable are typed failures', async () => {
    const s = scriptedPort((l) => (l === 'AT+TSINFO?' ? '\r\n+TSINFO: "TS-0001"\r\n\r\nOK\r\n' : l === 'AT+TSCFG?' ? '\r\n+TSCFG: "x\r\n\r\nOK\r\n' : undefined));
    const usb = new HandsetConsole(s.port, { timeoutMs: 200 });
    expect(await usb.info()).toMatchObject({ ok: false, failure: { kind: 'garbled', command: 'AT+TSINFO?' } });
    expect(await usb.readConfig()).toMatchObject({ ok: false, failure: { kind: 'garbled' } });
    expect(await usb.commit()).toMatchObject({ ok: false, failure: { kind: 'no-answer', command: 'AT+TSCOMMIT' } });
    const pending = usb.commit();
    s.pull();
    expect(await pending).toMatchObject({ ok: false, failure: { kind: 'port-closed', reason: expect.stringMatching(/far end closed/) } });
    expect(await usb.info()).toMatchObject({ ok: false, failure: { kind: 'port-closed' } });
  });

  it('the key goes out once, in AT+TSKEY=, and never into a failure', async () => {
    const key = new Uint8Array(32).map((_, i) => 0xc0 + i);
    const hex = Buffer.from(key).toString('hex');
    const s = scriptedPort((l) => (l.startsWith('AT+TSKEY=') ? '\r\n+TSREASON: "the key is 64 hex digits (32 bytes)"\r\n\r\n+CME ERROR: 50\r\n' : undefined));
    const usb = new HandsetConsole(s.port, { timeoutMs: 200 });
    const r = await usb.writeKey(key);
    expect(s.written.filter((w) => w.includes(hex))).toEqual([`AT+TSKEY=${hex}\r`]);
    expect(r).toMatchObject({ ok: false, failure: { kind: 'refused', command: 'AT+TSKEY=<key>', code: 50 } });
    expect(JSON.stringify(r)).not.toContain(hex);
    expect(await usb.writeKey(key.slice(0, 16))).toMatchObject({ ok: false, failure: { kind: 'error' } });
    expect(await usb.set('force', 'a"b')).toMatchObject({ ok: false, failure: { kind: 'error' } });
  });
});

describe('consoleFailure for a command the device does not know', () => {
  it('+CME ERROR: 4 (not supported) asks whether this is a TecSOS handset, not to "check the value shown"', () => {
    // A modem (or a handset with older firmware) on the port answers AT+TSINFO? with +CME ERROR: 4: there is no
    // value to check, and running the command again gives the same answer.
    const f = consoleFailure({ kind: 'refused', command: 'AT+TSINFO?', code: HandsetConsoleError.NOT_SUPPORTED, reason: '+CME ERROR: 4' }, 'tcp://bench:7201');
    expect(f.kind).toBe('handset');
    expect(f.message).toBe('the device on tcp://bench:7201 does not support AT+TSINFO? (+CME ERROR: 4)');
    expect(f.next).toMatch(/TecSOS handset/);
    expect(f.next).not.toMatch(/check the value shown/);
  });
});
