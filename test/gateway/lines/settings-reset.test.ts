// A modem whose settings were reset without a boot line (a command that line noise turned into ATZ: `AT+CPMS?`
// arrived as `ATZCPMS?` in the line-noise soak with one seed of the noise). It echoed our commands again, and its
// other settings were gone with the echo: no +CMTI, so new SMS waited for the minute's scan, the SIM filled and
// the network held 3.6 % of the soak's reports back until they expired. Now a line whose modem echoes again after
// ATE0 sends its settings again at the next poll (modem-line.ts settingsLost).
// Through the real line bank and modem line on a scripted modem.
import { describe, expect, it } from 'vitest';
import { lineWith, standard, steps } from './scripted-port.js';

/** A line whose modem echoes each command line while `echo.on`. */
async function line(echoFromStart: boolean) {
  const echo = { on: echoFromStart };
  const x = await lineWith((c) => (echo.on ? [c.replace(/^\x1b/, ''), ...standard(c)] : standard(c)));
  await x.bank.start();
  await x.settle();
  return { x, echo, count: (command: string) => x.log.filter((c) => c === command).length };
}

describe('a modem that echoes commands again after ATE0', () => {
  it('has its settings (AT+CNMI, AT+CLIP, ...) sent again at the next poll, and the line stays up', async () => {
    const { x, echo, count } = await line(false);
    expect(count('ATE0')).toBe(1);
    const cnmi = x.log.find((c) => c.startsWith('AT+CNMI='));
    expect(cnmi).toBeDefined();
    echo.on = true; // ATZ: echo on, and +CMTI off with it
    await steps(x, 1_000, 35);
    // Before: nothing sent again; the modem stayed without its settings for as long as the link lasted.
    expect(count('ATE0')).toBe(2);
    expect(count(cnmi!)).toBe(2);
    echo.on = false; // ATE0 took
    await steps(x, 1_000, 65);
    expect(count('ATE0')).toBe(2); // not again: the echo has stopped
    expect(x.bank.health()[0]).toMatchObject({ state: 'up' });
    await x.bank.close();
  });

  it('a modem that ignores ATE0 (echoes from the start) is not initialised again and again', async () => {
    const { x, count } = await line(true);
    await steps(x, 1_000, 95);
    expect(count('ATE0')).toBe(1);
    expect(x.bank.health()[0]).toMatchObject({ state: 'up' });
    await x.bank.close();
  });

  it('her ringing call stays through the settings sent again, and Answer pressed meanwhile answers it', async () => {
    // Review 15: the re-init is the gentle path of a later boot line (bootStage), not a restart: the call stays.
    const HER = '+447700900123';
    const st = { echo: false, answered: false, ringing: true, hold: false };
    const x = await lineWith((c) => {
      const echo = st.echo ? [c.replace(/^\x1b/, '')] : [];
      if (c === 'ATE0') st.echo = false;
      if (st.hold && c === 'AT+CLIP=1') return echo; // a slow modem: the re-init waits here
      if (c === 'ATA') st.answered = true;
      if (c === 'AT+CLCC') return [...echo, ...(st.ringing ? [`+CLCC: 1,1,${st.answered ? 0 : 4},0,0,"${HER}",145`] : []), 'OK'];
      return [...echo, ...standard(c)];
    });
    await x.bank.start();
    await x.settle();
    await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
    await steps(x, 100, 5);
    st.echo = true; // ATZ from noise
    st.hold = true;
    const count = (command: string) => x.log.filter((c) => c === command).length;
    for (let i = 0; i < 40 && count('ATE0') < 2; i++) {
      await steps(x, 1_000, 1);
      if (i % 4 === 0) await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
    }
    expect(count('ATE0')).toBe(2);
    const answered = x.bank.answer('L1');
    await steps(x, 100, 5);
    st.hold = false;
    await x.urc('OK');
    await steps(x, 100, 50);
    expect(await answered).toMatchObject({ ok: true });
    await steps(x, 1_000, 65);
    expect(x.rec.calls.map((e) => e.kind)).toEqual(['ringing', 'answered']);
    await x.bank.close();
  });
});
