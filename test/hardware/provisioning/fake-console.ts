// A fake handset USB console over TCP for provisioning tests that need a handset misbehaving in ways the
// firmware-sim does not (a late answer): commands run one at a time in arrival order, like the firmware's;
// settings are kept and read back as written, the key accepted blindly, every self-test part passes; AT+TSCOMMIT sets "provisioned" after `commitMs`, AT+TSWIPE clears it.
import net from 'node:net';
import type { ProvisionRequest } from '../../../hardware/provisioning/provision.js';

/** A provisioning request for the fake console at `spec` (one handset, a victim record, no waits). */
export function fakeRequest(spec: string): ProvisionRequest {
  return {
    spec,
    keyFile: '/nonexistent/fleet-key.pem',
    settings: { gatewayNumber: '+441632960001', force: 'Met', testMode: false },
    registration: { number: '+447700900123', force: 'Met', victim: { name: 'Jane', safetyNotes: '', riskMarkers: [] }, testMode: false, replace: false },
    username: 'engineer',
    password: 'pw',
    allowFail: new Set(),
    buttonWaitMs: 0,
    verifyReportMs: 0,
  };
}

/** A serial fake console: provisioned flag, settings, AT+TSCOMMIT answered after `commitMs`. */
export async function fakeConsole(commitMs: number, identity: { id?: string; imei?: string } = {}) {
  const handset = { provisioned: false, connections: 0, commands: [] as string[] };
  const config = new Map<string, string>();
  const server = net.createServer((sock) => {
    handset.connections++;
    let buf = '';
    let queue: Promise<void> = Promise.resolve();
    sock.on('error', () => undefined);
    const answer = async (line: string): Promise<void> => {
      handset.commands.push(line.replace(/^(AT\+TS(?:AUTH|KEY)=).*/, '$1...'));
      if (line === 'AT+TSINFO?') sock.write(`\r\n+TSINFO: "${identity.id ?? 'TS-0042'}","1.0.0","${identity.imei ?? '356938035643809'}",${handset.provisioned ? 1 : 0}\r\n\r\nOK\r\n`);
      else if (line === 'AT+TSAUTH?') sock.write('\r\n+TSAUTH: "0123456789abcdef0123456789abcdef"\r\n\r\nOK\r\n');
      else if (line === 'AT+TSSELFTEST') sock.write(`${['flash', 'battery', 'button', 'modem', 'gps'].map((p) => `\r\n+TSSELFTEST: "${p}",1,"ok"`).join('')}\r\n\r\nOK\r\n`);
      else if (line === 'AT+TSCFG?') sock.write(`${[...config].map(([n, v]) => `\r\n+TSCFG: "${n}","${v}"`).join('')}\r\n\r\nOK\r\n`);
      else if (/^AT\+TSCFG=[a-z]+,".*"$/.test(line)) {
        const m = /^AT\+TSCFG=([a-z]+),"(.*)"$/.exec(line) as RegExpExecArray;
        config.set(m[1] as string, m[2] as string);
        sock.write('\r\nOK\r\n');
      } else if (line === 'AT+TSCOMMIT') {
        await new Promise((r) => setTimeout(r, commitMs));
        handset.provisioned = true;
        sock.write('\r\nOK\r\n');
      } else if (line === 'AT+TSWIPE') {
        handset.provisioned = false;
        sock.write('\r\nOK\r\n');
      } else sock.write('\r\nOK\r\n');
    };
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r'); i >= 0; i = buf.indexOf('\r')) {
        // ESC throws away what was typed before it, as the handset's console does (the engine's probe starts so).
        const line = buf.slice(0, i).replace(/^[^]*\x1b/, '').trim();
        buf = buf.slice(i + 1);
        if (line !== '') queue = queue.then(() => answer(line));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const spec = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return { handset, spec, close: () => new Promise<void>((r) => server.close(() => r())) };
}

