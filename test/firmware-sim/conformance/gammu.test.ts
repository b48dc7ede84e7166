// gammu 1.42 (Debian package `gammu`, installed by scripts/system-deps.sh) drives the standalone simulated
// modem over a socat pty, exactly as it would a USB modem.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStandaloneModem, type StandaloneModem } from '../../../firmware-sim/cli/standalone-modem.js';
import type { VirtualPhone } from '../../../firmware-sim/network/index.js';
import type { TranscriptEntry } from '../../../firmware-sim/modem/index.js';
import { killAll, run, start } from './child.js';

let dir: string;
let sm: StandaloneModem;
let peer: VirtualPhone;
let rc: string;
const transcript: TranscriptEntry[] = [];

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tecsos-gammu-'));
  sm = await startStandaloneModem({ port: 0, ptyPath: path.join(dir, 'modem') });
  peer = sm.phone('+447700900456');
  transcript.length = 0;
  sm.modem.onTranscript((e) => transcript.push(e));
  rc = path.join(dir, 'gammurc');
  writeFileSync(rc, `[gammu]\ndevice = ${path.join(dir, 'modem')}\nconnection = at\n`);
});

afterEach(async () => {
  await killAll();
  await sm.close();
  rmSync(dir, { recursive: true, force: true });
});

const commands = (): string[] => transcript.filter((e) => e.kind === 'command').map((e) => e.text);

describe('gammu against the simulated modem', { timeout: 90_000 }, () => {
  it('gammu identify prints our manufacturer, model, IMEI and IMSI', async () => {
    const { code, output } = await run('gammu', ['-c', rc, 'identify'], 30_000);
    expect(output).toMatch(/Manufacturer\s+: TecSOS Sim/);
    expect(output).toMatch(/Model\s+: .*TSM-900/);
    expect(output).toMatch(/IMEI\s+: 356938035643809/);
    expect(output).toMatch(/SIM IMSI\s+: 234150000000001/);
    expect(code).toBe(0);
    expect(commands()).toContain('ATE1');
  });

  it('gammu sendsms succeeds and the network carries the text to the number', async () => {
    const { code, output } = await run('gammu', ['-c', rc, 'sendsms', 'TEXT', '+447700900456', '-text', 'Help at 12 Acacia Ave'], 30_000);
    expect(output).toMatch(/OK, message reference=1/);
    expect(code).toBe(0);
    expect(peer.received.map((s) => [s.from, s.content.text])).toEqual([['+447700900001', 'Help at 12 Acacia Ave']]);
    expect(commands().some((c) => /^AT\+CMGS=\d+$/.test(c))).toBe(true);
  });

  it('gammu getallsms lists a message delivered to the modem', async () => {
    expect(sm.control('sms +447700900456 TSR1;h=H1;n=7;e=ALM')).toBe('ok');
    await new Promise((r) => setTimeout(r, 50));
    const { code, output } = await run('gammu', ['-c', rc, 'getallsms'], 30_000);
    expect(output).toContain('TSR1;h=H1;n=7;e=ALM');
    expect(output).toMatch(/Remote number\s+: "\+447700900456"/);
    expect(output).toMatch(/1 SMS parts in 1 SMS sequences/);
    expect(code).toBe(0);
    expect(commands()).toContain('AT+CMGL=4');
  });

  it('gammu monitor sees an incoming call (with the caller number), an incoming SMS and the hang-up', async () => {
    const monitor = start('gammu', ['-c', rc, 'monitor']);
    // After its set-up (AT+CNMI, AT+CLIP=1, AT+CRC=1) gammu polls status in a loop.
    await monitor.waitFor(/Phone SMS status/, 30_000);
    expect(sm.control('call +447700900456')).toMatch(/^ok call/);
    await monitor.waitFor(/incoming call from "\+447700900456"/, 20_000);
    expect(sm.control('sms +447700900456 Are you safe?')).toBe('ok');
    await monitor.waitFor(/SMS message received/, 20_000);
    expect(sm.control('hangup')).toBe('ok');
    await monitor.waitFor(/call end from remote side/, 20_000);
    await monitor.kill();
    expect(commands()).toEqual(expect.arrayContaining(['AT+CLIP=1', 'AT+CRC=1']));
    expect(transcript.some((e) => e.kind === 'urc' && e.text.includes('+CLIP: "+447700900456",145,,,,0'))).toBe(true);
  });
});
