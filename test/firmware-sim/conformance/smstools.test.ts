// smstools 3.1.21 (Debian package `smstools`, /usr/sbin/smsd) sends and receives through the standalone
// simulated modem over a socat pty: it chains commands (AT+CMEE=1;+CREG=2), needs +CREG status 1 or 5,
// and polls the storage (AT+CPMS?, AT+CMGR) instead of acting on +CMTI.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandaloneModem, type StandaloneModem } from '../../../firmware-sim/cli/standalone-modem.js';
import type { VirtualPhone } from '../../../firmware-sim/network/index.js';
import type { TranscriptEntry } from '../../../firmware-sim/modem/index.js';
import { killAll, start, type Child } from './child.js';

const SMSD = existsSync('/usr/sbin/smsd') ? '/usr/sbin/smsd' : 'smsd';

let dir: string;
let sm: StandaloneModem;
let peer: VirtualPhone;
const transcript: TranscriptEntry[] = [];

function spool(name: string): string {
  return path.join(dir, name);
}

function startSmsd(): Child {
  for (const d of ['outgoing', 'checked', 'failed', 'incoming', 'sent']) mkdirSync(spool(d), { recursive: true });
  const conf = spool('smsd.conf');
  writeFileSync(
    conf,
    [
      'devices = GSM1',
      ...['outgoing', 'checked', 'failed', 'incoming', 'sent'].map((d) => `${d} = ${spool(d)}`),
      `logfile = ${spool('smsd.log')}`,
      `infofile = ${spool('smsd.working')}`,
      `pidfile = ${spool('smsd.pid')}`,
      'loglevel = 7',
      'delaytime = 1',
      'delaytime_mainprocess = 1',
      '',
      '[GSM1]',
      `device = ${spool('modem')}`,
      'incoming = yes',
      'baudrate = 115200',
      '',
    ].join('\n'),
  );
  return start(SMSD, ['-t', `-c${conf}`]);
}

/** Polls until `check` returns something (every 100 ms, at most `timeoutMs`). */
async function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) {
      const log = existsSync(spool('smsd.log')) ? readFileSync(spool('smsd.log'), 'utf8').slice(-3000) : '(no log)';
      throw new Error(`timed out waiting for ${what}; smsd log tail:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tecsos-smsd-'));
  sm = await startStandaloneModem({ port: 0, ptyPath: spool('modem') });
  peer = sm.phone('+447700900456');
  transcript.length = 0;
  sm.modem.onTranscript((e) => transcript.push(e));
});

afterEach(async () => {
  await killAll();
  await sm.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('smstools smsd against the simulated modem', { timeout: 90_000 }, () => {
  it('sends a spooled message: it lands in sent/ and the network delivers the text', async () => {
    const smsd = startSmsd();
    writeFileSync(spool('outgoing/alarm'), 'To: 447700900456\n\nTecSOS test message\n');
    await until(() => (readdirSync(spool('sent')).includes('alarm') ? true : undefined), 45_000, 'the message in sent/');
    expect(readdirSync(spool('failed'))).toEqual([]);
    expect(peer.received.map((s) => [s.from, s.to, s.content.text])).toEqual([
      ['+447700900001', '+447700900456', 'TecSOS test message'],
    ]);
    const commands = transcript.filter((e) => e.kind === 'command').map((e) => e.text);
    expect(commands).toEqual(expect.arrayContaining(['AT+CMEE=1;+CREG=2', 'AT+CREG?', 'AT+CMGF=0']));
    expect(transcript.some((e) => e.kind === 'response' && /^\r\n\+CMGS: 1\r\n\r\nOK\r\n$/.test(e.text))).toBe(true);
    await smsd.kill();
  });

  it('receives a message delivered to the modem into incoming/ and deletes it from the SIM', async () => {
    expect(sm.control('sms +447700900456 Are you safe? Reply 1')).toBe('ok');
    const smsd = startSmsd();
    // smsd writes a temporary file in incoming/ and renames it when complete: a name seen in one listing may be
    // gone by the next read, so list and read together and retry until a complete message is there.
    const content = await until(() => {
      for (const f of readdirSync(spool('incoming'))) {
        let c: string;
        try {
          c = readFileSync(path.join(spool('incoming'), f), 'utf8');
        } catch {
          continue;
        }
        if (c.includes('Are you safe?')) return c;
      }
      return undefined;
    }, 45_000, 'a complete message in incoming/');
    expect(content).toMatch(/^From: 447700900456$/m);
    expect(content).toContain('Are you safe? Reply 1');
    await until(() => (sm.modem.storage('SM').used === 0 ? true : undefined), 20_000, 'AT+CMGD of the message');
    await smsd.kill();
  });
});
