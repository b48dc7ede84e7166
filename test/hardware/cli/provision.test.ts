// tecsos provision against a real simulated handset's USB console over TCP and the real gateway: the whole
// procedure, then a real alarm whose reports the gateway accepts with the registered key.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { eventually, HANDSET_ID, HANDSET_NUMBER, IMEI, LINE, makeRig, REPORT_KEY_HEX } from './rig.js';

const NEW_KEY = new Uint8Array(32).map((_, i) => 0x5c ^ (i * 3));

describe('tecsos provision', () => {
  it('provisions, registers, verifies with a test report; then a real alarm is accepted by the gateway', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const r = await rig.cli([...rig.provisionArgs(), '--set', 'hold=500', '--json']);
    expect(r.code, JSON.stringify(r.json)).toBe(ExitCode.OK);
    expect(r.json).toMatchObject({ command: 'provision', ok: true, exitCode: 0, reportVerified: true, handset: { id: HANDSET_ID, imei: IMEI, provisioned: true } });
    const steps = (r.json?.['progress'] as { step: string; status: string }[]).filter((p) => p.status === 'done').map((p) => p.step);
    expect(steps).toEqual(['identify', 'gateway', 'authenticate', 'key', 'config', 'write-key', 'commit', 'read-back', 'self-test', 'register', 'verify-report']);

    // The handset committed what was asked.
    const c = rig.handset.firmware.config;
    expect(c).toMatchObject({ gatewayNumber: LINE, intervalS: 20, force: 'Metropolitan Police', testMode: false, emergencyNumber: '999', holdMs: 500 });
    // The gateway registered it with the generated key, and accepted the TST signed with it.
    const all = await rig.events();
    const reg = all.find((e) => e['type'] === 'handset.registered');
    expect(reg).toMatchObject({ handsetId: HANDSET_ID, number: HANDSET_NUMBER, imei: IMEI, keyHex: REPORT_KEY_HEX, force: 'Metropolitan Police', by: 'engineer' });
    expect(all.some((e) => e['type'] === 'report.accepted' && e['event'] === 'TST' && e['handsetId'] === HANDSET_ID)).toBe(true);

    // A real alarm: hold the button (0.8 s, over the 500 ms configured); the ALM report is accepted (MAC
    // verified with the registered key).
    rig.handset.button.hold(800);
    await eventually(async () => (await rig.events()).some((e) => e['type'] === 'report.accepted' && e['event'] === 'ALM'), 'the ALM report at the gateway');
    await eventually(async () => (await rig.events()).some((e) => e['type'] === 'call.ringing' && e['priority'] === 'tecsos'), 'the TecSOS call');
    expect((await rig.events()).filter((e) => e['type'] === 'report.rejected')).toEqual([]);

    // Nothing the tool printed, and nothing the console sent, carries the key.
    expect(r.stdout + r.stderr).not.toContain(REPORT_KEY_HEX);
    expect(rig.consoleOutput().toLowerCase()).not.toContain(REPORT_KEY_HEX);
  }, 60_000);

  it('human output shows every step; a provisioned handset is refused without --replace and re-provisioned with it', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const first = await rig.cli(rig.provisionArgs());
    expect(first.code, first.stderr).toBe(ExitCode.OK);
    expect(first.stdout).toMatch(/\[ok\] identify: TS-0042, firmware 1\.0\.0, IMEI 356938035643809, not provisioned/);
    expect(first.stdout).toMatch(/\[ok\] commit/);
    expect(first.stdout).toMatch(/\[ {2}\] self-test: gps: pass \(fix, \d+ satellites, HDOP/);
    expect(first.stdout).toMatch(/TS-0042 provisioned and registered, test report accepted by the gateway/);

    const again = await rig.cli(rig.provisionArgs());
    expect(again.code).toBe(ExitCode.HANDSET);
    expect(again.stderr).toMatch(/provisioned already/);
    expect(again.stderr).toMatch(/--replace/);

    // --replace: a new key on the handset and in the registration, in test mode; its test report verifies.
    rig.pressButton();
    const replaced = await rig.cli([...rig.provisionArgs(), '--replace', '--test-mode', '--json'], {}, { randomKey: NEW_KEY });
    expect(replaced.code, JSON.stringify(replaced.json?.['failure'])).toBe(ExitCode.OK);
    expect(replaced.json).toMatchObject({ reportVerified: true });
    const regs = (await rig.events()).filter((e) => e['type'] === 'handset.registered');
    expect(regs.map((e) => [e['keyHex'], e['testMode']])).toEqual([[REPORT_KEY_HEX, false], [Buffer.from(NEW_KEY).toString('hex'), true]]);
    expect(rig.handset.firmware.config.testMode).toBe(true);
  }, 60_000);

  it('--replace without --emergency/--interval writes 999 and 30 (the issue\'s defaults), not what the last provisioning left', async () => {
    // A handset provisioned on the bench with a test line as its emergency number, then re-provisioned for a
    // victim with --replace and no --emergency: it kept dialling the test line.
    const rig = await makeRig();
    const base = rig.provisionArgs().filter((a, i, all) => a !== '--interval' && all[i - 1] !== '--interval');
    rig.pressButton();
    const bench = await rig.cli([...base, '--emergency', '01632960999', '--interval', '60', '--verify-wait', '0']);
    expect(bench.code, bench.stderr).toBe(ExitCode.OK);
    expect(rig.handset.firmware.config).toMatchObject({ emergencyNumber: '01632960999', intervalS: 60 });
    // Every check passes with a number that is not 999/112 (a test line, or a typo such as 9999): said twice.
    expect(bench.stderr.match(/WARNING: --emergency 01632960999 is not an emergency number \(999 or 112\): this handset's alarm calls will dial 01632960999/g)).toHaveLength(2);
    rig.pressButton();
    const issued = await rig.cli([...base, '--replace', '--verify-wait', '0']);
    expect(issued.code, issued.stderr).toBe(ExitCode.OK);
    expect(issued.stderr).not.toMatch(/WARNING/);
    expect(rig.handset.firmware.config).toMatchObject({ emergencyNumber: '999', intervalS: 30 });
  }, 60_000);

  it('a failed self-test wipes the handset again: never left half-provisioned', async () => {
    const rig = await makeRig();
    // No button press, and no time to press it.
    const r = await rig.cli([...rig.provisionArgs(), '--button-wait', '0', '--json']);
    expect(r.code).toBe(ExitCode.VERIFICATION_FAILED);
    expect(r.json?.['failure']).toMatchObject({ kind: 'verification', handsetState: 'unprovisioned' });
    expect(String((r.json?.['failure'] as { message: string }).message)).toMatch(/button/);
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    expect((await rig.events()).some((e) => e['type'] === 'handset.registered')).toBe(false);
    const info = await rig.cli(['info', '--port', rig.spec, '--json']);
    expect(info.json?.['handset']).toMatchObject({ provisioned: false });
  }, 60_000);

  it('waits for the button press when that is all the self-test misses', async () => {
    const rig = await makeRig();
    // The engineer presses when asked (the console answers the repeated self-test meanwhile).
    const run = rig.cli([...rig.provisionArgs(), '--verify-wait', '0'], {}, { onStdout: (t) => t.includes('press the handset') && rig.pressButton() });
    const r = await run;
    expect(r.code, r.stderr).toBe(ExitCode.OK);
    expect(r.stdout).toMatch(/press the handset's button once now/);
    expect(r.stdout).toMatch(/test report not checked/);
  }, 60_000);

  it('a gateway that refuses the registration: the handset is wiped and the tool says what to do', async () => {
    const rig = await makeRig();
    rig.pressButton();
    // The number belongs to nobody yet, but the gateway refuses the engineer's login (wrong password):
    // caught before anything is written.
    const wrong = await rig.cli(rig.provisionArgs(), { TECSOS_PASSWORD: 'not-the-password' });
    expect(wrong.code).toBe(ExitCode.GATEWAY);
    expect(wrong.stderr).toMatch(/nothing was written to the handset/);
    expect(rig.handset.firmware.info().provisioned).toBe(false);

    // The registration itself fails after the commit (the gateway goes away mid-way): wiped.
    const fetchOnce = globalThis.fetch;
    let posts = 0;
    const failingFetch: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && String(input).endsWith('/api/handsets')) {
        posts++;
        return new Response(JSON.stringify({ error: 'unavailable', message: 'store down' }), { status: 503, headers: { 'content-type': 'application/json' } });
      }
      return fetchOnce(input, init);
    };
    const orig = globalThis.fetch;
    globalThis.fetch = failingFetch;
    try {
      const r = await rig.cli([...rig.provisionArgs(), '--json']);
      expect(posts).toBe(1);
      expect(r.code).toBe(ExitCode.GATEWAY);
      expect(r.json?.['failure']).toMatchObject({ kind: 'gateway', handsetState: 'unprovisioned' });
      expect(String((r.json?.['failure'] as { next: string }).next)).toMatch(/wiped/);
    } finally {
      globalThis.fetch = orig;
    }
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    expect(rig.handset.firmware.config.gatewayNumber).toBe('');
  }, 60_000);
});
