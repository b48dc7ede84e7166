// `tecsos selftest` against a device that streams GGA sentences as fast as the line goes, each differing from
// the one before (satellites 4, 5, 4, ...), without ever reporting a fix. Before, every change was a progress
// line: 1.5 million lines in 20 s over tcp://, each also kept for --json (about 300 MB after 20 s, growing for
// as long as --gps-wait allows, up to an hour). A receiver gives one GGA a second; the tool now shows a change
// at most once a second.
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { generateFleetKey } from '../../../hardware/provisioning/fleet-key.js';
import { runTecsos } from './in-process-cli.js';
import { tmpDir } from './rig.js';

const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

function gga(satellites: number): string {
  const body = `GPGGA,120000.00,5130.0420,N,00007.3080,W,0,${String(satellites).padStart(2, '0')},,,M,,M,,`;
  let sum = 0;
  for (const c of body) sum ^= c.charCodeAt(0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** A console that takes any signature and answers AT+TSGPS=1 with `count` GGAs at once, never a fix. */
async function ggaFloodConsole(count: number) {
  const burst = Buffer.from(Array.from({ length: count }, (_, i) => `\r\n${gga(i % 2 === 0 ? 4 : 5)}`).join(''));
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    let buf = '';
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r'); i >= 0; i = buf.indexOf('\r')) {
        const line = buf.slice(0, i).replace(/^[^]*\x1b/, '').trim();
        buf = buf.slice(i + 1);
        if (line === '') continue;
        if (line === 'AT+TSINFO?') sock.write('\r\n+TSINFO: "TS-0042","1.0.0","356938035643809",0\r\n\r\nOK\r\n');
        else if (line === 'AT+TSAUTH?') sock.write('\r\n+TSAUTH: "0123456789abcdef0123456789abcdef"\r\n\r\nOK\r\n');
        else if (line === 'AT+TSGPS=1') sock.write(Buffer.concat([Buffer.from('\r\nOK\r\n'), burst]));
        else sock.write('\r\nOK\r\n');
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

describe('a GPS stream that changes with every sentence', () => {
  it('tecsos selftest shows the GPS status at most once a second, however fast the sentences come', async () => {
    const dir = tmpDir();
    const keyFile = path.join(dir, 'fleet-key.pem');
    const key = await generateFleetKey(keyFile);
    if (!key.ok) throw new Error(key.message);
    const spec = await ggaFloodConsole(5000);
    const { code, stdout, stderr } = await runTecsos(['selftest', '--port', spec, '--key-file', keyFile, '--gps-wait', '2', '--button-wait', '0'], dir);
    // The stub reports no self-test parts: every part fails as not reported (exit 7), after the GPS watch.
    expect(code, stderr).toBe(ExitCode.VERIFICATION_FAILED);
    const notes = stdout.split('\n').filter((l) => /^\[ {2}\] gps: no fix/.test(l));
    expect(notes.length).toBeGreaterThan(0);
    // 2 s of watching: at most one line a second (and the first), not one per sentence (5,000 before).
    expect(notes.length).toBeLessThanOrEqual(4);
  });
});
