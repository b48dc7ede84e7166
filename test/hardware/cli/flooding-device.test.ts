// A device on the engineer's port that answers AT+TSINFO? with an endless stream of +TSINFO: lines (a broken
// handset, a serial device server looping its buffer, or a hostile device on the bench). Before, the tool kept
// every line until the answer's 60 s limit: `tecsos info` over tcp:// grew past 1.5 GB and could die out of
// memory with V8's trace instead of an error. Now more than 1 MiB without the answer's end fails the command
// at once as an unexpected answer (exit 9), and the tool's memory stays bounded.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { runTecsos } from './in-process-cli.js';

const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

/** A console that answers its first command line with `total` bytes of +TSINFO: lines, then nothing. */
async function floodingConsole(total: number) {
  const sent = { bytes: 0 };
  const line = Buffer.from('\r\n+TSINFO: "TS-0042","1.0.0","356938035643809",0'.repeat(1000));
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    sock.once('data', () => {
      const pump = (): void => {
        while (sent.bytes < total && !sock.destroyed) {
          sent.bytes += line.length;
          if (!sock.write(line)) return void sock.once('drain', pump);
        }
      };
      pump();
    });
  });
  servers.push(server);
  server.unref();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { spec: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, sent };
}

describe('a device that floods the console', () => {
  it('tecsos info stops reading after 1 MiB and says the answer is not a handset', async () => {
    // 16 MiB, then silence: before, all of it was kept and the command failed as "no answer" after the silence.
    const dev = await floodingConsole(16 * 1024 * 1024);
    const r = await runTecsos(['info', '--port', dev.spec]);
    expect(r.code, r.stderr).toBe(ExitCode.HANDSET);
    expect(r.stderr).toMatch(/unexpected answer from the handset: AT\+TSINFO\?: more than 1048576 bytes .* not a handset answering/);
    expect(r.stdout).not.toMatch(/\[ok\] identify/);
  });
});
