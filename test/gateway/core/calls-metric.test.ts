// tecsos_calls_total{priority}: each call once, by what it turned out to be. A call that rings with no number
// (its modem could not say it then) and is identified as her TecSOS call by `call.identified` was counted as an
// ordinary call, and never as a TecSOS one: an operator's dashboard or alert on TecSOS calls missed her call
// (found in review 13, test/review13/identified-metrics.test.ts). A counter never goes down, so a call with no
// number is counted once its priority is known: at `call.identified`, or at its end when nobody identified it.
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, ORDINARY_NUMBER, startRig } from './harness.js';

type Rig = Awaited<ReturnType<typeof startRig>>;
const counts = (rig: Rig) => ({
  tecsos: rig.metrics.calls.get({ priority: 'tecsos' }),
  ordinary: rig.metrics.calls.get({ priority: 'ordinary' }),
});

describe('tecsos_calls_total', () => {
  it('her call that rang with no number and was identified counts once, as tecsos', async () => {
    const rig = await startRig();
    await rig.ring(null);
    rig.core.onCall({ kind: 'identified', lineId: 'L1', at: rig.clock.now(), number: HANDSET_NUMBER, toa: 145 });
    await rig.core.idle();
    expect(rig.ofType('call.identified')).toMatchObject([{ priority: 'tecsos' }]);
    expect(counts(rig)).toEqual({ tecsos: 1, ordinary: 0 });
    // Its end counts nothing more.
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toHaveLength(1);
    expect(counts(rig)).toEqual({ tecsos: 1, ordinary: 0 });
  });

  it('a call with no number nobody identified counts as what it rang as, once, at its end', async () => {
    const rig = await startRig();
    await rig.ring(null);
    expect(rig.ofType('call.ringing')).toMatchObject([{ priority: 'ordinary', callerNumber: null }]);
    expect(counts(rig)).toEqual({ tecsos: 0, ordinary: 0 });
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    expect(counts(rig)).toEqual({ tecsos: 0, ordinary: 1 });
  });

  it('a call with its number counts at its ringing, once', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER, 'L1');
    await rig.ring(ORDINARY_NUMBER, 'L2');
    expect(counts(rig)).toEqual({ tecsos: 1, ordinary: 1 });
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    rig.core.onCall({ kind: 'ended', lineId: 'L2', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toHaveLength(2);
    expect(counts(rig)).toEqual({ tecsos: 1, ordinary: 1 });
  });
});
