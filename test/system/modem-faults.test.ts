// Modem faults during an alarm, with the whole gateway in this process (store, core, HTTP + WebSocket) and
// its real lines (gateway/lines) over tcp:// to firmware-sim's bank modems, a real simulated handset raising
// the alarm, all on one ManualClock. The handset sends its reports to line 1's number, and line 1 is where
// its 999 call rings first, so the fault hits both. In each case the TecSOS call and the reports still reach
// the console, and line 1 comes back up by itself (nobody touches the gateway):
//
//   reboot      the modem reboots while the gateway's ATA is in flight (a handler answering)
//   hang        the modem stops answering (no echo, no results, no URCs) for 40 s while the call rings
//   drop        the serial device server drops the TCP link while the call rings
//   prompt      the link drops and the modem is left in SMS text entry before the gateway is back (what a
//               gateway killed between AT+CMGS's `> ` and its Ctrl-Z leaves behind, or line noise turning a
//               command into AT+CMGW): every byte is message text until ESC, the gateway's init included
import { describe, expect, it } from 'vitest';
import { startOneHandsetWorld } from '../support/one-handset-world.js';

type Fault = 'reboot' | 'hang' | 'drop' | 'prompt';

async function alarmWith(fault: Fault) {
  const { h, bank, gw, handset, cookie, ws, of, close } = await startOneHandsetWorld(2);
  try {
    const L1 = () => gw.app.lines.health().find((x) => x.lineId === 'L1');
    const ringing = () => of('call.ringing').filter((m) => m['priority'] === 'tecsos' && m['callerNumber'] === h.number);

    handset.button.setContact(true);
    await bank.step(2100);
    handset.button.setContact(false);
    await bank.until('the TecSOS call rings on L1', () => ringing().some((m) => m['lineId'] === 'L1'), 30_000);
    const ringsBefore = ringing().length;
    const acceptedBefore = of('report.accepted').length;
    const healthBefore = of('line.health').length;
    const lineDown = () => of('line.health').slice(healthBefore).some((m) => m['lineId'] === 'L1' && m['state'] !== 'up');

    switch (fault) {
      case 'reboot': {
        const callId = String(ringing()[0]?.['callId']);
        const answer = fetch(`${gw.url}/api/calls/${callId}/answer`, { method: 'POST', headers: { cookie, origin: gw.url } });
        // ATA is now on its way to the modem: reboot it before it can answer.
        await new Promise((r) => setImmediate(r));
        bank.modems[0]!.reset();
        await bank.step(100);
        const status = (await answer).status;
        // The answer either failed with the modem's words (503) or raced the reboot; either way it is told.
        expect([202, 503]).toContain(status);
        break;
      }
      case 'hang':
        bank.modems[0]!.hang(40_000);
        break;
      case 'drop':
        bank.servers[0]!.dropClient();
        break;
      case 'prompt':
        bank.servers[0]!.dropClient();
        bank.modems[0]!.input('AT+CMGS=20\r'); // no client now: its `> ` reaches nobody
        break;
      default: {
        const never: never = fault;
        throw new Error(String(never));
      }
    }
    // The line notices and goes down (reboot: re-initialises), then comes back by itself.
    await bank.until('L1 leaves up', lineDown, 60_000);
    await bank.until('L1 back up by itself', () => L1()?.state === 'up', 180_000);
    // What the modem stored while the line was away (its SIM keeps every SMS) is read as soon as the line is
    // back, not at the next periodic storage scan a minute later: the storage empties within seconds.
    const storedWhileAway = bank.modems[0]!.storage('SM').used;
    await bank.until('the SIM storage read right after the line came back', () => bank.modems[0]!.storage('SM').used === 0, 10_000);
    // The call still reaches the console (rings again after the fault, on L1 or hunted to L2) ...
    await bank.until('the call rings again after the fault', () => ringing().length > ringsBefore, 120_000);
    // ... and so do the reports (TRK every 10 s to line 1's number, stored in its SIM while it was away).
    await bank.until('reports after the fault', () => of('report.accepted').length >= acceptedBefore + 3, 180_000);
    await bank.until('fixes', () => of('fix').length >= 2, 60_000);
    const incident = of('incident.opened')[0]?.['incidentId'];
    for (const f of of('fix')) expect(f['incidentId']).toBe(incident);
    expect(of('report.rejected').filter((m) => m['reason'] !== 'duplicate')).toEqual([]);
    // The console saw L1 go down (or re-initialise) and come back up, with the call ended by the network.
    const after = of('line.health').slice(healthBefore).filter((m) => m['lineId'] === 'L1');
    expect(after.at(-1)).toMatchObject({ state: 'up' });
    // A hung modem is noticed by the line itself (its commands time out), not only when the modem restarts
    // (this one reboots after 40 s; a real one may stay hung until someone power-cycles it), and reports
    // came in meanwhile, stored on its SIM.
    if (fault === 'hang') {
      expect(after.some((m) => m['state'] === 'down' && /not answering/.test(String(m['detail'])))).toBe(true);
      expect(storedWhileAway).toBeGreaterThan(0);
    }
    // A dropped link is seen as such at once (the port closed), not a minute later as a modem not answering.
    if (fault === 'drop' || fault === 'prompt') {
      expect(after.find((m) => m['state'] === 'down')?.['detail']).toMatch(/port closed/);
    }
    expect(of('call.ended').some((m) => m['endedBy'] === 'network' && m['callId'] === ringing()[0]?.['callId'])).toBe(true);
    const seqs = ws.seqs();
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  } finally {
    await close();
  }
}

describe('modem faults during an alarm', () => {
  it('reboot mid-command (during ATA): call and reports reach the console, the line comes back', () => alarmWith('reboot'), 90_000);
  it('a modem that stops answering while the call rings: the call is hunted on, reports follow, the line comes back', () => alarmWith('hang'), 90_000);
  it('the TCP link dropped while the call rings: the line reconnects by itself, call and reports reach the console', () => alarmWith('drop'), 90_000);
  it('a modem left in SMS text entry while the link was down: the line gets it out and comes back, call and reports reach the console', () => alarmWith('prompt'), 90_000);
});
