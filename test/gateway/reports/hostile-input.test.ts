// Whatever a modem hands over, the core never throws, stores every part it was given (so the modem may
// delete it) and never attaches anything unverified to an incident.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeDeliver } from '../../../protocol/sms/index.js';
import { HANDSET_NUMBER, ORDINARY_NUMBER, START, deliver, report, startRig } from '../core/harness.js';

describe('hostile SMS input', () => {
  it('random PDUs, random texts and mangled reports: every part stored and released, no fix, no incident', async () => {
    const rig = await startRig();
    const valid = deliver(report({ counter: 1 }))[0] as string;
    const pdus = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.uint8Array({ maxLength: 180 }).map((b) => Buffer.from(b).toString('hex')),
      fc.tuple(fc.nat({ max: valid.length - 1 }), fc.constantFrom('0', 'F', '7')).map(([i, c]) => valid.slice(0, i) + c + valid.slice(i + 1)),
      fc
        .tuple(fc.constantFrom(HANDSET_NUMBER, ORDINARY_NUMBER, 'Vodafone'), fc.string({ minLength: 1, maxLength: 300 }))
        .map(([from, text]) => encodeDeliver({ from, text, sentAt: START })[0]?.pdu ?? '00'),
      fc.string({ maxLength: 200 }).map((tail) => encodeDeliver({ from: HANDSET_NUMBER, text: `TSR1;h=TS-0001;n=9;e=ALM;${tail}`.slice(0, 300), sentAt: START })[0]?.pdu ?? '00'),
    );
    let given = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(pdus, { minLength: 1, maxLength: 5 }), async (batch) => {
        given += batch.length;
        const released = await rig.sms(batch);
        expect(released.every(Boolean)).toBe(true);
      }),
      { numRuns: 60, seed: 20261123 },
    );
    const all = await rig.all();
    expect(all.filter((e) => e.event.type === 'sms.received')).toHaveLength(given);
    expect(all.filter((e) => e.event.type === 'fix')).toEqual([]);
    expect(all.filter((e) => e.event.type === 'incident.opened')).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('a fault while deciding still stores the raw SMS and releases it (no endless re-reading)', async () => {
    const rig = await startRig({
      hmac: () => {
        throw new Error('HMAC engine broke');
      },
    });
    const released = await rig.sms(deliver(report({ counter: 1 })));
    expect(released).toEqual([true, true]);
    expect((await rig.all()).map((e) => e.event.type)).toEqual(['handset.registered', 'sms.received', 'sms.received']);
    expect(rig.errors.join('\n')).toMatch(/fault while processing an SMS/);
  });
});
