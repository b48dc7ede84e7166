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
});
