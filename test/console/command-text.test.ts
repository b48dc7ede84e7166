// The incident panel's line for a TSC1 command (console/incident-view.ts commandText). A command the gateway
// recorded after a restart that lost the modem's answer (gateway/core/unsettled-commands.ts: `sent` with an
// `uncertain: ...` detail) must not read as plainly sent: the handler is told it may not have left.
import { describe, expect, it } from 'vitest';
import { commandText } from '../../console/incident-view.js';
import type { CommandState } from '../../console/console-state.js';

const state = (result: 'sent' | 'acknowledged' | 'failed' | 'timeout', detail: string): CommandState => ({
  sent: { v: 1, seq: 10, at: '2026-11-23T06:10:00.000Z', type: 'command.sent', handsetId: 'TS-0001', incidentId: 'inc-1', counter: 5, command: { kind: 'STOP' }, by: 'jo', lineId: 'unknown' },
  result: { v: 1, seq: 11, at: '2026-11-23T06:10:01.000Z', type: 'command.result', handsetId: 'TS-0001', counter: 5, result, detail },
});

describe('commandText', () => {
  it('says a command recorded after a restart may not have left, with the reason', () => {
    const uncertain = "uncertain: the gateway stopped after reserving this command (2026-11-23T06:09:58.000Z) and before the modem's answer was stored; it may not have left: the handset's ACK will show it arrived";
    expect(commandText(state('sent', uncertain))).toBe(`MAY NOT HAVE LEFT, waiting for the handset: ${uncertain}`);
  });

  it('reads a command the modem took as sent, and the other results as before', () => {
    expect(commandText(state('sent', '+CMGS: 12'))).toBe('sent, waiting for the handset');
    expect(commandText(state('acknowledged', 'ACK report n=9'))).toBe('acknowledged by the handset');
    expect(commandText(state('failed', 'not sent: +CMS ERROR: 331'))).toBe('FAILED: not sent: +CMS ERROR: 331');
  });
});
