// `tecsos wipe` while the handset's alarm is being tracked: the handset refuses AT+TSWIPE with +CME ERROR: 515
// (alarm in progress; firmware-sim tswipe.ts) and the tool says what that means and what to do (the control
// room stops tracking from her incident, then wipe again), instead of the raw "refused AT+TSWIPE (+CME ERROR:
// 515)". Her alarm goes on: still provisioned, still tracking. The same words for a refused AT+TSCOMMIT
// (`provision --replace` reaching the commit mid-alarm).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../firmware-sim/handset/config.js';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { HandsetConsoleError } from '../../../hardware/provisioning/console-errors.js';
import { consoleFailure } from '../../../hardware/provisioning/failure.js';
import { eventually, LINE, makeRig, REPORT_KEY } from './rig.js';

describe('tecsos wipe during a live alarm', () => {
  it('is refused with a message saying the control room must stop tracking first; her alarm goes on', async () => {
    const rig = await makeRig({ gateway: false });
    // Provisioned (as tecsos provision leaves it), with a short hold so the test's alarm is quick.
    rig.handset.firmware.commit({ ...DEFAULT_CONFIG, fleetKey: rig.fleet.publicHex, gatewayNumber: LINE, holdMs: 500 }, REPORT_KEY);
    rig.handset.button.hold(800);
    await eventually(() => rig.handset.firmware.alarmInProgress(), 'the alarm');

    const r = await rig.cli(['wipe', '--port', rig.spec]);
    expect(r.code).toBe(ExitCode.HANDSET);
    expect(r.stderr).toMatch(/tracking a live alarm/);
    expect(r.stderr).toMatch(/would silently stop her reports/);
    expect(r.stderr).toMatch(/control room to stop tracking from her incident/);
    expect(r.stderr).toContain(`run tecsos wipe --port ${rig.spec} again`);
    expect(r.stderr).not.toMatch(/\+CME ERROR/);

    const j = await rig.cli(['wipe', '--port', rig.spec, '--json']);
    expect(j.code).toBe(ExitCode.HANDSET);
    expect(j.json?.['failure']).toMatchObject({ kind: 'handset', handsetState: 'unchanged' });

    expect(rig.handset.firmware.info().provisioned).toBe(true);
    expect(rig.handset.firmware.alarmInProgress()).toBe(true);
  }, 60_000);

  it('a refused AT+TSCOMMIT reads the same way', () => {
    const f = consoleFailure({ kind: 'refused', command: 'AT+TSCOMMIT', code: HandsetConsoleError.ALARM_IN_PROGRESS, reason: 'alarm in progress: the report key cannot change' }, '/dev/ttyACM0');
    expect(f).toMatchObject({ kind: 'handset', handsetState: 'unchanged' });
    expect(f.message).toMatch(/tracking a live alarm, so it refused AT\+TSCOMMIT/);
    expect(f.next).toMatch(/stop tracking from her incident.*then run the command again/);
  });
});
