// DNS rebinding against the control API: a page on evil.example whose name is re-pointed at 127.0.0.1 sends
// `Origin: http://evil.example:8081` with `Host: evil.example:8081`, which the Origin check took as the emulator
// page's own origin: a web page in the trainer's browser could press simulated handsets' buttons. A POST with
// an Origin now also needs a Host that is one of this machine's names; programs without an Origin pass as
// before.
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlWorld } from './control-world.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function world() {
  const w = await startControlWorld(cleanups);
  /** A button hold as a page served from `host` sends it (text/plain: no preflight); no Origin when `host` is undefined. */
  const press = (id: string, host: string, withOrigin = true) =>
    w.control.app.inject({
      method: 'POST', url: `/api/handsets/${id}/button`,
      headers: { host, 'content-type': 'text/plain', ...(withOrigin && { origin: `http://${host}` }) },
      payload: '{"gesture":"hold"}',
    });
  return { ...w, press };
}

describe('control API and DNS rebinding', () => {
  it('refuses a button press whose Origin and Host name a foreign host, with 403 naming it; the handset stays idle', async () => {
    const { run, state, press } = await world();
    const r = await press('TS-0001', 'evil.example:8081');
    expect(r.statusCode).toBe(403);
    expect(r.json()).toEqual({ error: 'forbidden', message: expect.stringMatching(/^Host evil\.example:8081 is not a name of this simulator/) });
    expect((await press('TS-0001', '127.0.0.1.nip.io:8081')).statusCode).toBe(403);
    await run(3000);
    expect(state('TS-0001')).toBe('idle');
  });

  it('accepts the emulator page at 127.0.0.1, localhost, [::1] and the machine\'s name, and programs without an Origin', async () => {
    const { run, state, press } = await world();
    expect((await press('TS-0001', '127.0.0.1:8081')).statusCode).toBe(202);
    expect((await press('TS-0002', 'localhost:8081')).statusCode).toBe(202);
    expect((await press('TS-0003', '[::1]:8081')).statusCode).toBe(202);
    expect((await press('TS-0003', `${hostname()}:8081`)).statusCode).toBe(202);
    expect((await press('TS-0003', 'evil.example:8081', false)).statusCode).toBe(202);
    await run(3000);
    expect(state('TS-0001')).not.toBe('idle');
    expect(state('TS-0002')).not.toBe('idle');
  });
});
