// `provision --replace` while the handset's alarm is an open incident at the gateway: the gateway refuses the
// new key (409, naming the incident, gateway/registry/registration.ts). The tool finds it at the gateway step,
// from GET /api/handsets' openIncidentId, before anything is written: the handset keeps the key and settings
// its registration (and her incident) belongs to. Before, it was found only at the registration, after the
// commit and the self-test, so the working handset of a woman whose alarm was being worked had been rewritten
// and then wiped: unprovisioned, in her hands or on the bench, until provisioned again.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { eventually, HANDSET_ID, makeRig, REPORT_KEY_HEX } from './rig.js';

describe('provision --replace with the handset in an open incident', () => {
  it('is refused at the gateway step with the incident named, before anything is written; the registration kept', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const first = await rig.cli([...rig.provisionArgs(), '--set', 'hold=500', '--verify-wait', '0']);
    expect(first.code, first.stderr).toBe(ExitCode.OK);
    rig.handset.button.hold(800);
    await eventually(async () => (await rig.events()).some((e) => e['type'] === 'incident.opened'), 'the incident');
    const incidentId = (await rig.events()).find((e) => e['type'] === 'incident.opened')?.['incidentId'] as string;

    rig.pressButton();
    const consoleBefore = rig.consoleOutput().length;
    const r = await rig.cli([...rig.provisionArgs(), '--replace', '--verify-wait', '0'], {}, { randomKey: new Uint8Array(32).fill(9) });
    expect(r.code).toBe(ExitCode.GATEWAY);
    expect(r.stderr).toContain(`open incident ${incidentId}`);
    expect(r.stderr).toMatch(/nothing was written to the handset/);
    expect(r.stderr).not.toMatch(/wiped/);
    expect(rig.handset.firmware.info().provisioned).toBe(true);
    // Not even authenticated: only AT+TSINFO? went to the handset.
    expect(rig.consoleOutput().slice(consoleBefore)).not.toMatch(/\+TSAUTH:|\+TSCFG:|\+TSKEY:/);
    const regs = (await rig.events()).filter((e) => e['type'] === 'handset.registered' && e['handsetId'] === HANDSET_ID);
    expect(regs.map((e) => e['keyHex'])).toEqual([REPORT_KEY_HEX]);
  }, 60_000);
});
