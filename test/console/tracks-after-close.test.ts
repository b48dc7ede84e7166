// Stop tracking on a closed incident whose handset goes on sending TRKs after the close (the STOP sent at the
// close could not be sent or timed out): available while she is tracked to no one, and only then; not after
// the STOP's ACK (her handset stopped: a TRK after it is a late one or her next alarm).
import { describe, expect, it } from 'vitest';
import { actionEnabled, tracksAfterClose } from '../../console/incident-view.js';
import type { CommandState, HandsetState, IncidentState } from '../../console/console-state.js';
import { T0 } from './events.js';

const iso = (ms: number) => new Date(ms).toISOString();
const CLOSED_AT = T0 + 600_000;

const incident = (state: IncidentState['state']): IncidentState => ({
  id: 'inc-1', handsetId: 'TS-0001', state, cause: 'alarm', priority: 'tecsos', force: null, openedAt: iso(T0), acknowledgedAt: null,
  acknowledgedBy: null, closedAt: state === 'closed' ? iso(CLOSED_AT) : null, closedBy: state === 'closed' ? 'jo' : null,
  outcome: state === 'closed' ? 'resolved-by-phone' : null, tracking: state !== 'closed', callIds: [], locateRequestedAt: null, reAlarmedAt: null, locatesDue: 0,
});
const handset = (lastEvent: HandsetState['lastEvent'], at: number): HandsetState => ({ handsetId: 'TS-0001', batteryPct: 80, csq: 20, lastReportAt: iso(at), lastEvent });
const stop = (result: 'sent' | 'acknowledged' | 'failed' | 'timeout' | null, at = CLOSED_AT + 1000): CommandState => ({
  sent: { v: 1, seq: 10, at: iso(CLOSED_AT), type: 'command.sent', handsetId: 'TS-0001', incidentId: 'inc-1', counter: 5, command: { kind: 'STOP' }, by: 'jo', lineId: 'L4' },
  result: result === null ? null : { v: 1, seq: 11, at: iso(at), type: 'command.result', handsetId: 'TS-0001', counter: 5, result, detail: '' },
});

describe('tracksAfterClose', () => {
  const now = CLOSED_AT + 120_000;
  it('is true for a closed incident whose handset sent a TRK after the close and no STOP is on its way', () => {
    const h = handset('TRK', CLOSED_AT + 90_000);
    expect(tracksAfterClose(incident('closed'), h, undefined, now)).toBe(true);
    expect(tracksAfterClose(incident('closed'), h, stop('failed'), now)).toBe(true);
    expect(tracksAfterClose(incident('closed'), h, stop('timeout'), now)).toBe(true);
    expect(actionEnabled('stop', null, incident('closed'), true)).toBe(true);
  });

  it('is false while a newer incident of her handset is open: her TRKs are that one\'s (the gateway refuses a STOP from here)', () => {
    const h = handset('TRK', CLOSED_AT + 90_000);
    expect(tracksAfterClose(incident('closed'), h, undefined, now, true)).toBe(false);
    expect(tracksAfterClose(incident('closed'), h, stop('failed'), now, true)).toBe(false);
  });

  it('is false while a STOP is on its way, after its ACK, with no TRK since the close, long after the last TRK, or for an open incident', () => {
    const h = handset('TRK', CLOSED_AT + 90_000);
    expect(tracksAfterClose(incident('closed'), h, stop(null), now)).toBe(false);
    expect(tracksAfterClose(incident('closed'), h, stop('sent'), now)).toBe(false);
    expect(tracksAfterClose(incident('closed'), h, stop('acknowledged', CLOSED_AT + 100_000), now)).toBe(false);
    // A TRK after the STOP's ACK: her handset had stopped, so it is a late one or her next alarm (review 13: the
    // closed incident offered to stop her new alarm, whose TRKs open an incident of their own).
    expect(tracksAfterClose(incident('closed'), h, stop('acknowledged', CLOSED_AT + 30_000), now)).toBe(false);
    expect(tracksAfterClose(incident('closed'), handset('TRK', CLOSED_AT - 1000), undefined, now)).toBe(false);
    expect(tracksAfterClose(incident('closed'), handset('ACK', CLOSED_AT + 90_000), undefined, now)).toBe(false);
    expect(tracksAfterClose(incident('closed'), h, undefined, CLOSED_AT + 90_000 + 181_000)).toBe(false);
    expect(tracksAfterClose(incident('open'), h, undefined, now)).toBe(false);
    expect(actionEnabled('stop', null, incident('closed'))).toBe(false);
  });
});
