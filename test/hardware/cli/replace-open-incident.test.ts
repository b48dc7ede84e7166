// `provision --replace` while the handset's alarm is an open incident at the gateway: the gateway refuses the
// new key (409, naming the incident, gateway/registry/registration.ts); the tool wipes what it committed, says
// so, and the gateway still holds the registration the incident belongs to.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { eventually, HANDSET_ID, makeRig, REPORT_KEY_HEX } from './rig.js';

describe('provision --replace with the handset in an open incident', () => {
  it('is refused by the gateway with the incident named; the handset is wiped, the registration kept', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const first = await rig.cli([...rig.provisionArgs(), '--set', 'hold=500', '--verify-wait', '0']);
    expect(first.code, first.stderr).toBe(ExitCode.OK);
    rig.handset.button.hold(800);
    await eventually(async () => (await rig.events()).some((e) => e['type'] === 'incident.opened'), 'the incident');
    const incidentId = (await rig.events()).find((e) => e['type'] === 'incident.opened')?.['incidentId'] as string;

    rig.pressButton();
    const r = await rig.cli([...rig.provisionArgs(), '--replace', '--verify-wait', '0'], {}, { randomKey: new Uint8Array(32).fill(9) });
    expect(r.code).not.toBe(ExitCode.OK);
    expect(r.stderr).toContain(`open incident ${incidentId}`);
    expect(r.stderr).toMatch(/wiped/);
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    const regs = (await rig.events()).filter((e) => e['type'] === 'handset.registered' && e['handsetId'] === HANDSET_ID);
    expect(regs.map((e) => e['keyHex'])).toEqual([REPORT_KEY_HEX]);
  }, 60_000);
});
