import { MockBinding } from '@serialport/binding-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PortCloseCode, PortErrorCode, isPortError, mockBindingOf, openPort, type Port } from '../../../hardware/ports/index.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** Collects received bytes and resolves once `want` appears. */
function receiver(port: Port) {
  let got = '';
  const waiters: Array<() => void> = [];
  port.onData((b) => {
    got += text(b);
    for (const w of waiters.splice(0)) w();
  });
  return {
    get text() {
      return got;
    },
    async until(want: string): Promise<string> {
      while (!got.includes(want)) await new Promise<void>((r) => waiters.push(r));
      return got;
    },
  };
}

describe('mock: ports', () => {
  beforeEach(() => {
    MockBinding.reset();
    MockBinding.createPort('modem1', { echo: false, record: true });
  });
  afterEach(() => MockBinding.reset());

  it('writes reach the mock, and emitted bytes arrive, in order', async () => {
    const port = await openPort('mock:modem1');
    expect(port.kind).toBe('mock');
    expect(port.spec).toBe('mock:modem1');
    const mock = mockBindingOf(port);
    if (mock === undefined) throw new Error('no mock binding');
    const rx = receiver(port);
    await port.write(Buffer.from('AT\r'));
    await port.write(new TextEncoder().encode('ATI\r'));
    expect(mock.lastWrite?.toString()).toBe('ATI\r');
    await port.write('AT+CMGS=23\r');
    expect(mock.recording.toString()).toBe('AT\rATI\rAT+CMGS=23\r');
    mock.emitData('\r\nOK\r\n');
    mock.emitData(Buffer.from('\r\n> '));
    expect(await rx.until('> ')).toBe('\r\nOK\r\n\r\n> ');
    await port.close();
  });

  it('keeps bytes that arrive before anyone listens', async () => {
    const port = await openPort('mock:modem1');
    mockBindingOf(port)?.emitData('\r\nRDY\r\n');
    await new Promise((r) => setTimeout(r, 20));
    const rx = receiver(port);
    expect(await rx.until('RDY')).toBe('\r\nRDY\r\n');
    await port.close();
  });

  it('accepts a mock created under the whole spec', async () => {
    MockBinding.createPort('mock:modem2', { echo: false, record: true });
    const port = await openPort('mock:modem2');
    await port.write(Buffer.from('ATZ\r'));
    expect(mockBindingOf(port)?.lastWrite?.toString()).toBe('ATZ\r');
    await port.close();
  });

  it('a missing mock port is PORT_NOT_FOUND, a second open is PORT_BUSY', async () => {
    const missing = await openPort('mock:nosuch').catch((e: unknown) => e);
    expect(isPortError(missing, PortErrorCode.NOT_FOUND)).toBe(true);
    expect((missing as Error).message).toContain('createPort');
    const first = await openPort('mock:modem1');
    const second = await openPort('mock:modem1').catch((e: unknown) => e);
    expect(isPortError(second, PortErrorCode.BUSY)).toBe(true);
    await first.close();
  });

  it('close() reports a local close; writes after it are PORT_NOT_OPEN', async () => {
    const port = await openPort('mock:modem1');
    const reasons: string[] = [];
    port.onClose((r) => reasons.push(r.code));
    await port.close();
    await port.close();
    expect(port.isOpen).toBe(false);
    expect(reasons).toEqual([PortCloseCode.LOCAL]);
    expect((await port.closed).code).toBe(PortCloseCode.LOCAL);
    const late: string[] = [];
    port.onClose((r) => late.push(r.code));
    await Promise.resolve();
    expect(late).toEqual([PortCloseCode.LOCAL]);
    const e = await port.write(Buffer.from('AT\r')).catch((x: unknown) => x);
    expect(isPortError(e, PortErrorCode.NOT_OPEN)).toBe(true);
    // The mock is free again: the gateway's reopen works.
    const again = await openPort('mock:modem1');
    await again.close();
  });
});
