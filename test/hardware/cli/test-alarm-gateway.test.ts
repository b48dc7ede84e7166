// issue 7: "tecsos test-alarm --port SPEC: a test alarm that reaches the console labelled as a test". Without a
// gateway the tool can only say the handset queued it; with --gateway it waits until the gateway has the
// report (its lastReportAt for the handset moves), and says when it did not come.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { HANDSET_ID, makeRig } from './rig.js';

describe('tecsos test-alarm --gateway', () => {
  it('exit 0 once the gateway has the test report; 7 when none reaches it within --verify-wait', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const p = await rig.cli([...rig.provisionArgs(), '--verify-wait', '0']);
    expect(p.code, p.stderr).toBe(ExitCode.OK);
    const url = rig.app?.url as string;

    const t = await rig.cli(['test-alarm', '--port', rig.spec, '--gateway', url, '--json']);
    expect(t.code, JSON.stringify(t.json)).toBe(ExitCode.OK);
    expect(JSON.stringify(t.json)).toMatch(/reached the gateway/);
    const tst = (await rig.events()).filter((e) => e['type'] === 'report.accepted' && e['event'] === 'TST' && e['handsetId'] === HANDSET_ID);
    expect(tst.length).toBeGreaterThanOrEqual(1);

    // The network loses the handset's SMS from now on: the report never reaches the gateway.
    rig.network.setSmsRules({ lossProbability: 1 });
    const lost = await rig.cli(['test-alarm', '--port', rig.spec, '--gateway', url, '--verify-wait', '2']);
    expect(lost.code).toBe(ExitCode.VERIFICATION_FAILED);
    expect(lost.stderr).toMatch(/no report from it reached the gateway within 2 s/);
  }, 60_000);
});
