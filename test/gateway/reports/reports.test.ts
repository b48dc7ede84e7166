// The reports pipeline on real wire inputs: spoofed, replayed and duplicated reports change nothing but the
// rejection counters; concatenated reports are reassembled in any order or given up as incomplete; AML SMS
// locate ordinary calls.
import { describe, expect, it } from 'vitest';
import { encodeReportSync } from '../../../protocol/report/tsr1.js';
import { encodeDeliver } from '../../../protocol/sms/index.js';
import { textToSeptets } from '../../../protocol/sms/gsm7-alphabet.js';
import { packSeptets } from '../../../protocol/sms/septets.js';
import {
  HANDSET_ID,
  HANDSET_NUMBER,
  ORDINARY_NUMBER,
  START,
  WRONG_KEY,
  deliver,
  hmac,
  invalidPublicEvents,
  KEY,
  report,
  sentences,
  startRig,
  type Rig,
} from '../core/harness.js';

/** Public event types after the registration, in order. */
const after = (rig: Rig) => rig.seen.filter((e) => !e.redacted).map((e) => e.event.type);

describe('refused reports change nothing', () => {
  it('a spoofed report (wrong key) is rejected as bad-mac, counted, and not attached', async () => {
    const rig = await startRig();
    const released = await rig.sms(deliver(report({ counter: 1 }, WRONG_KEY)));
    expect(after(rig)).toEqual(['report.rejected']);
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'bad-mac', claimedHandsetId: HANDSET_ID, counter: 1, fromNumber: HANDSET_NUMBER }]);
    expect(rig.metrics.reportsRejected.get({ reason: 'bad_mac' })).toBe(1);
    expect(released).toEqual([true, true]); // stored, so the modem may delete it
    expect(await rig.core.listIncidents({ state: 'all' })).toEqual([]);
    // The forged counter did not move the window: the real report 1 is still accepted.
    await rig.sms(deliver(report({ counter: 1 }), HANDSET_NUMBER, 8));
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 1, fromNumber: HANDSET_NUMBER }]);
  });

  it('a duplicated SMS gives no second fix', async () => {
    const rig = await startRig();
    const pdus = deliver(report({ counter: 1 }));
    await rig.sms(pdus);
    // The network delivers the whole message again, much later (after the reassembler forgot it).
    rig.clock.advance(30 * 60_000);
    await rig.sms(pdus);
    expect(rig.ofType('fix')).toHaveLength(1);
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'duplicate', counter: 1 }]);
    expect(rig.metrics.reportsRejected.get({ reason: 'duplicate' })).toBe(1);
  });

  it('a duplicated part right away is counted and joined once', async () => {
    const rig = await startRig();
    const [p1, p2] = deliver(report({ counter: 1 }));
    await rig.sms([p1 as string, p1 as string, p2 as string]);
    expect(rig.ofType('fix')).toHaveLength(1);
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'duplicate' }]);
  });

  it('a replay (a second, differently signed report with a used counter) is a security event', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 5, event: 'ALM' })));
    await rig.sms(deliver(report({ counter: 5, event: 'TRK', batteryPct: 50 }), HANDSET_NUMBER, 9));
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'replay', counter: 5 }]);
    expect(rig.ofType('fix')).toHaveLength(1);
    expect(rig.ofType('handset.status')).toMatchObject([{ batteryPct: 87 }]);
  });

  it('a report older than the window is too-old; a late one inside it is kept', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 100, event: 'TRK' }), HANDSET_NUMBER, 1));
    await rig.sms(deliver(report({ counter: 30, event: 'TRK' }), HANDSET_NUMBER, 2));
    await rig.sms(deliver(report({ counter: 90, event: 'TRK' }), HANDSET_NUMBER, 3));
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'too-old', counter: 30 }]);
    expect(rig.ofType('report.accepted').map((e) => e['counter'])).toEqual([100, 90]);
  });

  it('a valid report sent from another number is sender-mismatch', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1 }), ORDINARY_NUMBER));
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'sender-mismatch', claimedHandsetId: HANDSET_ID, counter: 1, fromNumber: ORDINARY_NUMBER }]);
    expect(rig.ofType('fix')).toEqual([]);
  });

  it('unknown handset, malformed report and chat text are rejected with their reasons', async () => {
    const rig = await startRig();
    const s = sentences(START);
    const stranger = encodeReportSync({ handsetId: 'TS-9999', counter: 1, event: 'ALM', batteryPct: 50, csq: 10, rmc: s.rmc, gga: s.gga }, KEY, hmac);
    await rig.sms(deliver(stranger, HANDSET_NUMBER, 1));
    await rig.sms(deliver('TSR1;h=TS-0001;n=01;e=ALM', HANDSET_NUMBER, 2));
    await rig.sms(deliver('hello, are you there?', ORDINARY_NUMBER, 3));
    await rig.sms(['00zz']);
    // TSR and then not a version tag: the decoder's not-mine, which is no reason of report.rejected.
    await rig.sms(deliver('TSR!;h=TS-0001;n=1', HANDSET_NUMBER, 4));
    expect(rig.ofType('report.rejected').map((e) => e['reason'])).toEqual(['unknown-handset', 'truncated', 'unknown-sender', 'bad-field', 'bad-field']);
    // A report that decodes is refused with the handset and counter it gives, registered or not.
    expect(rig.ofType('report.rejected')[0]).toMatchObject({ claimedHandsetId: 'TS-9999', counter: 1 });
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('a report that does not decode names the handset it gives (h=), else the one whose SIM sent it', async () => {
    // Before, a TSR1 that failed to decode (a firmware or GPS fault: an impossible battery figure, a sentence cut)
    // named no handset even with `h=` readable in it: neither the engineers' refused reports (an engineer gets
    // only those that name a handset: gateway/fanout/audience.ts) nor GET /api/handsets' lastRejection showed it.
    const rig = await startRig();
    const absurd = report({ counter: 1 }).replace(';b=87;', ';b=150;');
    expect(absurd).toContain(';b=150;');
    await rig.sms(deliver(absurd, HANDSET_NUMBER, 1));
    await rig.sms(deliver('TSR1;h=ts 1;n=2;e=ALM', HANDSET_NUMBER, 2));
    await rig.sms(deliver('TSR1;h=ts 1;n=2;e=ALM', ORDINARY_NUMBER, 3));
    expect(rig.ofType('report.rejected')).toMatchObject([
      { reason: 'absurd-value', claimedHandsetId: HANDSET_ID, counter: null, fromNumber: HANDSET_NUMBER },
      { reason: 'truncated', claimedHandsetId: HANDSET_ID, fromNumber: HANDSET_NUMBER },
      { reason: 'truncated', claimedHandsetId: null, fromNumber: ORDINARY_NUMBER },
    ]);
    expect((await rig.core.listHandsets()).find((h) => h.id === HANDSET_ID)?.lastRejection).toMatchObject({ reason: 'truncated' });
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });

  it('the h= a refused text gives comes before its sender, and only a whole valid id at the start is one', async () => {
    const rig = await startRig();
    const rows: [text: string, from: string, claimed: string | null][] = [
      ['TSR1;h=TS-0001;n=2;e=ALM', ORDINARY_NUMBER, HANDSET_ID], // h= alone names it, whoever sent it
      ['TSR1;h=TS-0002;n=2;e=ALM', HANDSET_NUMBER, 'TS-0002'], // h= wins over the SIM that sent it
      ['TSR1;h=ts-0002;n=2;e=ALM', HANDSET_NUMBER, HANDSET_ID], // not a handset id: the SIM's handset
      [`TSR1;h=${'A'.repeat(17)};n=2;e=ALM`, ORDINARY_NUMBER, null], // 17 characters: no id, nor its first 16
      ['TSR1;n=2;TSR1;h=TS-0002;e=ALM', ORDINARY_NUMBER, null], // an h= further in is no claim
    ];
    for (const [i, [text, from]] of rows.entries()) await rig.sms(deliver(text, from, 20 + i));
    expect(rig.ofType('report.rejected').map((e) => e['claimedHandsetId'])).toEqual(rows.map(([, , claimed]) => claimed));
  });
});

