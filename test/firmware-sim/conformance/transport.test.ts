// The byte transports the modem talks over, and the `npm run sim -- modem` command, with real sockets,
// a real pty and a real child process.

import net from 'node:net';
import { spawn } from 'node:child_process';
import { constants, mkdtempSync, openSync, closeSync, readSync, writeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpSerialServer } from '../../../firmware-sim/transport/tcp-serial-server.js';
import { PtyBridge } from '../../../firmware-sim/transport/pty-bridge.js';
import { createPipePair } from '../../../firmware-sim/transport/memory-pipe.js';
import { SimModem } from '../../../firmware-sim/modem/index.js';
import { parseModemArgs } from '../../../firmware-sim/cli/modem-command.js';
import { systemClock } from '../../../protocol/time/clock.js';
import { killAll, start } from './child.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  await killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A TCP client that collects what it receives. */
async function connect(port: number): Promise<{ socket: net.Socket; text: () => string; waitFor: (s: string) => Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (d) => (received += d.toString('latin1')));
  cleanups.push(() => void socket.destroy());
  return {
    socket,
    text: () => received,
    waitFor: async (s) => {
      for (let i = 0; i < 200 && !received.includes(s); i++) await new Promise((r) => setTimeout(r, 10));
      if (!received.includes(s)) throw new Error(`never received ${JSON.stringify(s)}; got ${JSON.stringify(received)}`);
    },
  };
}

describe('transports', () => {
  it('in-memory pipe: each end hears the other; closing one closes both', () => {
    const [a, b] = createPipePair();
    const got: string[] = [];
    b.onData((d) => got.push(Buffer.from(d).toString()));
    a.write(Buffer.from('AT\r'));
    a.close();
    a.write(Buffer.from('lost'));
    b.write(Buffer.from('lost too'));
    expect(got).toEqual(['AT\r']);
  });

  it('TCP: a modem answers a client; a new client replaces the old one', async () => {
    const server = await TcpSerialServer.listen({ port: 0 });
    cleanups.push(() => server.closeAsync());
    const modem = new SimModem({ clock: systemClock });
    modem.connect(server);
    const first = await connect(server.port);
    first.socket.write('AT+CGMM\r');
    await first.waitFor('OK\r\n');
    expect(first.text()).toBe('AT+CGMM\r\r\nTSM-900\r\n\r\nOK\r\n');
    const closed = new Promise<void>((r) => first.socket.once('close', () => r()));
    const second = await connect(server.port);
    await closed;
    second.socket.write('AT\r');
    await second.waitFor('OK\r\n');
    expect(second.text()).toBe('AT\r\r\nOK\r\n');
    expect(server.connected).toBe(true);
  });

  it('TCP: dropClient() cuts the client (a device server losing its link) and keeps listening', async () => {
    const server = await TcpSerialServer.listen({ port: 0 });
    cleanups.push(() => server.closeAsync());
    new SimModem({ clock: systemClock }).connect(server);
    expect(server.dropClient()).toBe(false);
    const first = await connect(server.port);
    for (let i = 0; i < 100 && !server.connected; i++) await new Promise((r) => setTimeout(r, 10));
    const closed = new Promise<void>((r) => first.socket.once('close', () => r()));
    expect(server.dropClient()).toBe(true);
    await closed;
    expect(server.connected).toBe(false);
    const second = await connect(server.port);
    second.socket.write('AT\r');
    await second.waitFor('OK\r\n');
  });

  it('TCP: refuses a port that is taken with the bind error', async () => {
    const server = await TcpSerialServer.listen({ port: 0 });
    cleanups.push(() => server.closeAsync());
    await expect(TcpSerialServer.listen({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('pty via socat: bytes written to the pty reach the modem and back, and socat is gone after close', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-pty-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = await TcpSerialServer.listen({ port: 0 });
    cleanups.push(() => server.closeAsync());
    new SimModem({ clock: systemClock }).connect(server);
    const bridge = await PtyBridge.start({ path: path.join(dir, 'tty'), tcpPort: server.port });
    cleanups.push(() => bridge.close());
    // Non-blocking: the modem answers in this same process, so a blocking readSync before its answer reached the
    // pty blocked the event loop the answer needed, for ever (a CI run hung here on a loaded machine, 25 Nov).
    const fd = openSync(path.join(dir, 'tty'), constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    cleanups.push(() => closeSync(fd));
    writeSync(fd, 'ATE0\r');
    const buf = Buffer.alloc(256);
    let got = '';
    for (let i = 0; i < 250 && !got.includes('OK\r\n'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        got += buf.toString('latin1', 0, readSync(fd, buf));
      } catch {
        // EAGAIN: nothing yet
      }
    }
    expect(got).toBe('ATE0\r\r\nOK\r\n');
    const pid = bridge.pid as number;
    await bridge.close();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('pty via socat: a missing socat binary is a clear error', async () => {
    await expect(PtyBridge.start({ path: path.join(tmpdir(), 'never-made'), tcpPort: 1, socat: '/nonexistent/socat', startTimeoutMs: 2000 })).rejects.toThrow(
      /socat did not create the pty/,
    );
  });
});

describe('npm run sim -- modem', { timeout: 60_000 }, () => {
  it('parses its options and refuses bad ones with the usage', () => {
    expect(parseModemArgs(['--listen', 'tcp://127.0.0.1:7101', '--pty', '/tmp/m0', '--number', '+447700900009'])).toEqual({
      host: '127.0.0.1',
      port: 7101,
      ptyPath: '/tmp/m0',
      msisdn: '+447700900009',
      seed: 1,
    });
    expect(() => parseModemArgs(['--listen', '127.0.0.1:7101'])).toThrow(/usage: sim modem/);
    expect(() => parseModemArgs(['--bogus', '1'])).toThrow(/unknown option --bogus/);
    expect(() => parseModemArgs(['--listen'])).toThrow(/needs a value/);
  });

  it('runs a standalone modem a TCP client can talk to, and takes control lines on stdin', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'firmware-sim/main.ts', 'modem', '--listen', `tcp://127.0.0.1:${port}`], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    cleanups.push(async () => {
      child.kill('SIGTERM');
      await exited;
    });
    for (let i = 0; i < 300 && !out.includes('listening'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain(`modem +447700900001 listening on tcp://127.0.0.1:${port}`);
    const c = await connect(port);
    c.socket.write('ATE0\rAT+CNMI=2,2,0,0,0\r');
    await c.waitFor('OK\r\n\r\nOK\r\n');
    child.stdin.write('sms +447700900456 hello from stdin\n');
    await c.waitFor('+CMT: ,');
    expect(c.text()).toMatch(/\r\n\+CMT: ,\d+\r\n07914477581006500[0-9A-F]+\r\n$/);
    for (let i = 0; i < 100 && !out.includes('"sms-delivered"'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(out).toContain('"sms-delivered"');
  });

  it('exits 1 with a readable message when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const port = (blocker.address() as net.AddressInfo).port;
    const c = start(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../../firmware-sim/main.ts'), 'modem', '--listen', `tcp://127.0.0.1:${port}`]);
    expect(await c.exited).toBe(1);
    expect(c.output()).toMatch(/sim modem: .*EADDRINUSE/);
  });

  it('prints the usage for an unknown command', async () => {
    const c = start(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../../../firmware-sim/main.ts'), 'nonsense']);
    const code = await c.exited;
    expect(code).toBe(2);
    expect(c.output()).toMatch(/usage: npm run sim -- modem/);
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
