// The handler's red alert for failed TSC1 commands: an owed STOP that the modems keep refusing was one alert
// every 5 min for 70 min on every console (each over the handler's own last action message); now one, until
// another result for that handset comes.
import { describe, expect, it } from 'vitest';
import { CommandAlerts } from '../../console/command-alerts.js';

// The detail gateway/core/gateway-core.ts stores for an owed STOP that failed (owed-stops.ts owedNote).
const owedFailure = (h: string) => ({ handsetId: h, result: 'failed', detail: 'not sent: L1: +CMS ERROR: 500; it will be sent again by itself when a line is free, until 07:10 UTC' });

describe('which failed commands alert the handler', () => {
  it("an owed STOP's repeated failures alert once per handset, until another result for it", () => {
    const alerts = new CommandAlerts();
    expect([1, 2, 3].map(() => alerts.isNews(owedFailure('TS-0001')))).toEqual([true, false, false]);
    // Another handset's is its own news.
    expect(alerts.isNews(owedFailure('TS-0002'))).toBe(true);
    // The retry got through: the next owed failure (of a later close) is news again.
    expect(alerts.isNews({ handsetId: 'TS-0001', result: 'sent', detail: '+CMGS: 7' })).toBe(false);
    expect(alerts.isNews(owedFailure('TS-0001'))).toBe(true);
  });

  it("an owed STOP left unsent because a handler's STOP to the handset went instead raises no alert", () => {
    // The handler pressed Stop tracking while the owed STOP waited for its line: hers went, and the owed one
    // was stored failed as it gave way. Alerting it told her that the STOP she had just seen sent had failed.
    const alerts = new CommandAlerts();
    expect(alerts.isNews(owedFailure('TS-0001'))).toBe(true);
    const gaveWay = { handsetId: 'TS-0001', result: 'failed', detail: 'not sent: cancelled: a STOP for handset TS-0001 already left since incident INC-000001 closed: the owed STOP gives way to it' };
    expect(alerts.isNews(gaveWay)).toBe(false);
    expect(alerts.isNews({ handsetId: 'TS-0001', result: 'failed', detail: 'not sent: a STOP asked by a user for handset TS-0001 is being sent: the owed STOP gives way to it' })).toBe(false);
  });

  it('an owed STOP never sent by its time is news, after its repeated failures were not', () => {
    // The handler's last word of it was "it will be sent again by itself ..., until 07:10 UTC"; at 07:10 the
    // gateway settles it with this failure (owed-stops.ts expiredOwedStops), which she must see.
    const alerts = new CommandAlerts();
    expect([alerts.isNews(owedFailure('TS-0001')), alerts.isNews(owedFailure('TS-0001'))]).toEqual([true, false]);
    const expired = { handsetId: 'TS-0001', result: 'failed', detail: "not sent: the STOP owed since incident INC-000001 closed was never sent: no line could send it by 07:10 UTC, 70 min after the close (her handset's tracking has ended by itself by then)" };
    expect(alerts.isNews(expired)).toBe(true);
  });

  it('every other failure or timeout alerts, each time', () => {
    const alerts = new CommandAlerts();
    const locate = { handsetId: 'TS-0001', result: 'failed', detail: 'not sent: no free line' };
    expect([alerts.isNews(locate), alerts.isNews(locate)]).toEqual([true, true]);
    expect(alerts.isNews({ handsetId: 'TS-0001', result: 'timeout', detail: 'no ACK within 15 min' })).toBe(true);
    expect(alerts.isNews({ handsetId: 'TS-0001', result: 'acknowledged', detail: null })).toBe(false);
  });
});
