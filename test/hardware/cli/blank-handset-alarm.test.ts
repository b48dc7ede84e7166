// A blank handset whose button was held (the simulator's demo scenario holds TS-0001's 20 s in): it dials 999
// and tracks an alarm that reports to no one, and refuses AT+TSCOMMIT with 515. `tecsos provision` said "ask
// the control room to stop tracking from her incident", but the gateway has no incident for a handset it does
// not know: the engineer was sent to nobody. Now it says so, and to wait for the tracking time.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import { eventually, makeRig } from './rig.js';

describe('tecsos provision on a blank handset in an alarm', () => {
  it('exit 9, nothing changed, and no control-room incident to ask for', async () => {
    const rig = await makeRig();
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    rig.handset.button.hold(2600);
    await eventually(() => rig.handset.firmware.alarmInProgress(), 'the alarm');

    const r = await rig.cli(rig.provisionArgs());
    expect(r.code).toBe(ExitCode.HANDSET);
    expect(r.stderr).toMatch(/not provisioned, but its alarm is on/);
    expect(r.stderr).toMatch(/no control-room incident can stop it/);
    expect(r.stderr).not.toMatch(/stop tracking from her incident/);
    expect(r.stderr).toMatch(/handset: unchanged/);
    expect(rig.handset.firmware.info().provisioned).toBe(false);
    expect((await rig.events()).filter((e) => e['type'] === 'handset.registered')).toEqual([]);
  }, 60_000);

  it('tecsos wipe says the same, not "ask the control room"', async () => {
    const rig = await makeRig({ gateway: false });
    rig.handset.button.hold(2600);
    await eventually(() => rig.handset.firmware.alarmInProgress(), 'the alarm');
    const r = await rig.cli(['wipe', '--port', rig.spec]);
    expect(r.code).toBe(ExitCode.HANDSET);
    expect(r.stderr).toMatch(/not provisioned, but its alarm is on .* so it refused AT\+TSWIPE/);
    expect(r.stderr).toMatch(/no control-room incident can stop it/);
    expect(r.stderr).not.toMatch(/stop tracking from her incident/);
    expect(r.stderr).toMatch(/handset: unchanged/);
    expect(rig.handset.firmware.alarmInProgress()).toBe(true);
  }, 60_000);

  it('once its tracking time has ended, the same command provisions it, as the tool says', async () => {
    // The handset's ALM could not be sent (no key, no gateway number) and was counted as still to go, so the
    // handset refused the commit for good: waiting out the tracking time, as the tool tells the engineer to,
    // changed nothing (only a power cycle did). Tracking time 1 min here (the shortest the setting takes).
    const rig = await makeRig({ factory: { trackingMinutes: 1 } });
    rig.handset.button.hold(2600);
    await eventually(() => rig.handset.firmware.alarmInProgress(), 'the alarm');
    const refused = await rig.cli(rig.provisionArgs());
    expect(refused.code).toBe(ExitCode.HANDSET);
    expect(refused.stderr).toMatch(/wait for its tracking time to end/);

    await eventually(() => !rig.handset.firmware.alarmInProgress(), 'the end of its alarm', 2400); // up to 120 s
    rig.pressButton(); // for the self-test
    const r = await rig.cli(rig.provisionArgs());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.OK);
    expect(rig.handset.firmware.info().provisioned).toBe(true);
  }, 180_000);
});
