// The stored JSON of a report's events, member by member: what the log holds (and a restart, an export or the
// fan-out's wire text reads) must not change when the code that builds the events is made faster.
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, KEY, START, deliver, report, startRig } from '../core/harness.js';

describe('the stored JSON of an accepted report', () => {
  it('has the same members in the same order, for both SMS parts and every event of the report', async () => {
    const rig = await startRig();
    const before = (await rig.all()).length;
    // A TRK with a GPS fix, received 1.5 s after its fix, 3 h 7 min 9.045 s into the day.
    await rig.sms(deliver(report({ counter: 1, event: 'TRK' }, KEY, START + 11_227_545), HANDSET_NUMBER, 9), START + 11_229_045);
    const texts = (await rig.all()).slice(before).map((e) => JSON.stringify(e.event));
    expect(texts).toEqual(EXPECTED);
  });
});

const EXPECTED: string[] = [
  '{"type":"sms.received","at":"2026-11-23T06:00:00.000Z","lineId":"L1","pdu":"0791447758100650440C91447700091032000062113260000000A0050003090201A853696C87EE51A72D180C16DBB97BB15DB947952E77E21EEEB68BF764B39DE0089536872C580E7683DD5CB51A2BC8AAC56630178C2683C1584E160C0683DD5C33180E06635D5930170D0663E16E2E188C259BC562321B8BC50AAA68B69DE0083D1E832C580E7683DD5CB51AAB169BC15C309A0C0663395930180C7673CD6038188C7565C558","index":0,"receivedAt":"2026-11-23T09:07:09.045Z"}',
  '{"type":"sms.received","at":"2026-11-23T06:00:00.000Z","lineId":"L1","pdu":"0791447758100650440C914477000910320000621132600000002B050003090202603916CC9583B16831178CD564B19A2C96CA16DBB57B57F41C6A6BCD9CB6D91B","index":1,"receivedAt":"2026-11-23T09:07:09.045Z"}',
  '{"type":"incident.opened","at":"2026-11-23T06:00:00.000Z","incidentId":"INC-000001","handsetId":"TS-0001","cause":"tracking","priority":"tecsos","callId":null,"force":"Metropolitan Police"}',
  '{"type":"report.accepted","at":"2026-11-23T06:00:00.000Z","handsetId":"TS-0001","counter":1,"event":"TRK","batteryPct":87,"csq":23,"incidentId":"INC-000001","receivedAt":"2026-11-23T09:07:09.045Z","fromNumber":"+447700900123","mac":"WhsP6-3N63o"}',
  '{"type":"fix","at":"2026-11-23T06:00:00.000Z","incidentId":"INC-000001","handsetId":"TS-0001","callId":null,"lat":51.5007,"lon":-0.1218,"accuracyM":4.5,"fixTime":"2026-11-23T09:07:07.550Z","gpsStatus":"valid","speedKnots":0.4,"courseDeg":87,"sats":9,"hdop":0.9,"receivedAt":"2026-11-23T09:07:09.045Z","source":"gps","amlMethod":null,"reportCounter":1}',
  '{"type":"handset.status","at":"2026-11-23T06:00:00.000Z","handsetId":"TS-0001","batteryPct":87,"csq":23,"lastReportAt":"2026-11-23T09:07:09.045Z","lastEvent":"TRK","lastCounter":1}',
];
