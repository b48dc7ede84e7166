// The self-test as the tool judges it: a handset whose answer leaves out a part (a firmware that skipped the
// modem check, a confused device answering `+TSSELFTEST: "flash",1,...` and OK) has not passed that part.
import { describe, expect, it } from 'vitest';
import type { HandsetConsole } from '../../../hardware/provisioning/handset-console.js';
import type { SelfTestItem } from '../../../hardware/provisioning/responses.js';
import { runSelfTest } from '../../../hardware/provisioning/self-test.js';

/** A console whose AT+TSSELFTEST answers `items`. */
function answering(items: readonly SelfTestItem[]): HandsetConsole {
  return { selfTest: async () => ({ ok: true, value: items }) } as unknown as HandsetConsole;
}

const pass = (part: string): SelfTestItem => ({ part, ok: true, detail: 'ok' });
const options = { buttonWaitMs: 0, sleep: async () => undefined, now: () => 0 };

describe('runSelfTest', () => {
  it('passes when every part is reported and passed', async () => {
    const r = await runSelfTest(answering(['flash', 'battery', 'button', 'modem', 'gps'].map(pass)), options);
    expect(r).toMatchObject({ ok: true, value: { passed: true, failed: [] } });
  });

  it('a part the handset did not report fails, named, unless it is allowed to fail', async () => {
    const r = await runSelfTest(answering([pass('flash'), pass('battery'), pass('button')]), options);
    expect(r.ok && r.value.passed).toBe(false);
    expect(r.ok && r.value.failed.map((i) => [i.part, i.detail])).toEqual([['modem', 'not reported by the handset'], ['gps', 'not reported by the handset']]);
    const allowed = await runSelfTest(answering(['flash', 'battery', 'button', 'modem'].map(pass)), { ...options, allowFail: new Set(['gps']) });
    expect(allowed).toMatchObject({ ok: true, value: { passed: true } });
  });

  it('an answer with no parts at all says which are missing', async () => {
    const r = await runSelfTest(answering([]), options);
    expect(r.ok && r.value.passed).toBe(false);
    expect(r.ok && r.value.failed.map((i) => i.part)).toEqual(['flash', 'battery', 'button', 'modem', 'gps']);
  });
});