describe('concatenated reports', () => {
  it('parts out of order are reassembled', async () => {
    const rig = await startRig();
    const [p1, p2] = deliver(report({ counter: 1 }));
    await rig.sms([p2 as string]);
    expect(rig.ofType('report.accepted')).toEqual([]);
    await rig.sms([p1 as string]);
    expect(rig.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
    expect(rig.ofType('fix')).toHaveLength(1);
  });

  it('two reports sharing a reference (it wrapped while a part was late) are both accepted', async () => {
    const rig = await startRig();
    const [a1, a2] = deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 42);
    const [b1, b2] = deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 42);
    await rig.sms([a2 as string]); // the alarm's first part is late
    rig.clock.advance(40 * 60_000); // 256 references later, the handset uses 42 again
    await rig.sms([b1 as string]); // b1 completes the alarm's entry: bad-mac, refused
    await rig.sms([b2 as string]);
    rig.clock.advance(5 * 60_000);
    await rig.sms([a1 as string]);
    rig.clock.advance(3 * 3_600_000);
    await rig.core.idle();
    expect(rig.ofType('report.accepted').map((e) => e['counter'])).toEqual([2, 1]);
    expect(rig.ofType('report.rejected').map((e) => e['reason'])).toEqual(['incomplete', 'bad-mac']);
  });

  it('a part that never comes makes the report incomplete after the timeout', async () => {
    const rig = await startRig();
    const [p1] = deliver(report({ counter: 1 }));
    await rig.sms([p1 as string]);
    rig.clock.advance(9 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('report.rejected')).toEqual([]);
    rig.clock.advance(60_001);
    await rig.core.idle();
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'incomplete', claimedHandsetId: HANDSET_ID, fromNumber: HANDSET_NUMBER }]);
    expect(rig.metrics.reportsRejected.get({ reason: 'incomplete' })).toBe(1);
    expect(await rig.core.listIncidents({ state: 'all' })).toEqual([]);
  });

  it('an incomplete report whose first part was lost names the handset whose number sent the rest', async () => {
    // Before, with the part carrying `TSR1;h=<id>` lost, the rejection named no handset: the engineers' view
    // (lastRejection) never showed a handset whose first parts keep getting lost.
    const rig = await startRig();
    const [, p2] = deliver(report({ counter: 1 }));
    await rig.sms([p2 as string]);
    const [, q2] = deliver(report({ counter: 2 }), '+447700900999', 7);
    await rig.sms([q2 as string]);
    rig.clock.advance(10 * 60_000 + 1);
    await rig.core.idle();
    expect(rig.ofType('report.rejected')).toMatchObject([
      { reason: 'incomplete', claimedHandsetId: HANDSET_ID, fromNumber: HANDSET_NUMBER },
      { reason: 'incomplete', claimedHandsetId: null, fromNumber: '+447700900999' },
    ]);
  });
});

