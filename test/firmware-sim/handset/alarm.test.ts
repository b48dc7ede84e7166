import { describe, expect, it } from 'vitest';
import { decodeSentence } from '../../../protocol/nmea/index.js';
import { distanceM } from '../../../firmware-sim/gps/geo.js';
import { collapse, makeWorld } from './world.js';

describe('handset alarm end to end (firmware -> AT -> simulated modem -> network)', () => {
  it('boots: start-up sequence, then a BOT report the gateway can verify', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    await w.run(2000);
    expect(w.commands().slice(0, 7)).toEqual(['ATE0', 'AT+CMEE=1', 'AT+CREG=1', 'AT+CLIP=1', 'AT+CMGF=0', 'AT+CNMI=2,2,0,0,0', 'AT+CREG?']);
    const [bot] = w.reports();
    expect(bot).toMatchObject({ event: 'BOT', handsetId: 'TS-0001', counter: 1, batteryPct: 90, csq: 20 });
    expect(w.firmware.state).toBe('idle');
  });

  it('alarm -> ALM -> ATD999; -> answered -> TRK every 30 s for 10 minutes -> signed STOP -> idle', async () => {
    const w = makeWorld();
    const states: string[] = [];
    w.firmware.onStateChange((s) => states.push(s));
    await w.firmware.boot();
    await w.run(60_000); // GPS is off at rest; the walk has begun
    const before = w.transcript.length;

    const pressedAt = w.clock.now();
    w.button.setContact(true);
    await w.run(2100);
    expect(states.slice(0, 2)).toEqual(['alarm', 'calling']);
    expect(w.audio).toMatchObject({ speakerMuted: true, microphoneOpen: true });

    // The emergency call rings at the control room's line, flagged as an emergency from the handset's number.
    await w.run(3000);
    const ring = w.line.ringing();
    expect(ring).toMatchObject({ from: '+447700900123', emergency: true });
    w.button.setContact(false);
    w.line.answer(ring?.callId as number);
    await w.run(1500);
    expect(w.firmware.state).toBe('in-call');

    // Ten minutes of tracking, the handler on the line for the first two.
    await w.run(118_000);
    w.line.hangup(ring?.callId as number);
    // Up to ten minutes after the alarm fired (2 s hold + 30 ms debounce after the press).
    await w.run(pressedAt + 2030 + 600_000 + 500 - w.clock.now());
    expect(w.firmware.state).toBe('tracking');

    // Every AT exchange of the alarm, in order (CLCC polls collapsed).
    const alarmCommands = collapse(w.transcript.slice(before).filter((e) => e.kind === 'command').map((e) => e.text));
    // ALM first (one SMS: no fix yet), then the dial, then CLCC polls until answered; after that only reports.
    expect(alarmCommands.slice(0, 4)).toEqual(['AT+CSQ', expect.stringMatching(/^AT\+CMGS=\d+$/), 'ATD999;', 'AT+CLCC']);
    for (const c of alarmCommands.slice(4)) expect(c).toMatch(/^(AT\+CSQ|AT\+CMGS=\d+|AT\+CLCC)$/);
    expect(alarmCommands.filter((c) => c === 'AT+CSQ')).toHaveLength(21); // ALM + 20 TRK, one CSQ each
    expect(w.transcript.slice(before).filter((e) => e.kind === 'pdu').every((e) => e.text.endsWith('^Z'))).toBe(true);
    const answers = w.transcript.slice(before).filter((e) => e.kind === 'response');
    // Each answer: the CMGS prompt, or OK (after +CMGS: <mr> for each part sent); never an error.
    for (const a of answers) expect(a.text).toMatch(/(OK\r\n|\r\n> )$/);
    expect(answers.filter((a) => /\+CMGS: \d+/.test(a.text))).toHaveLength(w.transcript.slice(before).filter((e) => e.kind === 'pdu').length);
    const urcs = w.transcript.slice(before).filter((e) => e.kind === 'urc').map((e) => e.text.trim());
    expect(urcs).toEqual(['NO CARRIER']);

    // Every report: decodes, MAC verifies (world.reports checks), counters rise by one, positions on the route.
    const reports = w.reports();
    expect(reports.map((r) => r.counter)).toEqual(reports.map((_, i) => i + 1));
    expect(reports[0]?.event).toBe('BOT');
    expect(reports[1]?.event).toBe('ALM');
    const trk = reports.filter((r) => r.event === 'TRK');
    expect(trk).toHaveLength(20);
    for (const r of trk) {
      const rmc = decodeSentence(r.rmc);
      expect(rmc.ok && rmc.sentence.status).toBe('A');
    }
    // The ALM went out before the GPS had a fix (cold start): an RMC with status V, as the format says.
    const alm = decodeSentence(reports[1]?.rmc as string);
    expect(alm.ok && alm.sentence.status).toBe('V');
    // The last TRK is where the route says she was when it was taken.
    const last = decodeSentence(trk[trk.length - 1]?.rmc as string);
    if (!last.ok) throw new Error('last TRK RMC does not decode');
    const takenAt = Date.UTC(2026, 10, 23) + last.sentence.timeOfDayMs;
    const truth = w.gps.truth(takenAt) as { lat: number; lon: number };
    expect(distanceM({ lat: last.sentence.latitude, lon: last.sentence.longitude }, truth)).toBeLessThan(1);

    // The control room stops tracking with a signed STOP: ACK, then idle, no more TRK.
    w.command({ kind: 'STOP' });
    await w.run(5000);
    expect(w.firmware.state).toBe('idle');
    const afterStop = w.reports();
    expect(afterStop[afterStop.length - 1]?.event).toBe('ACK');
    await w.run(120_000);
    expect(w.reports()).toHaveLength(afterStop.length);
    expect(w.gps.isOn).toBe(false);
    expect(states).toEqual(['alarm', 'calling', 'in-call', 'tracking', 'idle']);
    // Silent by default: no sound, no light, no vibration, through the whole alarm.
    expect(w.indicator.calls).toEqual([]);
  });
});
