// `provision --replace` on a handset whose firmware has no AT+TSDEFAULTS (firmware before 1.1): refused with
// nothing written, and the advice it gives must lead to a provisioned, registered handset when followed.
import { describe, expect, it } from 'vitest';
import { CONSOLE_COMMANDS } from '../../../firmware-sim/provisioning/commands/table.js';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { makeRig } from './rig.js';

describe('provision --replace on a firmware without AT+TSDEFAULTS', () => {
  it('is refused with nothing written, and the command its advice names then provisions it', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const bench = await rig.cli([...rig.provisionArgs(), '--set', 'silent=0', '--verify-wait', '0']);
    expect(bench.code, bench.stderr).toBe(ExitCode.OK);

    const table = CONSOLE_COMMANDS as Map<string, unknown>;
    const tsdefaults = table.get('+TSDEFAULTS');
    table.delete('+TSDEFAULTS');
    try {
      const refused = await rig.cli([...rig.provisionArgs(), '--replace', '--verify-wait', '0']);
      expect(refused.code).not.toBe(ExitCode.OK);
      expect(rig.handset.firmware.config).toMatchObject({ silent: false });
      expect(refused.stderr).toMatch(/AT\+TSDEFAULTS/);
      // Follow the advice: wipe, then the same command again. (It said "provision it without --replace",
      // which the gateway step refuses: the handset is registered there.)
      expect(refused.stderr).toContain('run the same tecsos provision command again (with --replace');
      const wipe = await rig.cli(['wipe', '--port', rig.spec, '--key-file', rig.keyFile]);
      expect(wipe.code, wipe.stderr).toBe(ExitCode.OK);
      rig.pressButton();
      const again = await rig.cli([...rig.provisionArgs(), '--replace', '--verify-wait', '0']);
      expect(again.code, again.stderr).toBe(ExitCode.OK);
      expect(rig.handset.firmware.config).toMatchObject({ silent: true });
    } finally {
      table.set('+TSDEFAULTS', tsdefaults);
    }
  }, 60_000);
});
