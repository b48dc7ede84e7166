// A typo in --number: the handset is registered under a number its SIM does not have, and the gateway refuses its
// test report (sender mismatch), which an engineer could not see (now named: the second test). The tool said only "check the gateway's modem lines
// and the handset's signal, then tecsos test-alarm", which fails the same way every time; the handset, left
// registered under the wrong number, would not have its 999 call recognised. The test-alarm it advised had no
// --gateway, so it only queued a report and said ok.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { HANDSET_ID, HANDSET_NUMBER, makeRig } from './rig.js';

describe('provision with a mistyped --number', () => {
  it('the test report does not arrive: exit 7, and what to do names the number as a cause', async () => {
    const rig = await makeRig();
    rig.pressButton();
    const typo = '+447700900132';
    expect(typo).not.toBe(HANDSET_NUMBER);
    const args = rig.provisionArgs();
    args[args.indexOf('--number') + 1] = typo;
    const r = await rig.cli([...args, '--verify-wait', '4']);
    expect(r.code, r.stdout + r.stderr).toBe(ExitCode.VERIFICATION_FAILED);
    expect(r.stderr).toMatch(/handset: PROVISIONED/);
    expect(r.stderr).toContain(`check that ${typo} (--number) is this handset's SIM number`);
    expect(r.stderr).toMatch(/--replace/);
    // The test-alarm it advises waits for the gateway (without --gateway, its exit 0 means only "queued").
    expect(r.stderr).toContain(`--gateway ${new URL(rig.app?.url ?? '').origin}`);
    expect(r.stderr).toMatch(/do not issue the handset before it reaches the gateway/);
  }, 60_000);

  it('the engineer sees why (the gateway\'s refusal), and the gateway lists the handset untested until a report counts', async () => {
    // Before, the gateway listed the handset like a working one (nothing in GET /api/handsets told it apart) and
    // the refusal was a report.rejected event engineers do not receive: the tool could only guess at causes.
    const rig = await makeRig();
    rig.pressButton();
    const typo = '+447700900132';
    const args = rig.provisionArgs();
    args[args.indexOf('--number') + 1] = typo;
    const r = await rig.cli([...args, '--verify-wait', '6']);
    expect(r.code, r.stdout + r.stderr).toBe(ExitCode.VERIFICATION_FAILED);
    // The wrong number, and what the gateway has instead, never the number the SMS came from: an engineer's login
    // gets no sender (docs/api.md "Who sees what"). Before, the gateway's detail named it and the tool printed it.
    expect(r.stderr).toMatch(/the gateway refused a report claiming to be from it at \S+: sender-mismatch \(the SMS came from a number other than \+447700900132, the one the gateway has for TS-0042\)/);
    expect(r.stdout + r.stderr).not.toContain(HANDSET_NUMBER);
    expect(r.stderr).toMatch(/lists it as untested/);
    const listed = (await rig.app?.core.listHandsets())?.find((h) => h.id === HANDSET_ID);
    expect(listed).toMatchObject({ untested: true, lastRejection: { reason: 'sender-mismatch' } });

    // Fixed with the right number and --replace: the test report counts, the handset is no longer untested.
    rig.pressButton();
    const fixed = await rig.cli([...rig.provisionArgs(), '--replace']);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(ExitCode.OK);
    const now = (await rig.app?.core.listHandsets())?.find((h) => h.id === HANDSET_ID);
    expect(now).toMatchObject({ untested: false, lastRejection: null });
  }, 90_000);
});