describe('fix quality', () => {
  it('a report without a fix gives no position; with a stale RMC it is flagged invalid', async () => {
    const rig = await startRig();
    await rig.sms(deliver(encodeReportSync({ handsetId: HANDSET_ID, counter: 1, event: 'HBT', batteryPct: 80, csq: 12, rmc: '$GPRMC,,V,,,,,,,,,,N*53', gga: '$GPGGA,,,,,,0,00,99.99,,,,,,*48' }, KEY, hmac)));
    expect(rig.ofType('report.accepted')).toMatchObject([{ event: 'HBT', incidentId: null }]);
    expect(rig.ofType('fix')).toEqual([]);
    const stale = '$GPRMC,055900.00,V,5130.0420,N,00007.3080,W,0.0,0.0,231126,,,N';
    const withSum = `${stale}*${[...stale.slice(1)].reduce((x, c) => x ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0')}`;
    await rig.sms(deliver(encodeReportSync({ handsetId: HANDSET_ID, counter: 2, event: 'TRK', batteryPct: 80, csq: 12, rmc: withSum, gga: '$GPGGA,,,,,,0,00,99.99,,,,,,*48' }, KEY, hmac), HANDSET_NUMBER, 3));
    // HDOP 99.99 is the receiver's "not known" (gps-fix.ts): no accuracy circle around a stale position.
    expect(rig.ofType('fix')).toMatchObject([{ gpsStatus: 'invalid', fixTime: '2026-11-23T05:59:00.000Z', accuracyM: null }]);
  });
});

