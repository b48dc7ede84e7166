// What an abuser with the handset (or a careless bench) must not achieve: a wrong fleet key is refused and,
// after three tries, the console locks and a TMP report reaches the gateway; an unprotected key file is not
// used; pulling the cable mid-provisioning leaves the handset consistent.
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { generateFleetKey } from '../../../hardware/provisioning/fleet-key.js';
import { cutProxy } from './cut-proxy.js';
import { eventually, HANDSET_ID, makeRig } from './rig.js';

describe('tecsos against a hostile or broken bench', () => {
  it('a wrong fleet key is refused; the third try locks the handset and its TMP report reaches the gateway', async () => {
    const rig = await makeRig();
    rig.pressButton();
    expect((await rig.cli(rig.provisionArgs())).code).toBe(ExitCode.OK);

    const wrong = path.join(rig.dir, 'wrong.pem');
    expect((await generateFleetKey(wrong)).ok).toBe(true);
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push(await rig.cli(['wipe', '--port', rig.spec, '--key-file', wrong, '--json']));
    expect(tries.map((t) => t.code)).toEqual([ExitCode.AUTH_REFUSED, ExitCode.AUTH_REFUSED, ExitCode.LOCKED]);
    expect(tries[0]?.json?.['failure']).toMatchObject({ kind: 'auth-refused' });
    expect(String((tries[0]?.json?.['failure'] as { message: string }).message)).toMatch(/1 of 3/);
    expect(String((tries[2]?.json?.['failure'] as { message: string }).message)).toMatch(/locked.*\d+ s left/);

    // Locked: even the right key is turned away; AT+TSINFO? still answers; nothing was wiped.
    const right = await rig.cli(['wipe', '--port', rig.spec, '--json']);
    expect(right.code).toBe(ExitCode.LOCKED);
    const info = await rig.cli(['info', '--port', rig.spec, '--json']);
    expect(info.code).toBe(ExitCode.OK);
    expect(info.json?.['handset']).toMatchObject({ id: HANDSET_ID, provisioned: true });
    // ... and says it is locked: a provisioned handset's tamper report stays at the gateway until --replace.
    expect(info.json?.['lock']).toMatchObject({ locked: true, next: expect.stringMatching(/tamper problem .* tecsos provision --replace/) as unknown });
    const human = await rig.cli(['info', '--port', rig.spec]);
    expect(human.stdout).toMatch(/, provisioned, LOCKED for \d+ min \d+ s more/);
    expect(rig.handset.firmware.state).toBe('locked-out');

    await eventually(async () => (await rig.events()).some((e) => e['type'] === 'report.accepted' && e['event'] === 'TMP' && e['handsetId'] === HANDSET_ID), 'the TMP report at the gateway');
    await eventually(async () => (await rig.events()).some((e) => e['type'] === 'handset.health' && e['problem'] === 'tamper'), 'a tamper health event');
  }, 60_000);

  it('a group- or world-readable key file is refused before the handset is touched', async () => {
    const rig = await makeRig({ gateway: false });
    chmodSync(rig.keyFile, 0o640);
    const r = await rig.cli(['wipe', '--port', rig.spec]);
    expect(r.code).toBe(ExitCode.KEY_FILE);
    expect(r.stderr).toMatch(/permissions 0640 .* too open/);
    expect(r.stderr).toContain(`chmod 600 ${rig.keyFile}`);
    chmodSync(rig.keyFile, 0o604);
    expect((await rig.cli(['selftest', '--port', rig.spec])).code).toBe(ExitCode.KEY_FILE);
    expect(rig.handset.firmware.authFailures()).toMatchObject({ badSignatures: 0 });
    const missing = await rig.cli(['wipe', '--port', rig.spec, '--key-file', path.join(rig.dir, 'nope.pem')]);
    expect(missing.code).toBe(ExitCode.KEY_FILE);
    expect(missing.stderr).toMatch(/cannot read the fleet key/);
  }, 30_000);

  it('pulling the cable between AT+TSKEY and AT+TSCOMMIT leaves the handset unprovisioned; running again finishes', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const proxy = await cutProxy(rig.server.port, 'AT+TSCOMMIT');
    const r = await rig.cli([...rig.provisionArgs(proxy.spec), '--json']);
    expect(proxy.cuts()).toBe(1);
    // The tool reconnected (the proxy lets later connections through) and found nothing committed.
    expect(r.code).toBe(ExitCode.PORT);
    expect(r.json?.['failure']).toMatchObject({ kind: 'port', handsetState: 'unchanged' });
    expect(String((r.json?.['failure'] as { next: string }).next)).toMatch(/nothing was written/);
    const done = (r.json?.['progress'] as { step: string; status: string }[]).filter((p) => p.status === 'done').map((p) => p.step);
    expect(done).toContain('write-key');
    expect(done).not.toContain('commit');

    // Consistent: nothing of the staging reached flash, no key, no gateway number, not registered. (Over TCP
    // the console learns of the pulled cable when the next host connects; its staging never reaches flash.)
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    expect(rig.handset.firmware.hasKey()).toBe(false);
    expect(rig.handset.firmware.config.gatewayNumber).toBe('');
    expect((await rig.events()).some((e) => e['type'] === 'handset.registered')).toBe(false);
    const info = await rig.cli(['info', '--port', rig.spec, '--json']);
    expect(info.json?.['handset']).toMatchObject({ provisioned: false });
    expect(rig.handset.usb.authenticated).toBe(false);

    // Where the port does not come back, the tool cannot tell, and says how to find out.
    const blind = await cutProxy(rig.server.port, 'AT+TSCOMMIT');
    const noReopen = await rig.cli([...rig.provisionArgs(blind.spec), '--json'], {}, { reopenFails: true });
    expect(noReopen.code).toBe(ExitCode.INCONSISTENT);
    expect(noReopen.json?.['failure']).toMatchObject({ kind: 'inconsistent', handsetState: 'unknown' });
    expect(String((noReopen.json?.['failure'] as { next: string }).next)).toContain(`tecsos info --port ${blind.spec}`);
    expect(rig.handset.firmware.info().provisioned).toBe(false);

    // What the tool said to do works: provision again.
    rig.pressButton();
    const again = await rig.cli(rig.provisionArgs(proxy.spec));
    expect(again.code, again.stderr).toBe(ExitCode.OK);
    expect(rig.handset.firmware.info().provisioned).toBe(true);
  }, 60_000);

  it('the cable goes just after AT+TSCOMMIT reached the handset: the tool reconnects and wipes it', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const proxy = await cutProxy(rig.server.port, 'AT+TSCOMMIT', { forward: true });
    const r = await rig.cli([...rig.provisionArgs(proxy.spec), '--json']);
    expect(proxy.cuts()).toBe(1);
    expect(r.code).toBe(ExitCode.PORT);
    expect(r.json?.['failure']).toMatchObject({ kind: 'port', handsetState: 'unprovisioned' });
    const notes = (r.json?.['progress'] as { step: string; detail?: string }[]).filter((p) => p.step === 'rollback').map((p) => p.detail);
    expect(notes.join(' ')).toMatch(/the commit had taken effect: handset wiped/);
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    expect(rig.handset.firmware.hasKey()).toBe(false);
    expect((await rig.events()).some((e) => e['type'] === 'handset.registered')).toBe(false);
  }, 60_000);
});
