// Another victim's number, typed in national form (07700900124 for +447700900124): the tool's check at the
// gateway step compared the digits as written, so it let the run go on; the handset was authenticated,
// committed and self-tested (a minute of button pressing), then the registration's 409 wiped it again. And a
// number conflict was answered "or add --replace", which the gateway refuses the same way.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { GatewayClient } from '../../../hardware/provisioning/gateway-client.js';
import { IMEI, makeRig, PASSWORD } from './rig.js';

describe('provision with a number another handset has', () => {
  it('in national form it is refused at the gateway step: nothing written to the handset, no --replace advice', async () => {
    const rig = await makeRig();
    const gw = new GatewayClient(new URL(rig.app?.url ?? '').origin, globalThis.fetch);
    expect((await gw.login('engineer', PASSWORD)).ok).toBe(true);
    const other = await gw.register({
      id: 'TS-0099', number: '+447700900124', imei: IMEI, key: 'ab'.repeat(32), force: 'Metropolitan Police',
      victim: { name: 'Another Victim', safetyNotes: '', riskMarkers: [] }, testMode: false, replace: false,
    });
    expect(other.ok).toBe(true);
    await gw.logout();

    rig.pressButton();
    const args = rig.provisionArgs();
    args[args.indexOf('--number') + 1] = '07700900124';
    const r = await rig.cli([...args, '--verify-wait', '0']);
    expect(r.code, r.stdout + r.stderr).toBe(ExitCode.GATEWAY);
    expect(r.stderr).toMatch(/number 07700900124 belongs to handset TS-0099/);
    expect(r.stderr).toMatch(/handset: unchanged/);
    expect(r.stderr).not.toMatch(/--replace/);
    expect(r.stdout).not.toMatch(/authenticate|commit/);
    expect(rig.handset.firmware.info().provisioned).toBe(false);
  }, 60_000);
});