describe('AML', () => {
  const aml = 'A"ML=1;lt=+51.50070;lg=-0.12180;rd=50;top=20261123055930;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=128';

  it('locates an ordinary call from the same number', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    const [call] = rig.ofType('call.ringing');
    await rig.sms(deliver(aml, ORDINARY_NUMBER));
    const fixes = rig.ofType('fix');
    expect(fixes).toMatchObject([{ source: 'aml', callId: call?.['callId'], incidentId: null, handsetId: null, accuracyM: 50, confidencePct: 90, amlMethod: 'gnss', gpsStatus: null, fixTime: '2026-11-23T05:59:30.000Z' }]);
    expect(fixes[0]?.['lat']).toBeCloseTo(51.5007, 5);
    expect(call?.['priority']).toBe('ordinary');
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it('an AML sent as 8-bit data (GSM 7-bit septets packed into the octets, as ELS may send it) locates the call', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    const [call] = rig.ofType('call.ringing');
    await rig.sms(encodeDeliver({ from: ORDINARY_NUMBER, text: packed(aml), sentAt: START }).map((p) => p.pdu));
    expect(rig.ofType('fix')).toMatchObject([{ source: 'aml', callId: call?.['callId'], accuracyM: 50, fixTime: '2026-11-23T05:59:30.000Z' }]);
    expect(rig.ofType('report.rejected')).toEqual([]);
  });

  it('an alphanumeric originator spelling a caller\'s number locates no call, and is no handset\'s number', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    // A bulk-SMS sender can set any alphanumeric originator (TON 5, up to 11 characters): here the caller's
    // number in national form, with a false position.
    await rig.sms([alphanumericFrom(deliver(aml.replace('+51.50070', '+52.90000'), 'ABCDEFGHIJK')[0] as string, 'ABCDEFGHIJK', '07700900999')]);
    expect(rig.ofType('fix')).toMatchObject([{ source: 'aml', callId: null, incidentId: null, handsetId: null }]);
    await rig.sms([alphanumericFrom(deliver(report({ counter: 1 }), 'ABCDEFGHIJK', 9)[0] as string, 'ABCDEFGHIJK', '07700900123')]);
    await rig.sms([alphanumericFrom(deliver(report({ counter: 1 }), 'ABCDEFGHIJK', 9)[1] as string, 'ABCDEFGHIJK', '07700900123')]);
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'sender-mismatch', fromNumber: null }]);
    expect(rig.ofType('report.accepted')).toEqual([]);
  });

  it('an AML whose time of positioning is after its arrival (a phone clock an hour ahead) is dated by its arrival', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    // START is 06:00:00 UTC; top 07:00:10 is a phone writing British Summer Time as UTC.
    await rig.sms(deliver(aml.replace('top=20261123055930', 'top=20261123070010'), ORDINARY_NUMBER));
    expect(rig.ofType('fix')).toMatchObject([{ source: 'aml', fixTime: new Date(START).toISOString() }]);
  });

  it('an AML with decimal commas (a handset formatting with its language, protocol/report/aml.ts) locates the call', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    const [call] = rig.ofType('call.ringing');
    await rig.sms(deliver('A"ML=1;lt=+51,500700;lg=-0,1218000;rd=12;top=20261123055930;lc=68;pm=G;si=234159123456789;ei=3567080417467340;mcc=234;mnc=33;ml=131', ORDINARY_NUMBER));
    expect(rig.ofType('fix')).toMatchObject([{ source: 'aml', callId: call?.['callId'], lat: 51.5007, lon: -0.1218, accuracyM: 12 }]);
    expect(rig.ofType('report.rejected')).toEqual([]);
  });

  it('an ELS AML with pm=N beside a real position (a location of unclassified source) locates the call', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    const [call] = rig.ofType('call.ringing');
    await rig.sms(deliver('A"ML=1;lt=51.53321;lg=-0.12601;rd=14;top=20261123055930;lc=68;pm=N;si=234159000000000;ei=;mcc=234;mnc=15;ml=111', ORDINARY_NUMBER));
    expect(rig.ofType('fix')).toMatchObject([{ source: 'aml', callId: call?.['callId'], lat: 51.53321, lon: -0.12601, accuracyM: 14, amlMethod: 'other' }]);
    expect(rig.ofType('report.rejected')).toEqual([]);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });

  it('a broken AML is rejected as bad-aml', async () => {
    const rig = await startRig();
    await rig.sms(deliver('A"ML=1;lt=+95.0;lg=-0.1;rd=50;top=20261123055930;lc=90;pm=G;ml=60', ORDINARY_NUMBER));
    expect(rig.ofType('report.rejected')).toMatchObject([{ reason: 'bad-aml' }]);
    expect(rig.ofType('fix')).toEqual([]);
  });
});

/** GSM 7-bit septets of `text` packed into octets (3GPP TS 23.038 6.1.2.1.1). */
function packed(text: string): Uint8Array {
  const { septets } = textToSeptets(text);
  const out = new Uint8Array(Math.ceil((septets.length * 7) / 8));
  packSeptets(septets, out, 0);
  return out;
}

/** `pdu` from the alphanumeric originator `name` with `spelt` (as many characters) written in its place. */
function alphanumericFrom(pdu: string, name: string, spelt: string): string {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
  const out = pdu.replace(`D0${hex(packed(name))}`, `D0${hex(packed(spelt))}`);
  if (out === pdu) throw new Error('no alphanumeric originator to replace');
  return out;
}
