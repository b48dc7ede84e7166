// The STOP a close sends when no line is free, end to end: the whole gateway in this process with its real lines
// (gateway/lines) over tcp:// to firmware-sim's bank (one line), a real simulated handset in an alarm, all on one
// ManualClock (test/support/one-handset-world.ts). Her 999 call rings on the only line, so the close's STOP
// finds no free line. Before, it was recorded failed and nothing more happened: her handset went on tracking, an
// SMS of her position every 10 s here, to no one. Now, once the handler has answered and hung up her call, the
// line is free and the STOP goes by itself; the handset carries it out and acknowledges it (owed-stops.ts).
import { describe, expect, it } from 'vitest';
import { startOneHandsetWorld } from '../support/one-handset-world.js';

describe("a close's STOP when no line is free", () => {
  it('goes by itself once her call has ended and the line is free: her handset stops tracking', async () => {
    const { bank, handset, of, post, close } = await startOneHandsetWorld(1);
    try {
      handset.button.setContact(true);
      await bank.step(2100);
      handset.button.setContact(false);
      await bank.until('her incident and her call', () => of('incident.opened').length > 0 && of('call.ringing').length > 0 && of('fix').length > 0, 60_000);
      const incidentId = String(of('incident.opened')[0]?.['incidentId']);
      const callId = String(of('call.ringing')[0]?.['callId']);

      // Closed while her call rings on the only line: its STOP finds no free line.
      expect((await post(`/api/incidents/${incidentId}/close`, { outcome: 'resolved-by-phone' })).status).toBe(202);
      await bank.until('the STOP failed', () => of('command.result').length > 0, 10_000);
      expect(of('command.result')[0]).toMatchObject({ result: 'failed', detail: expect.stringMatching(/^not sent: no free line .*it will be sent again by itself when a line is free/) });
      expect(of('command.sent')).toEqual([]);
      await bank.step(30_000);
      expect(handset.firmware.state).toBe('calling');

      // The handler answers her call and hangs up: the line is free.
      expect((await post(`/api/calls/${callId}/answer`)).status).toBe(202);
      await bank.step(5_000);
      expect((await post(`/api/calls/${callId}/hangup`)).status).toBe(202);
      // The STOP waits until the line has been free two minutes (her new alarm, had she raised one, first).
      await bank.step(100_000, 50);
      expect(of('command.sent')).toEqual([]);
      await bank.until('the STOP acknowledged', () => of('command.result').some((m) => m['result'] === 'acknowledged'), 120_000);
      expect(of('command.sent')).toMatchObject([{ incidentId, command: { kind: 'STOP' }, lineId: 'L1', by: 'handler' }]);
      expect(of('command.result').map((m) => m['result'])).toEqual(['failed', 'sent', 'acknowledged']);
      expect(handset.firmware.stats.commandsAccepted).toBe(1);
      expect(handset.firmware.state).toBe('idle');
      // No more of her positions by SMS.
      const trks = () => of('report.accepted').filter((m) => m['event'] === 'TRK').length;
      const before = trks();
      await bank.step(120_000, 50);
      expect(trks()).toBe(before);
    } finally {
      await close();
    }
  }, 120_000);
});
