import { MockBinding } from '@serialport/binding-mock';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtEngine } from '../../../protocol/at/index.js';
import { mockBindingOf, openPort, toTransport } from '../../../hardware/ports/index.js';

describe('toTransport: the AT engine over a port', () => {
  beforeEach(() => {
    MockBinding.reset();
    MockBinding.createPort('modem1', { echo: false, record: true });
  });
  afterEach(() => MockBinding.reset());

  it('runs a command over a mock: port, and closing the engine closes the port', async () => {
    const port = await openPort('mock:modem1');
    const mock = mockBindingOf(port);
    if (mock === undefined) throw new Error('no mock');
    const engine = new AtEngine(toTransport(port), { timeoutMs: 2000 });
    const pending = engine.enqueue('AT+CIMI');
    while (!mock.recording.toString().includes('AT+CIMI\r')) await new Promise((r) => setTimeout(r, 1));
    mock.emitData('\r\n234150000000001\r\n\r\nOK\r\n');
    const r = await pending.result;
    expect(r).toMatchObject({ ok: true, lines: ['234150000000001'] });
    engine.close();
    await port.closed;
    expect(port.isOpen).toBe(false);
  });

  it('runs a command over tcp://', async () => {
    const server = net.createServer((s) =>
      s.on('data', (b) => {
        if (b.toString().includes('AT+CGMI\r')) s.write('\r\nSIMCOM_Ltd\r\n\r\nOK\r\n');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port: tcpPort } = server.address() as net.AddressInfo;
    try {
      const port = await openPort(`tcp://127.0.0.1:${tcpPort}`);
      const engine = new AtEngine(toTransport(port), { timeoutMs: 2000 });
      expect(await engine.enqueue('AT+CGMI').result).toMatchObject({ ok: true, lines: ['SIMCOM_Ltd'] });
      engine.close();
      await port.closed;
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
