// The engine out of step (docs/at.md "Out of step") with one probe kind that is also a command of its owner: the
// handset's USB console probes with AT+TSINFO?, and the provisioning tool asks AT+TSINFO? itself. After a command
// given up whose probes were lost (a console that drops what it is sent during a flash write, a USB link that
// lost bytes), the probe is owed; a +TSINFO: line then is the AT+TSINFO? command's own answer as much as the owed
// probe's (the same query, answered in order). Before (review 16b), it was taken for the probe's, its OK skipped,
// and AT+TSINFO? timed out with the console answering it (the engine before the out-of-step mechanism answered it).
import { describe, expect, it } from 'vitest';
import { AtEngine } from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { FakeModem, flush, track } from './fake-modem.js';

const INFO = '+TSINFO: "TS-0001","1.0.0","356938035643809",1';

describe('AtEngine out of step: a command that asks the owed probe query', () => {
  it('AT+TSINFO? after a commit given up with its probes lost gets its own answer', async () => {
    const clock = new ManualClock(0);
    const modem = new FakeModem();
    const link = { down: true };
    modem.respond = (written) => {
      if (link.down) return undefined;
      const line = written.replace(/^\x1b/, '').replace(/\r$/, '');
      const lines = line === 'AT+TSINFO?' ? [INFO, 'OK'] : ['OK'];
      clock.setTimeout(() => modem.feed(lines.map((l) => `\r\n${l}\r\n`).join('')), 20);
      return undefined;
    };
    const engine = new AtEngine(modem, { clock, settleMs: 50, probes: [{ command: 'AT+TSINFO?', prefix: '+TSINFO:' }] });
    const run = async (ms: number) => {
      for (let t = 0; t < ms; t += 50) {
        clock.advance(50);
        await flush();
      }
    };
    const commit = track(engine.send('AT+TSCOMMIT', { timeoutMs: 5000 }));
    await run(8000); // the commit times out, both probes meet silence
    expect(commit.value?.status).toBe('timeout');
    link.down = false;
    const info = track(engine.send('AT+TSINFO?', { prefixes: ['+TSINFO:'], timeoutMs: 5000 }));
    await run(6000);
    expect(info.value).toMatchObject({ status: 'final', ok: true, lines: [INFO] });
  });
});
