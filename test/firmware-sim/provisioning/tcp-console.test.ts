// The console over a real TCP socket, as the engineer's tool (issue 7) reaches it.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serveConsoleOverTcp } from '../../../firmware-sim/provisioning/tcp-console.js';
import type { TcpSerialServer } from '../../../firmware-sim/transport/tcp-serial-server.js';
import { HANDSET_ID, setup, signChallenge } from './harness.js';

let server: TcpSerialServer | undefined;
afterEach(async () => {
  await server?.closeAsync();
  server = undefined;
});

/** A line-oriented client: send a command, wait for its final OK / ERROR / +CME ERROR. */
async function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let buffer = '';
  socket.on('data', (b: Buffer) => (buffer += b.toString('latin1')));
  async function send(line: string): Promise<string> {
    buffer = '';
    socket.write(line + '\r');
    for (let i = 0; i < 200 && !/\r\n(OK|ERROR|\+CME ERROR: \d+)\r\n$/.test(buffer); i++) await new Promise((r) => setTimeout(r, 10));
    return buffer;
  }
  return { socket, send };
}

describe('provisioning console over TCP', () => {
  it('answers over a socket; a new connection loses the previous session and its staging', async () => {
    const h = setup();
    server = await serveConsoleOverTcp(h.usb, 0);
    const a = await connect(server.port);
    expect(await a.send('AT+TSINFO?')).toContain('+TSINFO: "TS-0001","1.0.0","356938035643809",0');
    const nonce = /"([0-9a-f]{32})"/.exec(await a.send('AT+TSAUTH?'))?.[1] as string;
    expect(await a.send(`AT+TSAUTH=${signChallenge(h.fleet.privateKey, HANDSET_ID, nonce)}`)).toBe('\r\nOK\r\n');
    expect(await a.send('AT+TSCFG=gateway,+447700900001')).toBe('\r\nOK\r\n');
    const b = await connect(server.port);
    await new Promise((r) => setTimeout(r, 50));
    expect(await b.send('AT+TSCFG?')).toMatch(/\+CME ERROR: 3\r\n$/);
    expect(h.target.sessions).toEqual(['authenticated', 'closed']);
    a.socket.destroy();
    b.socket.destroy();
  });

  it("a command of the previous connection still running is not answered to the next one (tecsos info after a killed provision)", async () => {
    // The tool killed during AT+TSSELFTEST (which waits up to 60 s for a fix): the next client's AT+TSINFO?
    // was answered with the self-test's lines and OK, and `tecsos info` said "no +TSINFO: line in the answer,
    // check that it is a TecSOS handset".
    const h = setup();
    let finishSelfTest: (() => void) | undefined;
    h.target.selfTest = () => new Promise((resolve) => (finishSelfTest = () => resolve([{ name: 'flash', ok: true, detail: 'crc ok' }])));
    server = await serveConsoleOverTcp(h.usb, 0);
    const a = await connect(server.port);
    const nonce = /"([0-9a-f]{32})"/.exec(await a.send('AT+TSAUTH?'))?.[1] as string;
    expect(await a.send(`AT+TSAUTH=${signChallenge(h.fleet.privateKey, HANDSET_ID, nonce)}`)).toBe('\r\nOK\r\n');
    a.socket.write('AT+TSSELFTEST\r');
    for (let i = 0; i < 200 && finishSelfTest === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    a.socket.destroy();
    const b = await connect(server.port);
    await new Promise((r) => setTimeout(r, 50));
    const answer = b.send('AT+TSINFO?');
    await new Promise((r) => setTimeout(r, 50));
    finishSelfTest?.();
    expect(await answer).toBe('\r\n+TSINFO: "TS-0001","1.0.0","356938035643809",0\r\n\r\nOK\r\n');
    b.socket.destroy();
  });

  it("the next connection is answered at once, not after the previous connection's self-test", async () => {
    // `tecsos info` right after a killed `tecsos provision` waited behind the old connection's AT+TSSELFTEST
    // (up to 60 s for a fix): longer than the tool's 5 s, so it said "no answer from the handset" about a handset
    // that was fine. The self-test here never finishes unless told.
    const h = setup();
    let finishSelfTest: (() => void) | undefined;
    h.target.selfTest = () => new Promise((resolve) => (finishSelfTest = () => resolve([{ name: 'flash', ok: true, detail: 'crc ok' }])));
    server = await serveConsoleOverTcp(h.usb, 0);
    const a = await connect(server.port);
    const nonce = /"([0-9a-f]{32})"/.exec(await a.send('AT+TSAUTH?'))?.[1] as string;
    expect(await a.send(`AT+TSAUTH=${signChallenge(h.fleet.privateKey, HANDSET_ID, nonce)}`)).toBe('\r\nOK\r\n');
    a.socket.write('AT+TSSELFTEST\r');
    for (let i = 0; i < 200 && finishSelfTest === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    a.socket.destroy();
    const b = await connect(server.port);
    // send() gives up after about 2 s: the self-test is still running throughout.
    expect(await b.send('AT+TSINFO?')).toBe('\r\n+TSINFO: "TS-0001","1.0.0","356938035643809",0\r\n\r\nOK\r\n');
    expect(await b.send('AT+TSAUTH?')).toMatch(/^\r\n\+TSAUTH: "[0-9a-f]{32}"\r\n\r\nOK\r\n$/);
    finishSelfTest?.();
    await new Promise((r) => setTimeout(r, 50));
    expect(await b.send('AT+TSINFO?')).toBe('\r\n+TSINFO: "TS-0001","1.0.0","356938035643809",0\r\n\r\nOK\r\n');
    b.socket.destroy();
  });

  it('the client going ends the session: no GPS stream left on, the handset no longer shows provisioning', async () => {
    // `tecsos gps-watch` killed (or the tool done and gone): the session stayed authenticated and AT+TSGPS=1
    // kept the GPS powered, draining the battery, until some other client connected, maybe never.
    const h = setup();
    server = await serveConsoleOverTcp(h.usb, 0);
    const a = await connect(server.port);
    const nonce = /"([0-9a-f]{32})"/.exec(await a.send('AT+TSAUTH?'))?.[1] as string;
    expect(await a.send(`AT+TSAUTH=${signChallenge(h.fleet.privateKey, HANDSET_ID, nonce)}`)).toBe('\r\nOK\r\n');
    expect(await a.send('AT+TSGPS=1')).toBe('\r\nOK\r\n');
    h.clock.advance(0);
    expect(h.target.gpsListeners.size).toBe(1);
    a.socket.destroy();
    for (let i = 0; i < 200 && h.target.gpsListeners.size > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(h.target.gpsListeners.size).toBe(0);
    expect(h.target.sessions).toEqual(['authenticated', 'closed']);
    expect(h.usb.authenticated).toBe(false);
    // The next client starts as any other.
    const b = await connect(server.port);
    expect(await b.send('AT+TSINFO?')).toContain('+TSINFO: "TS-0001"');
    expect(await b.send('AT+TSGPS=1')).toMatch(/\+CME ERROR: 3\r\n$/);
    b.socket.destroy();
  });
});
