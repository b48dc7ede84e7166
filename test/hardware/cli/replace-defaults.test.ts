// Re-provisioning with --replace starts from the handset's factory settings, not the last provisioning's.
// A bench run with `--set silent=0 --set gesture=presses --set tracking=5` followed by a `--replace` for the
// victim that named none of them left her covert handset beeping on alarm, alarming on three presses and
// tracking for 5 minutes only. The tool now stages the factory settings first (AT+TSDEFAULTS), then what the
// command line names.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { makeRig } from './rig.js';

describe('provision --replace', () => {
  it('settings the command line does not name go back to the factory ones; the fleet key stays', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const bench = await rig.cli([...rig.provisionArgs(), '--set', 'silent=0', '--set', 'gesture=presses', '--set', 'tracking=5', '--verify-wait', '0']);
    expect(bench.code, bench.stderr).toBe(ExitCode.OK);
    expect(rig.handset.firmware.config).toMatchObject({ silent: false, gesture: 'presses', trackingMinutes: 5 });
    const fleetKey = rig.handset.firmware.config.fleetKey;

    rig.pressButton();
    const issued = await rig.cli([...rig.provisionArgs(), '--replace', '--set', 'hold=3000', '--verify-wait', '0']);
    expect(issued.code, issued.stderr).toBe(ExitCode.OK);
    expect(rig.handset.firmware.config).toMatchObject({ silent: true, gesture: 'hold', trackingMinutes: 60, holdMs: 3000, fleetKey });
  }, 60_000);
});
