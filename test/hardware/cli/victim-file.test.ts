// --victim FILE is read whole. A device, a pipe or a huge file given by mistake was read until EOF: a FIFO
// with no writer hung the tool, /dev/zero grew it to 2 GiB. Only a regular file of a victim record's size is read.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import type { CliIo } from '../../../hardware/cli/io.js';
import { runCli } from '../../../hardware/cli/main.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function provisionWithVictim(file: string): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (t) => void (stderr += t),
    env: { TECSOS_PASSWORD: 'pw' },
    openPort: () => Promise.reject(new Error('the port must not be opened')),
    fetch: globalThis.fetch,
    randomBytes: (n) => new Uint8Array(n),
    sleep: async () => undefined,
    now: () => Date.now(),
    home: dir,
  };
  const args = ['provision', '--port', 'tcp://127.0.0.1:1', '--gateway', 'http://gw.test', '--force', 'Met', '--number', '+447700900123', '--gateway-number', '+441632960001', '--victim', file];
  return { code: await runCli(args, io), stderr };
}

describe('provision --victim FILE', () => {
  it('a FIFO (or any non-regular file) is a usage error, not a hang', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-vf-'));
    const fifo = path.join(dir, 'victim.json');
    execFileSync('mkfifo', [fifo]);
    const r = await provisionWithVictim(fifo);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/not a regular file/);
  });

  it('a file far larger than any victim record is refused before it is read', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-vf-'));
    const big = path.join(dir, 'victim.json');
    writeFileSync(big, JSON.stringify({ name: 'Jane', safetyNotes: 'x'.repeat(200_000), riskMarkers: [] }));
    const r = await provisionWithVictim(big);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/bytes; a victim record is at most/);
  });

  it('a victim file that is not JSON is a usage error that does not quote the record', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-vf-'));
    const bad = path.join(dir, 'victim.json');
    writeFileSync(bad, `{"name": "Jane Doe", "safetyNotes": 'Abuser has keys to the flat', "riskMarkers": []}`);
    const r = await provisionWithVictim(bad);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/not valid JSON/);
    expect(r.stderr).not.toMatch(/Abuser|Jane|safetyNotes/);
  });

  it('an ordinary victim file is still read (the failure is then the next check: the key file)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-vf-'));
    const ok = path.join(dir, 'victim.json');
    writeFileSync(ok, JSON.stringify({ name: 'Jane', safetyNotes: 'Abuser has keys.', riskMarkers: ['weapons'] }));
    const r = await provisionWithVictim(ok);
    expect(r.code).toBe(ExitCode.KEY_FILE);
    expect(r.stderr).toMatch(/fleet key/);
  });

  it('a file saved with a byte order mark (Notepad) is read like one without', async () => {
    // It was refused as "not valid JSON: Unexpected token ''", the token being the invisible BOM.
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-vf-'));
    const file = path.join(dir, 'victim.json');
    writeFileSync(file, '\uFEFF{"name":"Jane Doe","safetyNotes":"","riskMarkers":[]}', { mode: 0o600 });
    const r = await provisionWithVictim(file);
    expect(r.stderr).not.toMatch(/victim/);
    // Past the victim record: the next check is the fleet key file, which this test does not have.
    expect(r.code, r.stderr).toBe(ExitCode.KEY_FILE);
  });
});

describe('provision --victim FILE: text encodings Windows editors save', () => {
  it('a file in Windows-1252 ("ANSI") is refused naming UTF-8, not read with the name mangled', async () => {
    // "Zoë" saved as ANSI is the byte EB, not UTF-8: it was read as "Zo\uFFFD" without a word, and the console
    // would have shown the victim's name as "Zo�".
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-vf-'));
    const file = path.join(dir, 'victim.json');
    writeFileSync(file, Buffer.from('{"name":"Zo\xeb Smith","safetyNotes":"","riskMarkers":[]}', 'latin1'), { mode: 0o600 });
    const r = await provisionWithVictim(file);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toMatch(/is not UTF-8 text.*save it as UTF-8/);
    expect(r.stderr).not.toMatch(/Zo/);
  });

  it('a file saved as UTF-16 with its byte order mark (Notepad "Unicode") is read', async () => {
    // It was refused as "not valid JSON: Unexpected token '\uFFFD'".
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-vf-'));
    const json = '{"name":"Zoë Smith","safetyNotes":"","riskMarkers":[]}';
    for (const [name, bytes] of [
      ['le.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])],
      ['be.json', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()])],
    ] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, bytes, { mode: 0o600 });
      const r = await provisionWithVictim(file);
      expect(r.stderr).not.toMatch(/victim/);
      expect(r.code, r.stderr).toBe(ExitCode.KEY_FILE);
    }
  });
});
